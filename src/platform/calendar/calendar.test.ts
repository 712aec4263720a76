import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { staffClient, auditActions } from '../../modules/charging/charging.test-support.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { CalendarDay } from '../../contracts/reports.js';
import { createWorkCalendar, type WorkCalendar } from './calendar.js';

let t: TestApp;
let calendar: WorkCalendar;
let operator: StaffPrincipal;

/** An instant given as Shanghai wall-clock time. */
const sh = (wall: string) => new Date(`${wall.replace(' ', 'T')}+08:00`);
/** The end of a Shanghai day, as deadlines are. */
const endOf = (day: string) => sh(`${day} 23:59:59.999`);

const ctx = {};

beforeAll(async () => {
  t = await createTestApp();
  calendar = t.services.calendar;
  const op = await staffClient(t, 'operator', '3302', '市委社会工作部 王主任');
  operator = op.principal;
});
afterAll(() => t.close());

describe('the bundled State Council calendar (chinese-days)', () => {
  it('knows the 2026 National Day holidays and their make-up working days (调休)', async () => {
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']) expect(await calendar.isWorkingDay(d), d).toBe(false);
    // 2026: National Day is 7 days (10-01..07), Mid-Autumn (09-25) is separate; 10-08 is a Thursday at work
    expect(await calendar.isWorkingDay('2026-10-08')).toBe(true);
    expect(await calendar.isWorkingDay('2026-09-25')).toBe(false);
    // make-up working days on a Sunday and a Saturday
    expect(await calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(await calendar.isWorkingDay('2026-10-10')).toBe(true);
    // ordinary weekend and weekday
    expect(await calendar.isWorkingDay('2026-10-11')).toBe(false);
    expect(await calendar.isWorkingDay('2026-11-23')).toBe(true);
    expect(await calendar.isWorkingDay('2026-02-14')).toBe(true); // Spring Festival make-up Saturday
  });

  it('describes 2026 as bundled, with holidays and make-up days named', async () => {
    const y = await calendar.year(2026);
    expect(y.source).toBe('bundled');
    expect(y.loadedAt).toBeNull();
    expect(y.days).toContainEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(y.days).toContainEqual({ date: '2026-09-20', kind: 'workday', name: '国庆节' });
    expect(y.days).toContainEqual({ date: '2026-02-17', kind: 'holiday', name: '春节' });
    expect(y.days.every((d) => d.date.startsWith('2026-'))).toBe(true);
    expect([...y.days].map((d) => d.date)).toEqual([...y.days].map((d) => d.date).sort());
  });

  it('counts deadlines across the National Day week, make-up Saturday included', async () => {
    // Wed 09-30 → Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 make-up (3)
    expect(await calendar.deadlineAfter(sh('2026-09-30 10:00'), 3)).toEqual(endOf('2026-10-10'));
    expect(await calendar.deadlineAfter(sh('2026-09-30 10:00'), 1)).toEqual(endOf('2026-10-08'));
    // Sat 09-19 → Sun 09-20 is a working day
    expect(await calendar.deadlineAfter(sh('2026-09-19 09:00'), 1)).toEqual(endOf('2026-09-20'));
    // Thu 09-24 → Fri 09-25 Mid-Autumn, weekend → Mon 09-28 (1)… through the holidays to Thu 10-08 (4)
    expect(await calendar.deadlineAfter(sh('2026-09-24 18:00'), 4)).toEqual(endOf('2026-10-08'));
  });

  it('counts deadlines across a weekend, by the Shanghai day of the start', async () => {
    expect(await calendar.deadlineAfter(sh('2026-11-20 15:00'), 2)).toEqual(endOf('2026-11-24')); // Fri → Mon, Tue
    expect(await calendar.deadlineAfter(sh('2026-11-23 10:00'), 5)).toEqual(endOf('2026-11-30'));
    // 01:00 Saturday in Shanghai is still Friday in UTC: the Shanghai day counts
    expect(await calendar.deadlineAfter(new Date('2026-11-20T17:00:00Z'), 1)).toEqual(endOf('2026-11-23'));
    // 0 working days: the end of today
    expect(await calendar.deadlineAfter(sh('2026-11-23 10:00'), 0)).toEqual(endOf('2026-11-23'));
  });

  it('counts working days between two instants', async () => {
    expect(await calendar.workingDaysBetween(sh('2026-09-30 10:00'), sh('2026-10-12 08:00'))).toBe(4); // 10-08, 09, 10, 12
    expect(await calendar.workingDaysBetween(sh('2026-11-20 10:00'), sh('2026-11-20 23:00'))).toBe(0);
    expect(await calendar.workingDaysBetween(sh('2026-11-24 10:00'), sh('2026-11-20 10:00'))).toBe(0);
    expect(await calendar.workingDaysBetween(sh('2026-11-20 10:00'), sh('2026-11-24 00:30'))).toBe(2);
  });
});

describe('years the bundled calendar does not know', () => {
  const golden2027: CalendarDay[] = [
    { date: '2027-10-01', kind: 'holiday', name: '国庆节' },
    { date: '2027-10-04', kind: 'holiday', name: '国庆节' },
    { date: '2027-10-05', kind: 'holiday', name: '国庆节' },
    { date: '2027-10-06', kind: 'holiday', name: '国庆节' },
    { date: '2027-10-07', kind: 'holiday', name: '国庆节' },
    { date: '2027-09-26', kind: 'workday', name: '国庆节' },
    { date: '2027-10-09', kind: 'workday', name: '国庆节' },
  ];

  it('count only weekends as days off until an operator loads the year', async () => {
    expect(await calendar.year(2027)).toEqual({ year: 2027, source: 'weekends_only', days: [], loadedAt: null });
    expect(await calendar.isWorkingDay('2027-10-01')).toBe(true); // a Friday
    expect(await calendar.isWorkingDay('2027-09-26')).toBe(false); // a Sunday
    // across the year boundary from the bundled 2026 into the unknown 2027: Fri 01-01 counts
    expect(await calendar.deadlineAfter(sh('2026-12-31 10:00'), 1)).toEqual(endOf('2027-01-01'));
  });

  it('an operator of the whole city loads 2027; deadlines follow it at once (audited)', async () => {
    t.clock.set(sh('2026-12-10 10:00'));
    const loaded = await calendar.loadYear(operator, 2027, { days: golden2027 }, { principal: operator });
    expect(loaded.source).toBe('operator');
    expect(loaded.loadedAt).toBe(sh('2026-12-10 10:00').toISOString());
    expect(loaded.days.map((d) => d.date)).toEqual([...golden2027.map((d) => d.date)].sort());
    expect(await calendar.isWorkingDay('2027-10-01')).toBe(false);
    expect(await calendar.isWorkingDay('2027-09-26')).toBe(true);
    expect(await calendar.isWorkingDay('2027-10-08')).toBe(true);
    // Thu 09-30 → Sat 10-09 make-up (1) … → Tue 10-12 (2)
    expect(await calendar.deadlineAfter(sh('2027-09-30 12:00'), 1)).toEqual(endOf('2027-10-08'));
    expect(await calendar.deadlineAfter(sh('2027-09-30 12:00'), 2)).toEqual(endOf('2027-10-09'));
    expect(await calendar.year(2027)).toEqual(loaded);
    const audit = await auditActions(t, 'calendar.');
    expect(audit.at(-1)).toMatchObject({ action: 'calendar.year_loaded', target_id: '2027', outcome: 'success' });
    expect(audit.at(-1)!.detail).toMatchObject({ holidays: 5, workdays: 2 });
  });

  it('loading a year again replaces its days', async () => {
    await calendar.loadYear(operator, 2027, { days: golden2027.filter((d) => d.date !== '2027-10-07') }, ctx);
    expect(await calendar.isWorkingDay('2027-10-07')).toBe(true);
    expect((await calendar.year(2027)).days).toHaveLength(6);
  });

  it('an operator-loaded year overrides the bundled one', async () => {
    await calendar.loadYear(operator, 2026, { days: [{ date: '2026-11-23', kind: 'holiday', name: '测试' }] }, ctx);
    expect(await calendar.isWorkingDay('2026-11-23')).toBe(false);
    expect(await calendar.isWorkingDay('2026-10-01')).toBe(true); // the bundled holidays no longer apply
    expect((await calendar.year(2026)).source).toBe('operator');
  });

  it('another instance (another server) sees a loaded year within a minute', async () => {
    const other = createWorkCalendar({ db: t.services.db, clock: t.clock, audit: t.services.audit });
    expect(await other.isWorkingDay('2028-10-02')).toBe(true); // a Monday; 2028 unknown: cached as weekends only
    await calendar.loadYear(operator, 2028, { days: [{ date: '2028-10-02', kind: 'holiday', name: '国庆节' }] }, ctx);
    expect(await other.isWorkingDay('2028-10-02')).toBe(true); // still cached
    t.clock.advance(61_000);
    expect(await other.isWorkingDay('2028-10-02')).toBe(false);
  });

  it('rejects days outside the year, duplicates and bad dates; only an operator of the whole city may load', async () => {
    const bad = async (days: CalendarDay[]) => {
      const e = await calendar.loadYear(operator, 2029, { days }, ctx).catch((err: unknown) => err);
      expect(e).toMatchObject({ code: 'reports.calendar_invalid' });
      return e as { extra: { errors?: { field: string }[] } };
    };
    expect((await bad([{ date: '2030-01-01', kind: 'holiday', name: '元旦' }])).extra.errors?.[0]?.field).toBe('days[0].date');
    await bad([
      { date: '2029-01-01', kind: 'holiday', name: '元旦' },
      { date: '2029-01-01', kind: 'workday', name: '元旦' },
    ]);
    await bad([{ date: '2029-02-30', kind: 'holiday', name: '春节' }]);
    await bad([{ date: '2029-1-1', kind: 'holiday', name: '元旦' }]);
    await bad([{ date: '2029-13-01', kind: 'holiday', name: '元旦' }]);
    expect((await calendar.year(2029)).source).toBe('weekends_only');
    const district = { ...operator, areaCode: '330212' };
    await expect(calendar.loadYear(district, 2029, { days: [] }, ctx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    const handler = { ...operator, role: 'handler' as const };
    await expect(calendar.loadYear(handler, 2029, { days: [] }, ctx)).rejects.toMatchObject({ code: 'auth.forbidden' });
  });
});

describe('calendar routes', () => {
  it('staff read a year; only an operator of the whole city writes it', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/calendar/2026' })).statusCode).toBe(401);
    // sessions made now: the clock moved on in the tests above
    const admin = (await staffClient(t, 'operator', '3302')).client;
    const handler = (await staffClient(t, 'handler', '330212011')).client;
    const read = await handler.get('/api/admin/calendar/2030');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ year: 2030, source: 'weekends_only', days: [], loadedAt: null });
    expect((await handler.get('/api/admin/calendar/1999')).statusCode).toBe(400);

    const days = [
      { date: '2030-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2030-09-29', kind: 'workday', name: '国庆节' },
    ];
    expect((await handler.request({ method: 'PUT', url: '/api/admin/calendar/2030', payload: { days } })).statusCode).toBe(403);
    const district = (await staffClient(t, 'operator', '330212')).client;
    expect((await district.request({ method: 'PUT', url: '/api/admin/calendar/2030', payload: { days } })).json().code).toBe('auth.forbidden');

    const put = await admin.request({ method: 'PUT', url: '/api/admin/calendar/2030', payload: { days } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2030, source: 'operator', days: [days[1], days[0]] });
    expect((await handler.get('/api/admin/calendar/2030')).json().source).toBe('operator');

    const wrongYear = await admin.request({ method: 'PUT', url: '/api/admin/calendar/2030', payload: { days: [{ date: '2031-01-01', kind: 'holiday', name: '元旦' }] } });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json()).toMatchObject({ code: 'reports.calendar_invalid' });
  });
});
