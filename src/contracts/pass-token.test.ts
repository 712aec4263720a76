import { describe, expect, it } from 'vitest';
import { industries } from './workers.js';
import { fromBase64Url, grantsFor, memoryReplayCache, packScope, passPlatforms, platformCode, statusBitSet, toBase64Url, unpackScope, decodePassToken } from './pass-token.js';

describe('pass token helpers (pure)', () => {
  it('packs and unpacks every scope', () => {
    for (const industry of [null, ...industries]) {
      for (const level of [1, 2] as const) {
        for (const platform of passPlatforms) {
          const bits = packScope({ industry, level, platform });
          expect(bits).toBeLessThan(2 ** 11);
          expect(unpackScope(bits)).toEqual({ industry, level, platform });
        }
      }
    }
  });

  it('maps free-text platforms to codes', () => {
    expect(platformCode('美团众包')).toBe('meituan');
    expect(platformCode('饿了么蜂鸟')).toBe('eleme');
    expect(platformCode('顺丰速运')).toBe('sf');
    expect(platformCode('某某劳务公司')).toBe('other');
    expect(platformCode(null)).toBe('other');
  });

  it('base64url round-trips every length and refuses non-base64', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const enc = toBase64Url(bytes);
      expect(enc).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Array.from(fromBase64Url(enc)!)).toEqual(Array.from(bytes));
    }
    expect(fromBase64Url('ab$d')).toBeUndefined();
    expect(fromBase64Url('abcde')).toBeUndefined();
  });

  it('reads status bits most significant first', () => {
    const bits = new Uint8Array([0b1000_0001, 0b0100_0000]);
    expect([0, 1, 6, 7, 8, 9, 10].map((i) => statusBitSet(bits, i))).toEqual([true, false, false, true, false, true, false]);
    expect(statusBitSet(bits, 999)).toBe(false);
  });

  it('grants by industry and level', () => {
    const policy = [
      { grant: 'entry' as const, industries: [], minLevel: 1 as const },
      { grant: 'elevator' as const, industries: ['food_delivery' as const], minLevel: 1 as const },
      { grant: 'discount' as const, industries: [], minLevel: 2 as const },
    ];
    expect(grantsFor(policy, { industry: 'food_delivery', level: 1, platform: 'meituan' })).toEqual(['entry', 'elevator']);
    expect(grantsFor(policy, { industry: 'express_courier', level: 2, platform: 'sf' })).toEqual(['entry', 'discount']);
    expect(grantsFor(policy, { industry: null, level: 1, platform: 'other' })).toEqual(['entry']);
  });

  it('refuses malformed tokens before any crypto', () => {
    expect(decodePassToken('hello')).toEqual({ error: 'malformed' });
    expect(decodePassToken('YA2.a.b.c')).toEqual({ error: 'unsupported_version' });
    expect(decodePassToken('YA1.a.b')).toEqual({ error: 'malformed' });
    const h = toBase64Url(new TextEncoder().encode('{"alg":"EdDSA","kid":"k"}'));
    const p = toBase64Url(new TextEncoder().encode('{"p":"short","i":1,"e":2,"n":"nonce-123","s":0,"x":0}'));
    expect(decodePassToken(`YA1.${h}.${p}.AAAA`)).toEqual({ error: 'malformed' });
  });

  it('replay cache forgets expired nonces', () => {
    const c = memoryReplayCache();
    c.add('a', 1000);
    c.add('b', 3000);
    c.prune(2000);
    expect(c.has('a')).toBe(false);
    expect(c.has('b')).toBe(true);
  });
});
