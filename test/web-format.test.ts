import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../web/ui/format.js';

// The web apps' shared money parser (both appeal screens send amounts through it).
describe('yuanToFen', () => {
  it('parses yuan as text, so no float drift', () => {
    expect(yuanToFen('8600.5')).toBe(860_050);
    expect(yuanToFen(8600.5)).toBe(860_050);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen(0.29)).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
    expect(yuanToFen('12,000')).toBe(1_200_000);
    expect(yuanToFen(' 1500 ')).toBe(150_000);
  });

  it('empty is undefined; anything else is NaN for the server to refuse', () => {
    expect(yuanToFen('')).toBeUndefined();
    expect(yuanToFen('  ')).toBeUndefined();
    expect(yuanToFen(null)).toBeUndefined();
    expect(yuanToFen(undefined)).toBeUndefined();
    for (const bad of ['1.234', '-5', 'abc', '1e3', '12345678901']) expect(yuanToFen(bad)).toBeNaN();
  });
});
