import { formatDateTime } from '@ui/format';
import { i18n } from '@ui/i18n';

/** A Shanghai calendar date (2026-11-23) from an ISO time. */
export const formatDate = (iso: string | null | undefined) => formatDateTime(iso).slice(0, 10);

/** `2026-05` → 2026年5月 / May 2026. */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  if (i18n.language === 'en') return new Date(Date.UTC(y, m - 1, 15)).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `${y}年${m}月`;
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** +12 / −5, with a real minus sign. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
