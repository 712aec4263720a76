import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import type { AdminReport } from '../../contracts/reports.js';
import { AppError } from '../../shared/errors.js';
import { workerAccount } from '../points/points.service.js';
import { registerReportsJobs, REPORTS_JOBS } from './reports.jobs.js';
import type { ReportsModule } from './reports.module.js';
import { AREAS, BAIHE, insertPlace, loadCity, setShanghai, submission, testImage, verifiedWorker, workerOf } from './reports.test-support.js';

/**
 * The workflow on a real database: triage by rules, the state machine of a work order, deadlines on
 * the working-day calendar, verification with points, feedback, clawback, reminders and escalation.
 */
let t: TestApp;
let m: ReportsModule;
let dept: Record<string, string>;
let operator: StaffPrincipal; // the whole city
let districtOperator: StaffPrincipal; // 鄞州区
let urban: StaffPrincipal; // handler, 白鹤街道, 城管
let housing: StaffPrincipal; // handler, 白鹤街道, 住建
let grid: StaffPrincipal; // grid worker, 白鹤街道
const ctx = {};
const COMMUNITY = '330212011001'; // 丹顶鹤社区, 白鹤街道
const HOUR = 3600_000;
let seq = 0;

async function account(role: StaffRole, areaCode: string, departmentCodes: string[] = []): Promise<StaffPrincipal> {
  const username = `wf-${role}-${++seq}`;
  const id = await t.services.staff.seedStaff({ username, displayName: `${role} ${seq}`, password: 'Wf-Test@2026-pass', role, areaCode, departmentCodes });
  return { kind: 'staff', id, cityCode: '3302', username, displayName: `${role} ${seq}`, role, areaCode, departmentIds: departmentCodes.map((c) => dept[c]!) };
}

async function submitReport(o: { category?: string; workerId?: string } = {}): Promise<{ id: string; workerId: string }> {
  const workerId = o.workerId ?? (await verifiedWorker(t)).id;
  const photo = await m.reports.uploadPhoto({ kind: 'worker', id: workerId }, '3302', await testImage(++seq * 7919));
  const { report } = await m.reports.submit(workerOf(workerId), submission([photo.id], { category: o.category ?? 'road_damage' }), ctx);
  return { id: report.id, workerId };
}

async function afterPhoto(p: StaffPrincipal): Promise<string> {
  return (await m.reports.uploadPhoto({ kind: 'staff', id: p.id }, '3302', await testImage(++seq * 104729))).id;
}

async function row(id: string) {
  const r = await sql<{ status: string; outcome: string | null; department_id: string | null; deadline_at: Date | null; flags: string[]; version: number; points_granted: number; points_transaction_id: string | null; closed_on_time: boolean | null; feedback_deadline: Date | null; reopen_count: number; follower_count: number; merged_into: string | null; clawed_back_at: Date | null; routing_rule_id: string | null; street_code: string | null }>`
    select * from reports where id = ${id}`.execute(t.services.db);
  return r.rows[0]!;
}

const eventsOf = async (id: string) =>
  (await sql<{ type: string; public: boolean; data: unknown }>`select type, public, data from report_events where report_id = ${id} order by id`.execute(t.services.db)).rows.map((e) => ({
    ...e,
    data: (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown>,
  }));
const types = async (id: string) => (await eventsOf(id)).map((e) => e.type);

const inbox = async (recipientId: string, kind: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from notifications where recipient_id = ${recipientId} and kind = ${kind}`.execute(t.services.db)).rows[0]!.n;

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'ok';
}

const rule = (o: { category?: string | null; areaPrefix: string; department: string; priority?: number; streetCode?: string | null }) =>
  m.workflow.createRule(operator, { category: o.category ?? null, areaPrefix: o.areaPrefix, departmentId: dept[o.department]!, streetCode: o.streetCode ?? null, priority: o.priority ?? 0, active: true }, ctx);

beforeAll(async () => {
  t = await createTestApp();
  m = t.services.reportsModule;
  const city = await loadCity(t);
  dept = Object.fromEntries(city.departments.map((d) => [d.code, d.id]));
  await m.reports.ensureDefaultCategories('3302');
  // reports near BAIHE fall in 丹顶鹤社区 (the nearest place)
  await insertPlace(t, { type: 'compound', name: '白鹤花园', areaCode: COMMUNITY, lon: BAIHE.lon + 0.001, lat: BAIHE.lat });
  operator = await account('operator', '3302');
  districtOperator = await account('operator', AREAS.yinzhou);
  urban = await account('handler', AREAS.baihe, ['urban']);
  housing = await account('handler', AREAS.baihe, ['housing']);
  // the report's area is the community when the places index already knows 白鹤花园, else the worker's street
  grid = await account('grid_worker', AREAS.baihe);
  await rule({ areaPrefix: AREAS.baihe, department: 'urban' });
  await rule({ category: 'charging_hazard', areaPrefix: AREAS.yinzhou, department: 'housing' });
  registerReportsJobs(t.services.jobs, m);
});
afterAll(() => t.close());

describe('triage (分流)', () => {
  it('a submitted report is routed by the most specific rule, with a deadline on the working-day calendar', async () => {
    setShanghai(t, '2026-11-23 10:00'); // a Monday
    const { id } = await submitReport({ category: 'road_damage' });
    const r = await row(id);
    expect(r).toMatchObject({ status: 'dispatched', department_id: dept.urban, street_code: AREAS.baihe });
    expect(r.routing_rule_id).not.toBeNull();
    const cat = (await m.reports.categoryOf('3302', 'road_damage'))!;
    expect(r.deadline_at!.toISOString()).toBe((await t.services.calendar.deadlineAfter(t.clock.now(), cat.deadlineWorkingDays)).toISOString());
    // 3 working days from Monday: the end of Thursday, Shanghai time
    expect(r.deadline_at!.toISOString()).toBe(new Date('2026-11-26T23:59:59.999+08:00').toISOString());
    const routed = (await eventsOf(id)).find((e) => e.type === 'routed')!;
    expect(routed).toMatchObject({ public: true, data: { departmentId: dept.urban, ruleId: r.routing_rule_id, by: 'rule' } });
    expect(await inbox(urban.id, 'reports.routed')).toBeGreaterThan(0);
    // a category rule beats the "any category" rule of the street
    const charging = await submitReport({ category: 'charging_hazard' });
    expect((await row(charging.id)).department_id).toBe(dept.housing);
  });

  it('counts working days across the National Day week and its 调休 make-up Saturday', async () => {
    setShanghai(t, '2026-09-30 16:00');
    // 1–7 Oct are holidays (chinese-days); 5 working days after 30 Sep: 8, 9, Sat 10 Oct (make-up day), 12, 13 Oct
    expect((await t.services.calendar.deadlineAfter(t.clock.now(), 5)).toISOString()).toBe(new Date('2026-10-13T23:59:59.999+08:00').toISOString());
    const { id } = await submitReport({ category: 'compound_entry' }); // 5 working days
    expect((await row(id)).deadline_at!.toISOString()).toBe(new Date('2026-10-13T23:59:59.999+08:00').toISOString());
    setShanghai(t, '2026-11-27 18:00'); // a Friday: a 1-day category is due on Monday
    const flood = await submitReport({ category: 'flooding' });
    expect((await row(flood.id)).deadline_at!.toISOString()).toBe(new Date('2026-11-30T23:59:59.999+08:00').toISOString());
  });

  it('without a matching rule it waits for a human (triage_needed, private), once', async () => {
    setShanghai(t, '2026-11-23 10:00');
    await m.workflow.deleteRule(operator, (await m.workflow.listRules(operator)).find((x) => x.areaPrefix === AREAS.baihe)!.id, ctx);
    try {
      const { id } = await submitReport();
      expect((await row(id)).status).toBe('pending_triage');
      await m.workflow.triage(id);
      await m.workflow.triagePending();
      expect((await eventsOf(id)).filter((e) => e.type === 'triage_needed')).toEqual([expect.objectContaining({ public: false })]);
    } finally {
      await rule({ areaPrefix: AREAS.baihe, department: 'urban' });
    }
  });

  it('the safety-net job triages reports the submit hook never reached', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const { id } = await submitReport();
    // as if the hook had never run: back to the state right after the insert
    await sql`delete from report_events where report_id = ${id} and type <> 'submitted'`.execute(t.services.db);
    await sql`delete from report_orders where report_id = ${id}`.execute(t.services.db);
    await sql`update reports set status = 'pending_triage', department_id = null, deadline_at = null where id = ${id}`.execute(t.services.db);
    t.clock.advance(60_000);
    await t.services.jobs.runDue();
    expect((await row(id)).status).toBe('dispatched');
    expect((await types(id)).filter((x) => x === 'routed')).toHaveLength(1);
  });

  it('operators dispatch by hand (and may correct the category); others may not', async () => {
    const { id } = await submitReport();
    await m.workflow.returnReport(urban, id, '不属于城管职责', ctx);
    expect(await code(m.workflow.triageByHand(urban, id, { action: 'dispatch', departmentId: dept.housing! }, ctx))).toBe('reports.not_in_scope');
    expect(await code(m.workflow.triageByHand(grid, id, { action: 'dispatch', departmentId: dept.housing! }, ctx))).toBe('auth.forbidden');
    expect(await code(m.workflow.triageByHand(operator, id, { action: 'dispatch', departmentId: '00000000-0000-4000-8000-000000000000' }, ctx))).toBe('reports.department_not_found');
    const view = await m.workflow.triageByHand(operator, id, { action: 'dispatch', departmentId: dept.housing!, category: 'charging_hazard', note: '按充电隐患处理' }, ctx);
    expect(view).toMatchObject({ status: 'dispatched', departmentId: dept.housing, category: 'charging_hazard' });
    expect(view.timeline.at(-1)).toMatchObject({ type: 'routed', data: { by: 'staff', ruleId: null, category: 'charging_hazard' } });
    expect(view.orders.map((o) => o.status)).toEqual(['dispatched', 'returned']);
  });
});

describe('a work order from dispatch to close', () => {
  it('acknowledge → handle with an after-photo → verify valid: closed and fixed, on time, points to the reporter', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const { id, workerId } = await submitReport();
    let v: AdminReport = await m.workflow.detail(urban, id, ctx);
    expect(v.actions).toEqual(expect.arrayContaining(['acknowledge', 'return', 'extension', 'co_handlers']));
    expect(v.actions).not.toContain('handle');
    expect(await code(m.workflow.handle(urban, id, { result: '已修复', photoIds: [await afterPhoto(urban)] }, ctx))).toBe('reports.invalid_state');
    expect(await code(m.workflow.acknowledge(housing, id, ctx))).toBe('reports.not_in_scope');
    expect(await code(m.workflow.acknowledge(grid, id, ctx))).toBe('auth.forbidden');

    v = await m.workflow.acknowledge(urban, id, ctx);
    expect(v.status).toBe('acknowledged');
    expect(v.orders[0]).toMatchObject({ status: 'acknowledged', departmentName: '综合行政执法局（城管）' });

    t.clock.advance(2 * HOUR);
    const photo = await afterPhoto(urban);
    v = await m.workflow.handle(urban, id, { result: '已修补路面坑洼', photoIds: [photo] }, ctx);
    expect(v.status).toBe('handled');
    expect(v.photos.filter((p) => p.kind === 'after').map((p) => p.id)).toEqual([photo]);
    expect(v.orders[0]).toMatchObject({ status: 'handled', result: '已修补路面坑洼' });
    expect(await inbox(workerId, 'reports.handled')).toBe(1);
    expect(await inbox(grid.id, 'reports.to_verify')).toBeGreaterThan(0);
    // a photo is used once
    expect(await code(m.workflow.handle(urban, id, { result: 'again', photoIds: [photo] }, ctx))).toBe('reports.invalid_state');

    expect(await code(m.workflow.verify(urban, id, { verdict: 'valid' }, ctx))).toBe('auth.forbidden');
    v = await m.workflow.verify(grid, id, { verdict: 'valid', note: '现场核实已修复' }, ctx);
    expect(v).toMatchObject({ status: 'closed', outcome: 'fixed', pointsGranted: 10, actions: [] });
    const r = await row(id);
    expect(r.closed_on_time).toBe(true);
    expect(r.feedback_deadline!.getTime() - t.clock.now().getTime()).toBe(7 * 24 * HOUR);
    expect(r.points_transaction_id).not.toBeNull();
    expect(await types(id)).toEqual(['submitted', 'routed', 'acknowledged', 'handled', 'verified', 'closed', 'points_awarded']);
    expect(await t.services.points.balanceOf('3302', workerAccount(workerId))).toBe(10);
    expect(await inbox(workerId, 'reports.closed')).toBe(1);
    expect(await inbox(workerId, 'reports.points')).toBe(1);
    // the actor of a staff event is named on the staff view
    expect(v.timeline.find((e) => e.type === 'acknowledged')!.actor).toEqual({ kind: 'staff', name: urban.displayName });
  });

  it('late: closed_on_time is false', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const { id } = await submitReport();
    await m.workflow.acknowledge(urban, id, ctx);
    setShanghai(t, '2026-12-01 10:00');
    await m.workflow.handle(urban, id, { result: '已处理', photoIds: [await afterPhoto(urban)] }, ctx);
    await m.workflow.verify(operator, id, { verdict: 'valid' }, ctx);
    expect((await row(id)).closed_on_time).toBe(false);
  });

  it('not fixed goes back to the department; invalid closes without points', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const { id, workerId } = await submitReport();
    await m.workflow.acknowledge(urban, id, ctx);
    await m.workflow.handle(urban, id, { result: '已处理', photoIds: [await afterPhoto(urban)] }, ctx);
    let v = await m.workflow.verify(grid, id, { verdict: 'not_fixed', note: '坑洼仍在' }, ctx);
    expect(v).toMatchObject({ status: 'acknowledged', outcome: null });
    expect(v.orders[0]!.status).toBe('acknowledged');
    expect(await inbox(urban.id, 'reports.not_fixed')).toBeGreaterThan(0);
    await m.workflow.handle(urban, id, { result: '重新修补', photoIds: [await afterPhoto(urban)] }, ctx);
    v = await m.workflow.verify(grid, id, { verdict: 'invalid', note: '非道路问题' }, ctx);
    expect(v).toMatchObject({ status: 'closed', outcome: 'invalid', pointsGranted: 0 });
    expect(await inbox(workerId, 'reports.closed_invalid')).toBe(1);
  });

  it('co-handling departments (协办) see the report and may handle it, but only the lead acknowledges or returns', async () => {
    const { id } = await submitReport();
    expect(await code(m.workflow.detail(housing, id, ctx))).toBe('reports.not_in_scope');
    await m.workflow.addCoHandlers(urban, id, { departmentIds: [dept.housing!, dept.urban!] }, ctx);
    const v = await m.workflow.detail(housing, id, ctx);
    expect(v.orders[0]!.coDepartments.map((d) => d.id)).toEqual([dept.housing]);
    expect(v.actions).toEqual([]);
    expect(await inbox(housing.id, 'reports.co_handling')).toBe(1);
    expect(await code(m.workflow.acknowledge(housing, id, ctx))).toBe('auth.forbidden');
    await m.workflow.acknowledge(urban, id, ctx);
    expect((await m.workflow.detail(housing, id, ctx)).actions).toEqual(['handle']);
    await m.workflow.handle(housing, id, { result: '住建协助处理完毕', photoIds: [await afterPhoto(housing)] }, ctx);
    expect((await row(id)).status).toBe('handled');
  });

  it('退回: back to the human triage queue, never auto-routed to that department again', async () => {
    const { id } = await submitReport();
    expect(await code(m.workflow.returnReport(urban, id, ' ', ctx))).toBe('reports.reason_required');
    const v = await m.workflow.returnReport(urban, id, '不属于本街道管辖', ctx);
    expect(v).toMatchObject({ status: 'pending_triage', departmentId: null, deadlineAt: null });
    expect(v.orders[0]).toMatchObject({ status: 'returned', current: false, returnReason: '不属于本街道管辖' });
    expect((await eventsOf(id)).slice(-2).map((e) => [e.type, e.public])).toEqual([
      ['returned', true],
      ['triage_needed', false],
    ]);
    expect(await inbox(operator.id, 'reports.returned')).toBeGreaterThan(0);
    // the urban handler no longer sees it; triage does not route it again
    expect(await code(m.workflow.detail(urban, id, ctx))).toBe('reports.not_in_scope');
    await m.workflow.triage(id);
    expect((await row(id)).status).toBe('pending_triage');
  });

  it('extensions: asked once at a time; approved moves the deadline by working days from the old one', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const { id } = await submitReport(); // due Thu 26 Nov
    const before = (await row(id)).deadline_at!;
    await m.workflow.requestExtension(urban, id, { days: 2, reason: '需协调施工队' }, ctx);
    expect(await code(m.workflow.requestExtension(urban, id, { days: 1, reason: '再等等' }, ctx))).toBe('reports.invalid_state');
    expect(await code(m.workflow.decideExtension(urban, id, { approved: true }, ctx))).toBe('auth.forbidden');
    expect(await inbox(operator.id, 'reports.extension_requested')).toBeGreaterThan(0);
    const v = await m.workflow.decideExtension(districtOperator, id, { approved: true }, ctx);
    const expected = await t.services.calendar.deadlineAfter(before, 2); // Fri 27, Mon 30 Nov
    expect(expected.toISOString()).toBe(new Date('2026-11-30T23:59:59.999+08:00').toISOString());
    expect(v.deadlineAt).toBe(expected.toISOString());
    expect(v.orders[0]).toMatchObject({ deadlineAt: expected.toISOString(), extension: { days: 2, status: 'approved' } });
    expect(await inbox(urban.id, 'reports.extension_approved')).toBe(1);
    // rejected: the deadline stays
    await m.workflow.requestExtension(urban, id, { days: 5, reason: '还需时间' }, ctx);
    const w = await m.workflow.decideExtension(operator, id, { approved: false, note: '请按期完成' }, ctx);
    expect(w.deadlineAt).toBe(expected.toISOString());
    expect(w.timeline.at(-1)).toMatchObject({ type: 'extension_decided', public: false });
  });

  it('two staff acting at once: one wins, the other is told the report changed', async () => {
    const { id } = await submitReport();
    const results = await Promise.all([code(m.workflow.acknowledge(urban, id, ctx)), code(m.workflow.returnReport(urban, id, '并发退回', ctx))]);
    expect(results.filter((x) => x === 'ok')).toHaveLength(1);
    expect(results.filter((x) => x === 'request.conflict' || x === 'reports.invalid_state')).toHaveLength(1);
  });
});

describe('duplicates (merged into the original)', () => {
  it('the duplicate closes, its reporter follows the original and earns the smaller share; the original’s people are told', async () => {
    setShanghai(t, '2026-11-24 09:00');
    const original = await submitReport();
    const dup = await submitReport();
    expect(await code(m.workflow.triageByHand(operator, dup.id, { action: 'duplicate', intoId: dup.id }, ctx))).toBe('reports.duplicate_target');
    const v = await m.workflow.triageByHand(operator, dup.id, { action: 'duplicate', intoId: original.id, note: '同一坑洼' }, ctx);
    expect(v).toMatchObject({ status: 'closed', outcome: 'duplicate', mergedInto: { id: original.id }, pointsGranted: 2 });
    const o = await row(original.id);
    expect(o.follower_count).toBe(1);
    const follower = await sql<{ via: string }>`select via from report_followers where report_id = ${original.id} and worker_id = ${dup.workerId}`.execute(t.services.db);
    expect(follower.rows).toEqual([{ via: 'merged' }]);
    expect(await inbox(dup.workerId, 'reports.merged')).toBe(1);
    expect(await inbox(original.workerId, 'reports.merged_in')).toBe(1);
    const ov = await m.workflow.detail(operator, original.id, ctx);
    expect(ov.duplicates).toEqual([{ id: dup.id, code: v.code }]);
    expect(ov.timeline.at(-1)).toMatchObject({ type: 'duplicate_merged_in', public: false });
    // a duplicate is no target
    const third = await submitReport();
    expect(await code(m.workflow.triageByHand(operator, third.id, { action: 'duplicate', intoId: dup.id }, ctx))).toBe('reports.duplicate_target');
    // invalid at triage
    expect((await m.workflow.triageByHand(operator, third.id, { action: 'invalid', note: '照片与问题无关' }, ctx)).outcome).toBe('invalid');
  });

  it('verify as duplicate after handling', async () => {
    const original = await submitReport();
    const dup = await submitReport();
    await m.workflow.acknowledge(urban, dup.id, ctx);
    await m.workflow.handle(urban, dup.id, { result: '同上', photoIds: [await afterPhoto(urban)] }, ctx);
    expect(await code(m.workflow.verify(grid, dup.id, { verdict: 'duplicate' }, ctx))).toBe('reports.duplicate_target');
    const v = await m.workflow.verify(grid, dup.id, { verdict: 'duplicate', intoId: original.id }, ctx);
    expect(v).toMatchObject({ outcome: 'duplicate', mergedInto: { id: original.id } });
  });
});

describe('the reporter’s feedback', () => {
  async function closedValid() {
    setShanghai(t, '2026-11-24 09:00');
    const rep = await submitReport();
    await m.workflow.acknowledge(urban, rep.id, ctx);
    await m.workflow.handle(urban, rep.id, { result: '已修复', photoIds: [await afterPhoto(urban)] }, ctx);
    await m.workflow.verify(grid, rep.id, { verdict: 'valid' }, ctx);
    return rep;
  }

  it('confirms once; nobody else may', async () => {
    const rep = await closedValid();
    const stranger = await verifiedWorker(t);
    expect(await code(m.workflow.feedback(workerOf(stranger.id), rep.id, { feedback: 'confirmed' }, ctx))).toBe('reports.not_found');
    await m.workflow.feedback(workerOf(rep.workerId), rep.id, { feedback: 'confirmed' }, ctx);
    expect(await code(m.workflow.feedback(workerOf(rep.workerId), rep.id, { feedback: 'disputed', reason: '又坏了' }, ctx))).toBe('reports.feedback_closed');
  });

  it('a dispute within 7 days reopens it with a fresh deadline; re-closing earns no second points', async () => {
    const rep = await closedValid();
    expect(await code(m.workflow.feedback(workerOf(rep.workerId), rep.id, { feedback: 'disputed' }, ctx))).toBe('reports.reason_required');
    t.clock.advance(3 * 24 * HOUR);
    await m.workflow.feedback(workerOf(rep.workerId), rep.id, { feedback: 'disputed', reason: '坑洼仍在' }, ctx);
    const r = await row(rep.id);
    expect(r).toMatchObject({ status: 'acknowledged', outcome: null, reopen_count: 1, points_granted: 10 });
    expect(r.flags).toContain('reopened');
    expect(r.deadline_at!.toISOString()).toBe((await t.services.calendar.deadlineAfter(t.clock.now(), 3)).toISOString());
    expect((await types(rep.id)).slice(-2)).toEqual(['disputed', 'reopened']);
    expect(await inbox(urban.id, 'reports.reopened')).toBeGreaterThan(0);
    await m.workflow.handle(urban, rep.id, { result: '彻底修复', photoIds: [await afterPhoto(urban)] }, ctx);
    const v = await m.workflow.verify(grid, rep.id, { verdict: 'valid' }, ctx);
    expect(v.pointsGranted).toBe(10);
    expect((await types(rep.id)).filter((x) => x === 'points_awarded')).toHaveLength(1);
    // feedback is open again for the new close
    await m.workflow.feedback(workerOf(rep.workerId), rep.id, { feedback: 'confirmed' }, ctx);
  });

  it('after 7 days the window is closed', async () => {
    const rep = await closedValid();
    t.clock.advance(7 * 24 * HOUR);
    expect(await code(m.workflow.feedback(workerOf(rep.workerId), rep.id, { feedback: 'disputed', reason: '没修好' }, ctx))).toBe('reports.feedback_closed');
  });
});

describe('clawback', () => {
  it('city operators take the points back and flag the report; once', async () => {
    setShanghai(t, '2026-11-25 09:00');
    const rep = await submitReport();
    await m.workflow.acknowledge(urban, rep.id, ctx);
    await m.workflow.handle(urban, rep.id, { result: '已修复', photoIds: [await afterPhoto(urban)] }, ctx);
    await m.workflow.verify(grid, rep.id, { verdict: 'valid' }, ctx);
    expect(await code(m.workflow.clawback(districtOperator, rep.id, '照片系网图', ctx))).toBe('auth.forbidden');
    expect((await m.workflow.detail(operator, rep.id, ctx)).actions).toEqual(['clawback']);
    const v = await m.workflow.clawback(operator, rep.id, '照片系网图', ctx);
    expect(v).toMatchObject({ clawedBack: true, actions: [] });
    expect(v.flags).toContain('fraud');
    expect(v.timeline.at(-1)).toMatchObject({ type: 'points_clawed_back', public: false, data: { points: 10 } });
    expect(await code(m.workflow.clawback(operator, rep.id, '再次', ctx))).toBe('reports.invalid_state');
  });
});

describe('deadlines: reminders and escalation (督办), durable jobs', () => {
  it('reminds the department 24 h before, escalates to the operators after, each once', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const { id } = await submitReport(); // due Thu 26 Nov 23:59:59.999
    await sql`update report_orders set reminded_at = now(), escalated_at = now() where report_id <> ${id} and current`.execute(t.services.db);
    const reminders = await inbox(urban.id, 'reports.reminder');
    setShanghai(t, '2026-11-25 23:00'); // 25 h before: nothing yet
    t.clock.advance(10 * 60_000);
    await t.services.jobs.runDue();
    expect(await inbox(urban.id, 'reports.reminder')).toBe(reminders);
    setShanghai(t, '2026-11-26 01:00');
    await t.services.jobs.runDue();
    expect(await inbox(urban.id, 'reports.reminder')).toBe(reminders + 1);
    t.clock.advance(10 * 60_000);
    await t.services.jobs.runDue();
    expect(await inbox(urban.id, 'reports.reminder')).toBe(reminders + 1);

    const escalations = await inbox(operator.id, 'reports.escalated');
    setShanghai(t, '2026-11-27 00:10');
    await t.services.jobs.runDue();
    expect(await inbox(operator.id, 'reports.escalated')).toBe(escalations + 1);
    expect(await inbox(districtOperator.id, 'reports.escalated')).toBeGreaterThan(0);
    t.clock.advance(10 * 60_000);
    await t.services.jobs.runDue();
    expect(await inbox(operator.id, 'reports.escalated')).toBe(escalations + 1);
    const r = await row(id);
    expect(r.flags).toContain('escalated');
    expect((await eventsOf(id)).filter((e) => ['reminded', 'escalated'].includes(e.type)).map((e) => [e.type, e.public])).toEqual([
      ['reminded', false],
      ['escalated', false],
    ]);
    expect((await m.workflow.detail(operator, id, ctx)).overdue).toBe(true);
    const runs = await sql<{ kind: string }>`select distinct kind from jobs where kind like 'reports.%' and status = 'done'`.execute(t.services.db);
    expect(runs.rows.map((x) => x.kind)).toEqual(expect.arrayContaining([REPORTS_JOBS.reminders, REPORTS_JOBS.escalations, REPORTS_JOBS.triage]));
  });
});

describe('the demo seed', () => {
  it('seeds the routing rules once and routes 白鹤 reports to 城管', async () => {
    const { seedReportsWorkflowDemo } = await import('./workflow.demo-seed.js');
    // this city already has rules: nothing is added
    expect(await seedReportsWorkflowDemo(t.services, '3302')).toEqual({ rules: 0 });
    await sql`delete from report_routing_rules`.execute(t.services.db);
    expect(await seedReportsWorkflowDemo(t.services, '3302')).toEqual({ rules: 6 });
    expect(await seedReportsWorkflowDemo(t.services, '3302')).toEqual({ rules: 0 });
    setShanghai(t, '2026-11-23 10:00');
    expect((await row((await submitReport({ category: 'garbage' })).id)).department_id).toBe(dept.urban);
    expect((await row((await submitReport({ category: 'compound_entry' })).id)).department_id).toBe(dept.hrss);
    expect((await row((await submitReport({ category: 'predatory_rental' })).id)).department_id).toBe(dept.market);
  });
});
