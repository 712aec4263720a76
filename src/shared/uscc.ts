/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters —
 *   1      registration authority (登记管理部门) code
 *   2      institution category (机构类别) code, which depends on the authority
 *   3–8    the registering administration's area code (GB/T 2260)
 *   9–17   the organisation's code (主体标识码, GB 11714)
 *   18     check character, MOD 31 over the first 17 with the weights 3^i mod 31
 * Pure and dependency-free: the server and the admin console validate with the same function.
 */

/** The code's alphabet: digits and capital letters except I, O, S, V, Z, in value order 0–30. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Registration authorities and the institution categories each may issue (GB 32100-2015, 附录 A):
 * 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商(市场监管),
 * A 中央军委改革和编制办公室, N 农业, Y 其他.
 */
export const USCC_AUTHORITIES: Record<string, string> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

/** First two digits of a GB/T 2260 province code, plus 10 for registrations at national level. */
const PROVINCES = new Set([
  '10', '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

export type UsccProblem = 'length' | 'charset' | 'authority' | 'category' | 'area' | 'checksum';

export type UsccCheck = { ok: true; value: string; authority: string; category: string; areaCode: string } | { ok: false; problem: UsccProblem };

/** The check character (position 18) of the first 17 characters. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error('usccCheckChar needs 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`not a USCC character: ${first17[i]}`);
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Upper-cased, without spaces or dashes as people copy them from a licence. */
export function normaliseUscc(input: string): string {
  return input.replace(/[\s\u3000-]/g, '').toUpperCase();
}

/** Validates a code as typed (normalised first); says what is wrong, or describes it. */
export function checkUscc(input: string): UsccCheck {
  const value = normaliseUscc(input);
  if (value.length !== 18) return { ok: false, problem: 'length' };
  for (const ch of value) if (!USCC_ALPHABET.includes(ch)) return { ok: false, problem: 'charset' };
  const categories = USCC_AUTHORITIES[value[0]];
  if (!categories) return { ok: false, problem: 'authority' };
  if (!categories.includes(value[1])) return { ok: false, problem: 'category' };
  const areaCode = value.slice(2, 8);
  if (!/^\d{6}$/.test(areaCode) || !PROVINCES.has(areaCode.slice(0, 2))) return { ok: false, problem: 'area' };
  if (usccCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, value, authority: value[0], category: value[1], areaCode };
}

export const isValidUscc = (input: string): boolean => checkUscc(input).ok;

/** Why a code is refused, in English (API detail); the apps translate the problem key. */
export const usccProblemMessages: Record<UsccProblem, string> = {
  length: 'must be 18 characters',
  charset: 'may contain only digits and capital letters except I, O, S, V and Z',
  authority: 'the first character (registration authority) must be one of 1–9, A, N or Y',
  category: 'the second character (institution category) is not valid for this registration authority',
  area: 'characters 3–8 must be a 6-digit administrative area code',
  checksum: 'the check character (the last one) does not match; please check the code',
};
