import type { TFunction } from 'i18next';
import type { OpenState } from '@contracts/places';

/**
 * How places read in a list: "350 米", "1.2 公里", "营业中 · 22:00 关门", "已打烊 · 明天 08:00 开门".
 * Times are on the Shanghai clock whatever the phone's time zone (China has no daylight saving: +08:00).
 */

const SHANGHAI_MS = 8 * 3600_000;

export function formatDistance(t: TFunction, metres: number): string {
  if (metres < 1000) return t('places.distance.m', { n: metres < 100 ? Math.round(metres) : Math.round(metres / 10) * 10 });
  const km = metres / 1000;
  return t('places.distance.km', { n: km < 10 ? (Math.round(km * 10) / 10).toFixed(1) : Math.round(km) });
}

/** Days since the epoch on the Shanghai calendar. */
function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_MS) / 86_400_000);
}

function hhmm(ms: number): string {
  const d = new Date(ms + SHANGHAI_MS);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** "22:00", "明天 08:00" or "周三 08:00" for an instant within the coming week. */
export function formatChangeTime(t: TFunction, iso: string, now = Date.now()): string {
  const at = new Date(iso).getTime();
  const days = shanghaiDay(at) - shanghaiDay(now);
  const time = hhmm(at);
  if (days <= 0) return t('places.open.today', { time });
  if (days === 1) return t('places.open.tomorrow', { time });
  const weekday = new Date(at + SHANGHAI_MS).getUTCDay();
  return t('places.open.weekday', { day: t(`places.open.days.${weekday}`), time });
}

export type OpenTone = 'open' | 'closed' | 'unknown';

/** The open-state line and its tone (colour). */
export function openLine(t: TFunction, s: OpenState, now = Date.now()): { text: string; tone: OpenTone } {
  if (s.alwaysOpen) return { text: t('places.open.alwaysOpen'), tone: 'open' };
  if (s.open === null) return { text: t('places.open.unknown'), tone: 'unknown' };
  if (s.open) return { text: s.nextChange ? t('places.open.openUntil', { time: formatChangeTime(t, s.nextChange, now) }) : t('places.open.open'), tone: 'open' };
  return { text: s.nextChange ? t('places.open.closedUntil', { time: formatChangeTime(t, s.nextChange, now) }) : t('places.open.closed'), tone: 'closed' };
}

const dayNames: Record<string, number> = { Su: 0, Mo: 1, Tu: 2, We: 3, Th: 4, Fr: 5, Sa: 6 };

/**
 * Opening hours as stored (OpenStreetMap syntax) made readable: day abbreviations in the reader's
 * language, "24/7" as 24 hours, "off" as closed. Anything unusual is shown as written.
 */
export function readableHours(t: TFunction, hours: string): string[] {
  if (hours.trim() === '24/7') return [t('places.open.alwaysOpen')];
  return hours
    .split(';')
    .map((rule) => rule.trim())
    .filter(Boolean)
    .map((rule) =>
      rule
        .replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/g, (d) => t(`places.open.days.${dayNames[d]}`))
        .replace(/\bPH\b/g, t('places.open.holidays'))
        .replace(/\boff\b/g, t('places.open.off')),
    );
}
