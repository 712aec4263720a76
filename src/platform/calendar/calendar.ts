import { createRequire } from 'node:module';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { CalendarDay, CalendarYear, CalendarYearInput } from '../../contracts/reports.js';
import type { FieldError } from '../../contracts/errors.js';
import type { AuditContext, AuditService } from '../../modules/audit/audit.service.js';
import { AppError } from '../../shared/errors.js';

/** Working days in Asia/Shanghai: the State Council calendar (holidays and 调休 make-up days). */
export interface WorkCalendar {
  /** day: 'YYYY-MM-DD' (a Shanghai calendar day). */
  isWorkingDay(day: string): Promise<boolean>;
  /** The end (23:59:59.999 Asia/Shanghai) of the n-th working day after `from`'s Shanghai day. */
  deadlineAfter(from: Date, workingDays: number): Promise<Date>;
  /** Working days after a's Shanghai day up to and including b's (0 when b is not after a). */
  workingDaysBetween(a: Date, b: Date): Promise<number>;
  year(y: number): Promise<CalendarYear>;
  /** Operators load a year the bundled calendar does not know (replaces that year's exceptions). */
  loadYear(p: StaffPrincipal, y: number, input: CalendarYearInput, ctx: AuditContext): Promise<CalendarYear>;
}

type DayKind = CalendarDay['kind'];
interface YearData {
  source: CalendarYear['source'];
  loadedAt: Date | null;
  /** The exceptions to "Monday to Friday": by 'YYYY-MM-DD'. */
  days: Map<string, { kind: DayKind; name: string }>;
}

const OFFSET_MS = 8 * 3600_000; // Asia/Shanghai: UTC+8 all year
const DAY_MS = 86_400_000;
/** Operator-loaded years are re-read at most this often, so every server sees a load within a minute. */
const OVERRIDE_TTL_MS = 60_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' of the Shanghai day containing `at`. */
export const shanghaiDay = (at: Date): string => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
const endOfShanghaiDay = (day: string): Date => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS - 1 - OFFSET_MS);
const isWeekend = (day: string): boolean => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
const validDay = (day: string): boolean => {
  const t = DAY_RE.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day; // 02-30 parses as 03-02
};

/**
 * The years `chinese-days` ships (2004 to the latest the State Council has published). Its entries
 * read "National Day,国庆节,3"; holiday spans include their weekend days.
 */
function bundledYears(): Map<number, YearData> {
  const require = createRequire(import.meta.url);
  const data: { holidays: Record<string, string>; workdays: Record<string, string> } = require('chinese-days/dist/chinese-days.json');
  const years = new Map<number, YearData>();
  const add = (entries: Record<string, string>, kind: DayKind) => {
    for (const [date, label] of Object.entries(entries)) {
      const y = Number(date.slice(0, 4));
      let year = years.get(y);
      if (!year) years.set(y, (year = { source: 'bundled', loadedAt: null, days: new Map() }));
      year.days.set(date, { kind, name: label.split(',')[1] ?? label });
    }
  };
  add(data.holidays, 'holiday');
  add(data.workdays, 'workday');
  return years;
}

type Tables = {
  calendar_days: { day: string; kind: DayKind; name: string; loaded_at: Date; loaded_by: string | null };
  calendar_years: { year: number; loaded_at: Date; loaded_by: string | null };
};

function createCalendarRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  return {
    async overrides(): Promise<Map<number, YearData>> {
      const years = await on().selectFrom('calendar_years').select(['year', 'loaded_at']).execute();
      const days = await on()
        .selectFrom('calendar_days')
        .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'kind', 'name'])
        .execute();
      const out = new Map<number, YearData>(years.map((y) => [Number(y.year), { source: 'operator', loadedAt: new Date(y.loaded_at), days: new Map() }]));
      for (const d of days) out.get(Number(d.day.slice(0, 4)))?.days.set(d.day, { kind: d.kind, name: d.name });
      return out;
    },
    async replaceYear(y: number, days: CalendarDay[], at: Date, by: string): Promise<void> {
      await database.transaction().execute(async (trx) => {
        await on(trx).deleteFrom('calendar_days').where(sql<boolean>`day between ${`${y}-01-01`}::date and ${`${y}-12-31`}::date`).execute();
        if (days.length > 0) {
          await on(trx)
            .insertInto('calendar_days')
            .values(days.map((d) => ({ day: d.date, kind: d.kind, name: d.name, loaded_at: at, loaded_by: by })))
            .execute();
        }
        await on(trx)
          .insertInto('calendar_years')
          .values({ year: y, loaded_at: at, loaded_by: by })
          .onConflict((oc) => oc.column('year').doUpdateSet({ loaded_at: at, loaded_by: by }))
          .execute();
      });
    },
  };
}

/**
 * The working-day calendar: the bundled State Council years from `chinese-days`; a year an operator
 * loaded (calendar_years/calendar_days) replaces the bundled one; any other year counts only Saturdays
 * and Sundays as days off (source 'weekends_only') until someone loads it.
 */
export function createWorkCalendar(deps: { db: Db; clock: Clock; audit: Pick<AuditService, 'record'> }): WorkCalendar {
  const { clock, audit } = deps;
  const repo = createCalendarRepository(deps.db);
  const bundled = bundledYears();
  let cache: { at: number; years: Map<number, YearData> } | undefined;

  async function overrides(): Promise<Map<number, YearData>> {
    const now = clock.now().getTime();
    if (!cache || now - cache.at >= OVERRIDE_TTL_MS || now < cache.at) cache = { at: now, years: await repo.overrides() };
    return cache.years;
  }

  /** A day's working status against one snapshot of the overrides (no I/O per day). */
  const working = (years: Map<number, YearData>, day: string): boolean => {
    const y = Number(day.slice(0, 4));
    const exception = (years.get(y) ?? bundled.get(y))?.days.get(day);
    if (exception) return exception.kind === 'workday';
    return !isWeekend(day);
  };

  async function yearOf(y: number): Promise<CalendarYear> {
    const data = (await overrides()).get(y) ?? bundled.get(y);
    if (!data) return { year: y, source: 'weekends_only', days: [], loadedAt: null };
    const days = [...data.days.entries()].map(([date, d]) => ({ date, kind: d.kind, name: d.name })).sort((a, b) => a.date.localeCompare(b.date));
    return { year: y, source: data.source, days, loadedAt: data.loadedAt?.toISOString() ?? null };
  }

  function validate(y: number, days: CalendarDay[]): void {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    days.forEach((d, i) => {
      if (!validDay(d.date)) errors.push({ field: `days[${i}].date`, message: 'not a date (YYYY-MM-DD)' });
      else if (Number(d.date.slice(0, 4)) !== y) errors.push({ field: `days[${i}].date`, message: `not in ${y}` });
      else if (seen.has(d.date)) errors.push({ field: `days[${i}].date`, message: 'listed twice' });
      seen.add(d.date);
      if (d.kind !== 'holiday' && d.kind !== 'workday') errors.push({ field: `days[${i}].kind`, message: 'holiday or workday' });
      if (d.name.length > 40) errors.push({ field: `days[${i}].name`, message: 'at most 40 characters' });
    });
    if (errors.length > 0) throw new AppError('reports.calendar_invalid', `The ${y} calendar is invalid`, { errors });
  }

  return {
    async isWorkingDay(day) {
      return working(await overrides(), day);
    },

    async deadlineAfter(from, workingDays) {
      const years = await overrides();
      let day = shanghaiDay(from);
      // bounded: even 60 working days plus every holiday of a year stay far below this
      for (let left = workingDays, guard = 0; left > 0 && guard < 3660; guard++) {
        day = nextDay(day);
        if (working(years, day)) left--;
      }
      return endOfShanghaiDay(day);
    },

    async workingDaysBetween(a, b) {
      const years = await overrides();
      const last = shanghaiDay(b);
      let count = 0;
      for (let day = nextDay(shanghaiDay(a)); day <= last; day = nextDay(day)) if (working(years, day)) count++;
      return count;
    },

    year: yearOf,

    async loadYear(p, y, input, ctx) {
      if (!(p.role === 'operator' && p.areaCode === p.cityCode)) {
        throw new AppError('auth.forbidden', 'Only an operator of the whole city loads the working-day calendar');
      }
      if (!Number.isInteger(y) || y < 2000 || y > 2100) throw new AppError('reports.calendar_invalid', 'year: 2000–2100', { errors: [{ field: 'year', message: '2000–2100' }] });
      validate(y, input.days);
      const at = clock.now();
      await repo.replaceYear(y, input.days, at, p.id);
      cache = undefined;
      const holidays = input.days.filter((d) => d.kind === 'holiday').length;
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'calendar.year_loaded',
        targetKind: 'calendar_year',
        targetId: String(y),
        detail: { year: y, holidays, workdays: input.days.length - holidays },
      });
      return yearOf(y);
    },
  };
}
