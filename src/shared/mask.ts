/** Masking for display: enough to recognise a record, not enough to identify a person (minimum disclosure). */

/** First 3 and last 4 characters: '11010519491231002X' → '110***********002X'. */
export function maskIdNumber(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

/** '13812348000' → '138****8000'. */
export function maskPhone(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

/** Keeps the family name's first character: '张三' → '张*', '欧阳娜娜' → '欧***'. Counts characters, not UTF-16 units. */
export function maskName(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
