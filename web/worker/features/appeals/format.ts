/** Money and hashes as the appeal screens show them (pure, no React). */

/** ¥12,000.50 from integer fen. */
export function formatFen(fen: number): string {
  const yuan = fen / 100;
  return `¥${yuan.toLocaleString('zh-CN', { minimumFractionDigits: fen % 100 ? 2 : 0, maximumFractionDigits: 2 })}`;
}

/** "1500.5" → 150050 fen; '' → undefined; anything else → NaN. */
export function yuanToFen(text: string): number | undefined {
  const s = text.trim().replace(/[,，]/g, '');
  if (!s) return undefined;
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(s)) return Number.NaN;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export const shortHash = (sha256: string) => sha256.slice(0, 12);
