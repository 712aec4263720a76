/** Money and hashes as the appeal screens show them (pure, no React). */

/** ¥12,000.50 from integer fen. */
export function formatFen(fen: number): string {
  const yuan = fen / 100;
  return `¥${yuan.toLocaleString('zh-CN', { minimumFractionDigits: fen % 100 ? 2 : 0, maximumFractionDigits: 2 })}`;
}

export const shortHash = (sha256: string) => sha256.slice(0, 12);
