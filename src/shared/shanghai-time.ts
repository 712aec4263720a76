/**
 * Calendar days and months in Asia/Shanghai (UTC+8 all year, no daylight saving since 1991), whatever
 * the server's time zone: caps count per Shanghai day and month, the leaderboard and the ledger export
 * per Shanghai month.
 */
const OFFSET_MS = 8 * 3600 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of the Shanghai day containing `at`. */
export function shanghaiDay(at: Date): string {
  const d = new Date(at.getTime() + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The instant a Shanghai day ('YYYY-MM-DD') starts. */
export function startOfShanghaiDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** 'YYYY-MM' of the Shanghai month containing `at`. */
export function shanghaiMonth(at: Date): string {
  return shanghaiDay(at).slice(0, 7);
}

/** The instant a Shanghai month starts, and the instant the next one starts. */
export function monthRange(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(y, m - 1, 1) - OFFSET_MS), end: new Date(Date.UTC(y, m, 1) - OFFSET_MS) };
}

/** `month` moved by `delta` months ('2026-01', -1 → '2025-12'). */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + delta;
  return `${Math.floor(idx / 12)}-${pad((idx % 12) + 1)}`;
}

/** Shanghai wall-clock time of an instant, 'YYYY-MM-DD HH:mm:ss' (for exports). */
export function shanghaiDateTime(at: Date): string {
  const d = new Date(at.getTime() + OFFSET_MS);
  return `${shanghaiDay(at)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
