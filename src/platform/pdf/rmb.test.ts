import Nzh from 'nzh';
import { describe, expect, it } from 'vitest';
import { fenToCapital, formatFen, formatFenBoth, MAX_FEN } from './rmb.js';

/** nzh as an independent oracle (dev-only), fed the amount in yuan as a decimal string. */
const oracle = (fen: number) => {
  // nzh drops 整 when given '.00', so whole yuan go in without decimals.
  const yuan = fen % 100 === 0 ? String(fen / 100) : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  return (Nzh as unknown as { cn: { toMoney(v: string, o: object): string } }).cn.toMoney(yuan, { outSymbol: false });
};

/** Drops the 零 the rules leave optional: a zero 万位/亿位 before a non-zero 千位, a zero 元位 before a non-zero 角. */
const withoutOptionalZero = (s: string) => s.replace(/([万亿])零(?=[壹贰叁肆伍陆柒捌玖]仟)/g, '$1').replace(/元零(?=[壹贰叁肆伍陆柒捌玖]角)/g, '元');

describe('fenToCapital', () => {
  it.each([
    [1_234_567, '壹万贰仟叁佰肆拾伍元陆角柒分'],
    [0, '零元整'],
    [5, '伍分'],
    [50, '伍角'],
    [100, '壹元整'],
    [1_000, '壹拾元整'],
    [1_500, '壹拾伍元整'],
    [100_500, '壹仟零伍元整'],
    [10_000_000, '壹拾万元整'],
    [1_001_000_000, '壹仟零壹万元整'],
    [10_070_000, '壹拾万零柒佰元整'],
    [10_007_000_000, '壹亿零柒万元整'],
    [10_000_000_100, '壹亿零壹元整'],
    [140_950, '壹仟肆佰零玖元伍角'],
    [600_714, '陆仟零柒元壹角肆分'],
    [32_504, '叁佰贰拾伍元零肆分'],
    [168_032, '壹仟陆佰捌拾元叁角贰分'],
    [10_700_053, '壹拾万柒仟元伍角叁分'],
    [100_000_000_001, '壹拾亿元零壹分'],
    [MAX_FEN, '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ])('%i fen → %s', (fen, expected) => {
    expect(fenToCapital(fen)).toBe(expected);
  });

  it('agrees with nzh on amounts full of zeros, up to the optional 零', () => {
    // Deterministic pseudo-random amounts whose digits are zero half the time, 1 to 14 digits long.
    let seed = 20261123;
    const next = () => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (t ^ (t >>> 14)) >>> 0;
    };
    const amounts = [1, 9, 10, 99, 101, 1_000, 1_001, 10_000, 10_001, 100_000, 100_100, 1_000_000_000, 100_000_000_000];
    for (let i = 0; i < 3_000; i++) {
      const length = 1 + (next() % 14);
      let digits = '';
      for (let d = 0; d < length; d++) digits += next() % 2 === 0 ? '0' : String(1 + (next() % 9));
      // nzh writes zero as 零元 without 整; zero is checked above.
      if (Number(digits) > 0) amounts.push(Number(digits));
    }
    const disagreements = amounts.filter((fen) => withoutOptionalZero(fenToCapital(fen)) !== withoutOptionalZero(oracle(fen)));
    expect(disagreements.map((fen) => [fen, fenToCapital(fen), oracle(fen)])).toEqual([]);
    expect(amounts.length).toBeGreaterThan(2_500);
  });

  it('accepts the other conventional form where a 零 is optional', () => {
    expect(withoutOptionalZero('壹拾万零柒仟元零伍角叁分')).toBe(withoutOptionalZero(fenToCapital(10_700_053)));
    expect(withoutOptionalZero('壹仟陆佰捌拾元零叁角贰分')).toBe(fenToCapital(168_032));
  });

  it('rejects anything but a whole, non-negative number of fen in range', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_FEN + 1]) {
      expect(() => fenToCapital(bad)).toThrow(RangeError);
    }
  });
});

describe('formatFen', () => {
  it('writes yuan with thousands separators and two decimals', () => {
    expect(formatFen(1_234_567)).toBe('12,345.67');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(100_000_000_000)).toBe('1,000,000,000.00');
    expect(formatFenBoth(100_500)).toBe('¥1,005.00（人民币壹仟零伍元整）');
    expect(() => formatFen(-5)).toThrow(RangeError);
  });
});
