import { describe, expect, it } from 'vitest';
import { checkIdNumber, idNumberCheckChar } from './id-number.js';

// 2026-11-23 10:00 in Shanghai.
const NOW = new Date('2026-11-23T02:00:00Z');

describe('idNumberCheckChar (ISO 7064 MOD 11-2)', () => {
  it('computes the check character of known numbers', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X'); // the GB 11643 example
    expect(idNumberCheckChar('33021219900307123')).toBe('9');
    expect(idNumberCheckChar('33020519900101000')).toBe('9');
    expect(idNumberCheckChar('44030419851017003')).toBe('5');
  });
  it('refuses anything but 17 digits', () => {
    expect(() => idNumberCheckChar('1234')).toThrow();
  });
});

describe('checkIdNumber', () => {
  it('accepts valid numbers and describes them', () => {
    expect(checkIdNumber('11010519491231002X', NOW)).toEqual({
      ok: true, value: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female',
    });
    expect(checkIdNumber('330212199003071239', NOW)).toMatchObject({ ok: true, sex: 'male', birthDate: '1990-03-07' });
  });

  it('accepts a lowercase x and normalises it, ignoring surrounding spaces', () => {
    const r = checkIdNumber(' 11010519491231002x ', NOW);
    expect(r).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it.each([
    ['', 'empty'],
    ['1101051949123100', 'too short'],
    ['11010519491231002XX', 'too long'],
    ['1101051949123100AX', 'letter inside'],
    ['11010519491231002Y', 'wrong check letter'],
    ['01010519491231002X', 'region starts with 0'],
    ['000000199001010000', 'zero region'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'full-width digits'],
  ])('reports format for %s (%s)', (input) => {
    expect(checkIdNumber(input, NOW)).toEqual({ ok: false, reason: 'format' });
  });

  it('reports checksum when the check character is wrong', () => {
    expect(checkIdNumber('110105194912310021', NOW)).toEqual({ ok: false, reason: 'checksum' });
    expect(checkIdNumber('330212199003071238', NOW)).toEqual({ ok: false, reason: 'checksum' });
    // one digit changed in the body
    expect(checkIdNumber('330212199003071229', NOW)).toEqual({ ok: false, reason: 'checksum' });
  });

  const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);

  it('reports birth_date for impossible, pre-1900 and future dates', () => {
    expect(checkIdNumber(withCheck('33021219900230123'), NOW)).toEqual({ ok: false, reason: 'birth_date' }); // 30 Feb
    expect(checkIdNumber(withCheck('33021219901301123'), NOW)).toEqual({ ok: false, reason: 'birth_date' }); // month 13
    expect(checkIdNumber(withCheck('33021219900100123'), NOW)).toEqual({ ok: false, reason: 'birth_date' }); // day 0
    expect(checkIdNumber(withCheck('33021219010229123'), NOW)).toEqual({ ok: false, reason: 'birth_date' }); // 1901 not leap
    expect(checkIdNumber(withCheck('33021218991231123'), NOW)).toEqual({ ok: false, reason: 'birth_date' }); // before 1900
    expect(checkIdNumber(withCheck('33021220261124123'), NOW)).toEqual({ ok: false, reason: 'birth_date' }); // tomorrow
    expect(checkIdNumber(withCheck('33021230000101123'), NOW)).toEqual({ ok: false, reason: 'birth_date' });
  });

  it('accepts 29 February in leap years and 1 January 1900', () => {
    expect(checkIdNumber('330212200002291518', NOW)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(checkIdNumber(withCheck('33021219000101123'), NOW)).toMatchObject({ ok: true });
  });

  it('requires the worker to be 16 on the Shanghai calendar', () => {
    expect(checkIdNumber('330203201011230010', NOW)).toMatchObject({ ok: true }); // 16 today
    expect(checkIdNumber('330203201011240016', NOW)).toEqual({ ok: false, reason: 'underage' }); // 16 tomorrow
    expect(checkIdNumber(withCheck('33020320261123001'), NOW)).toEqual({ ok: false, reason: 'underage' }); // born today
    // 2026-11-22T16:30Z is already 23 November in Shanghai, though still the 22nd in UTC.
    expect(checkIdNumber('330203201011230010', new Date('2026-11-22T16:30:00Z'))).toMatchObject({ ok: true });
    expect(checkIdNumber('330203201011230010', new Date('2026-11-22T15:30:00Z'))).toEqual({ ok: false, reason: 'underage' });
  });

  it('counts a 29 February birthday as reached on 1 March in common years', () => {
    const leapling = withCheck('33021220080229123'); // born 2008-02-29; with minAge 17 the birthday falls in 2025, a common year
    expect(checkIdNumber(leapling, new Date('2025-02-28T12:00:00Z'), 17)).toEqual({ ok: false, reason: 'underage' });
    expect(checkIdNumber(leapling, new Date('2025-03-01T12:00:00Z'), 17)).toMatchObject({ ok: true });
  });

  it('checks in order: format, checksum, birth date, age', () => {
    // wrong checksum and an impossible date: checksum wins
    expect(checkIdNumber('330212199002301230', NOW)).toEqual({ ok: false, reason: 'checksum' });
  });
});
