import { describe, expect, it } from 'vitest';
import { isMobilePhone, normalisePhone } from './phone.js';

describe('normalisePhone', () => {
  it.each([
    ['13812348000', '13812348000'],
    ['+8613812348000', '13812348000'],
    ['+86 138 1234 8000', '13812348000'],
    ['008613812348000', '13812348000'],
    ['8613812348000', '13812348000'],
    ['138-1234-8000', '13812348000'],
    ['(+86) 138-1234-8000', '13812348000'],
    ['（+86）138 1234 8000', '13812348000'],
    [' 199 0000 0000 ', '19900000000'],
    ['+86-13812348000', '13812348000'],
  ])('%s → %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each([
    [''],
    ['1381234800'], // 10 digits
    ['138123480001'], // 12 digits
    ['12812348000'], // second digit 2
    ['10012348000'],
    ['23812348000'],
    ['+85213812348000'], // Hong Kong prefix
    ['86138123480'], // 11 chars starting 86: not a prefix
    ['138 1234 800O'], // letter O
    ['+8613812348000x'],
    ['0571-87654321'], // a landline
    ['13812348000+86'],
  ])('rejects %s', (input) => {
    expect(normalisePhone(input)).toBeUndefined();
  });

  it('checks already-normalised numbers', () => {
    expect(isMobilePhone('13812348000')).toBe(true);
    expect(isMobilePhone('+8613812348000')).toBe(false);
  });
});
