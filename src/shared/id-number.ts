/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit region code, 8-digit birth
 * date, 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
/** China Standard Time has no daylight saving: calendar dates are taken at UTC+8 whatever the server's zone. */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

export const MIN_WORKER_AGE = 16;

export type IdNumberProblem = 'format' | 'checksum' | 'birth_date' | 'underage';

export type IdNumberCheck =
  | { ok: true; value: string; regionCode: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; reason: IdNumberProblem };

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('need 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Calendar date (y, m, d) in Asia/Shanghai at the instant `at`. */
function shanghaiDate(at: Date): [number, number, number] {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const before = (a: [number, number, number], b: [number, number, number]) =>
  a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];

/**
 * Validates an 18-character number at the instant `now` (age is counted on the Shanghai calendar).
 * Accepts a lowercase 'x' and returns the number normalised with 'X'. Surrounding spaces are ignored.
 */
export function checkIdNumber(input: string, now: Date, minAge = MIN_WORKER_AGE): IdNumberCheck {
  const value = input.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return { ok: false, reason: 'format' };
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: 'checksum' };

  const birth: [number, number, number] = [Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14))];
  const today = shanghaiDate(now);
  if (birth[0] < 1900 || !isRealDate(...birth) || before(today, birth)) return { ok: false, reason: 'birth_date' };
  // Comparing (y, m, d) tuples makes a 29 February birthday fall on 1 March in common years.
  if (before(today, [birth[0] + minAge, birth[1], birth[2]])) return { ok: false, reason: 'underage' };

  return {
    ok: true,
    value,
    regionCode: value.slice(0, 6),
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}
