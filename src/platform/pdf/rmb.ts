/**
 * Amounts of money as they are written on Chinese forms: in capital numerals (人民币大写) and in
 * digits. Amounts are integer fen (分) everywhere so no floating-point value ever reaches a form.
 *
 * The capital form follows 《正确填写票据和结算凭证的基本规定》: 壹拾 keeps its 壹; a run of zeros
 * inside the number is written as one 零; a zero 角 before a non-zero 分 is written (元零伍分);
 * whole yuan end with 整; where the rules allow the 零 either way (a zero 万位 or 元位 before a
 * non-zero 千位 or 角位), it is left out (壹拾万柒仟元, 壹仟陆佰捌拾元叁角贰分).
 */

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const IN_GROUP = ['', '拾', '佰', '仟'] as const;
const GROUPS = ['', '万', '亿'] as const;

/** The largest amount accepted: 999,999,999,999.99 yuan (玖仟玖佰玖拾玖亿…), far above any claim. */
export const MAX_FEN = 99_999_999_999_999;

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > MAX_FEN) {
    throw new RangeError(`Amount must be a whole number of fen between 0 and ${MAX_FEN}, got ${fen}`);
  }
}

/** One group of four digits (0 < n < 10000) without leading 零. */
function groupToCapital(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out) pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[d] + IN_GROUP[pos];
  }
  return out;
}

function yuanToCapital(yuan: number): string {
  const groups: number[] = [];
  for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let out = '';
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i];
    if (g === 0) continue;
    // A zero 千位 inside the number is a gap that must be written (壹亿零柒万, 壹拾万零柒佰).
    if (out && g < 1000) out += '零';
    // A run of empty groups between two non-empty ones is a gap too (壹亿零壹元).
    else if (out && groups[i + 1] === 0 && !out.endsWith('零')) out += '零';
    out += groupToCapital(g) + GROUPS[i];
  }
  return out;
}

/** 1234567 → 壹万贰仟叁佰肆拾伍元陆角柒分; 100 → 壹元整; 5 → 伍分; 0 → 零元整. */
export function fenToCapital(fen: number): string {
  assertFen(fen);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  if (fen === 0) return '零元整';
  let out = yuan > 0 ? `${yuanToCapital(yuan)}元` : '';
  if (jiao === 0 && cents === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (cents > 0) out += `${DIGITS[cents]}分`;
  return out;
}

/** 1234567 → '12,345.67'. */
export function formatFen(fen: number): string {
  assertFen(fen);
  const yuan = Math.floor(fen / 100).toLocaleString('en-US');
  return `${yuan}.${String(fen % 100).padStart(2, '0')}`;
}

/** 1234567 → '¥12,345.67（人民币壹万贰仟叁佰肆拾伍元陆角柒分）' — how a form states a sum once. */
export function formatFenBoth(fen: number): string {
  return `¥${formatFen(fen)}（人民币${fenToCapital(fen)}）`;
}
