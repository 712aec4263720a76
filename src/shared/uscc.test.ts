import { describe, expect, it } from 'vitest';
import { checkUscc, isValidUscc, normaliseUscc, usccCheckChar } from './uscc.js';

/** A code for a Ningbo 鄞州区 company with the given organisation code, completed with its check character. */
const ningbo = (org: string, head = '91') => {
  const first17 = `${head}330212${org}`;
  return first17 + usccCheckChar(first17);
};

describe('usccCheckChar (GB 32100-2015, MOD 31)', () => {
  it('reproduces the check character of published codes', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3'); // the standard's worked example
    expect(usccCheckChar('91110000600037341')).toBe('L');
    expect(usccCheckChar('91440300192203821')).toBe('6');
  });

  it('computes by hand for an all-zero body: sum 0 → check 0', () => {
    expect(usccCheckChar('00000000000000000')).toBe('0');
    // one "1" in the first position: 31 − (1·1 mod 31) = 30 → Y
    expect(usccCheckChar('10000000000000000')).toBe('Y');
  });

  it('refuses bodies of the wrong length or with characters outside the alphabet', () => {
    expect(() => usccCheckChar('9135')).toThrow();
    expect(() => usccCheckChar('91350100I00010OY4')).toThrow(/not a USCC character/);
  });
});

describe('checkUscc', () => {
  it('accepts valid codes and describes them', () => {
    expect(checkUscc('91350100M000100Y43')).toEqual({ ok: true, value: '91350100M000100Y43', authority: '9', category: '1', areaCode: '350100' });
    for (const code of ['91110000600037341L', '914403001922038216', ningbo('MA2H4C3R0'), ningbo('L12345678', '92'), ningbo('500000001', '52'), ningbo('000000001', 'Y1')]) {
      expect(checkUscc(code)).toMatchObject({ ok: true, value: code });
    }
  });

  it('normalises case, spaces and dashes as people copy them', () => {
    expect(normaliseUscc(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(checkUscc('9135 0100 M000 100Y 43')).toMatchObject({ ok: true, value: '91350100M000100Y43' });
    expect(checkUscc('91350100-M000100Y4-3')).toMatchObject({ ok: true });
  });

  it('says what is wrong', () => {
    expect(checkUscc('')).toEqual({ ok: false, problem: 'length' });
    expect(checkUscc('91350100M000100Y4')).toEqual({ ok: false, problem: 'length' });
    expect(checkUscc('91350100M000100Y433')).toEqual({ ok: false, problem: 'length' });
    expect(checkUscc('91350100M000100O43')).toEqual({ ok: false, problem: 'charset' }); // letter O
    expect(checkUscc('91350100I000100Y43')).toEqual({ ok: false, problem: 'charset' }); // letter I
    expect(checkUscc('91350100M00010ZY43')).toEqual({ ok: false, problem: 'charset' }); // letter Z
    expect(checkUscc('913501O0M000100Y43')).toEqual({ ok: false, problem: 'charset' });
    expect(checkUscc('B1350100M000100Y43')).toEqual({ ok: false, problem: 'authority' });
    expect(checkUscc('0' + ningbo('MA2H4C3R0').slice(1))).toEqual({ ok: false, problem: 'authority' });
    expect(checkUscc('94350100M000100Y43')).toEqual({ ok: false, problem: 'category' }); // 工商 issues 1–3 only
    expect(checkUscc('Y2350100M000100Y43')).toEqual({ ok: false, problem: 'category' });
    expect(checkUscc('91A50100M000100Y43')).toEqual({ ok: false, problem: 'area' });
    expect(checkUscc('91990100M000100Y43')).toEqual({ ok: false, problem: 'area' }); // no province 99
    expect(checkUscc('91350100M000100Y44')).toEqual({ ok: false, problem: 'checksum' });
    expect(checkUscc('91350100M000100Y34')).toEqual({ ok: false, problem: 'checksum' }); // swapped digits
  });

  it('catches every single-character substitution of a valid code', () => {
    const valid = ningbo('MA2H4C3R0');
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let i = 8; i < 18; i++) {
      for (const ch of alphabet) {
        if (ch === valid[i]) continue;
        const changed = valid.slice(0, i) + ch + valid.slice(i + 1);
        expect(isValidUscc(changed), changed).toBe(false);
      }
    }
  });
});
