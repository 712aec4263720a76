import OpeningHours from 'opening_hours';

/**
 * Opening hours in OpenStreetMap `opening_hours` syntax, evaluated in Asia/Shanghai whatever the
 * server's time zone. The library reads a Date's *local* fields, so we hand it a Date whose local
 * fields are Shanghai's wall clock and turn its answers back into instants (China has no DST: +08:00).
 */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const WEEK_MS = 7 * 86400_000;

export type Hours = InstanceType<typeof OpeningHours>;

export class InvalidHoursError extends Error {}

/** Parses and checks a value; throws InvalidHoursError with the library's reason. */
export function parseHours(value: string): Hours {
  const trimmed = value.trim();
  if (!trimmed) throw new InvalidHoursError('empty');
  try {
    // mode 0: time ranges only (no points in time); no nominatim object: PH/SH rules are refused below.
    const oh = new OpeningHours(trimmed, null, { mode: 0, tag_key: 'opening_hours', map_value: false, warnings_severity: 4, locale: 'en' } as never);
    // Rules that need a country's holiday data (PH, SH) throw only when evaluated: probe once.
    oh.getState(new Date(2026, 0, 1, 12));
    oh.getNextChange(new Date(2026, 0, 1, 12), new Date(2026, 0, 9));
    return oh;
  } catch (err) {
    throw new InvalidHoursError(String(err instanceof Error ? err.message : err).split('\n')[0]);
  }
}

/** True when the value parses. */
export function isValidHours(value: string): boolean {
  try {
    parseHours(value);
    return true;
  } catch {
    return false;
  }
}

/** Shanghai wall-clock fields of an instant, as a Date in the process's local zone. */
export function shanghaiWall(at: Date): Date {
  const w = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return new Date(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds(), w.getUTCMilliseconds());
}

/** The instant of a Shanghai wall-clock Date made by shanghaiWall (or returned by the library). */
export function fromShanghaiWall(wall: Date): Date {
  return new Date(
    Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes(), wall.getSeconds(), wall.getMilliseconds()) - SHANGHAI_OFFSET_MS,
  );
}

export interface OpenStateValue {
  open: boolean | null;
  nextChange: Date | null;
  alwaysOpen: boolean;
}

/** Open now, and when that changes (within a week). Unknown hours → open: null. */
export function openState(hours: Hours | string | null | undefined, at: Date): OpenStateValue {
  if (hours === null || hours === undefined) return { open: null, nextChange: null, alwaysOpen: false };
  let oh: Hours;
  try {
    oh = typeof hours === 'string' ? parseHours(hours) : hours;
  } catch {
    return { open: null, nextChange: null, alwaysOpen: false };
  }
  const wall = shanghaiWall(at);
  const open = oh.getUnknown(wall) ? null : oh.getState(wall);
  const next = oh.getNextChange(wall, new Date(wall.getTime() + WEEK_MS));
  const alwaysOpen = open === true && next === undefined;
  return { open, nextChange: next ? fromShanghaiWall(next) : null, alwaysOpen };
}

/**
 * Many places share a few schedules ("24/7", "08:00-22:00" …). A Schedules table numbers the distinct
 * values once and answers "open at this minute?" from a per-minute cache, so a query over a million
 * places evaluates each distinct schedule at most once a minute.
 */
export class Schedules {
  /** id 0: unknown hours. */
  static readonly UNKNOWN = 0;
  private readonly values: string[] = [''];
  private readonly parsed: (Hours | null)[] = [null];
  private readonly ids = new Map<string, number>();
  private cacheMinute = -1;
  private cache = new Int8Array(16); // 0 unevaluated, 1 open, 2 closed, 3 unknown

  /** The id of a schedule (adding it if new); invalid or empty hours → UNKNOWN. */
  idOf(value: string | null | undefined): number {
    const v = value?.trim();
    if (!v) return Schedules.UNKNOWN;
    const hit = this.ids.get(v);
    if (hit !== undefined) return hit;
    let oh: Hours | null = null;
    try {
      oh = parseHours(v);
    } catch {
      oh = null;
    }
    const id = oh ? this.values.length : Schedules.UNKNOWN;
    if (oh) {
      this.values.push(v);
      this.parsed.push(oh);
      if (this.cache.length < this.values.length) {
        const grown = new Int8Array(this.cache.length * 2);
        grown.set(this.cache);
        this.cache = grown;
      }
      this.cache[id] = 0;
    }
    this.ids.set(v, id);
    return id;
  }

  get size(): number {
    return this.values.length;
  }

  /** Open at `at` (to the minute)? Unknown hours are not open. */
  isOpen(id: number, at: Date): boolean {
    if (id === Schedules.UNKNOWN) return false;
    const minute = Math.floor(at.getTime() / 60_000);
    if (minute !== this.cacheMinute) {
      this.cache.fill(0);
      this.cacheMinute = minute;
    }
    let v = this.cache[id];
    if (v === 0) {
      const oh = this.parsed[id]!;
      const wall = shanghaiWall(new Date(minute * 60_000));
      v = oh.getUnknown(wall) ? 3 : oh.getState(wall) ? 1 : 2;
      this.cache[id] = v;
    }
    return v === 1;
  }
}
