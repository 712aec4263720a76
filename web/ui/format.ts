/**
 * Dates are shown on the Shanghai calendar whatever the phone's time zone (the platform's city is in
 * China); the format is the same numeric one in both languages: 2026-11-23 14:05.
 */
const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = Object.fromEntries(parts.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Hour of day in Shanghai, for the greeting. */
export function shanghaiHour(now = new Date()): number {
  return (now.getUTCHours() + 8) % 24;
}

/**
 * Yuan as a person types them (up to 2 decimals, thousands separators allowed) → integer fen, parsed
 * as text so 8600.5 is 860050 with no float drift. Empty → undefined; anything else → NaN, which the
 * server refuses with a field error.
 */
export function yuanToFen(yuan: string | number | null | undefined): number | undefined {
  if (yuan === null || yuan === undefined) return undefined;
  const s = String(yuan).trim().replace(/[,，]/g, '');
  if (!s) return undefined;
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(s)) return Number.NaN;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}
