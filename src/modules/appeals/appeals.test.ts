import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { AppError } from '../../shared/errors.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { appealsOf, ctx, hotlineAppeal, loadCity, nextClientId, nextPhone, PDF, PNG, setShanghai, staffAccount, verifiedWorker, wageAppeal, workerOf } from './appeals.test-support.js';

let t: TestApp;
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as AppError).code;
  }
  return 'no error';
};
const eventsOf = (v: { timeline: { type: string }[] }, type: string) => v.timeline.filter((e) => e.type === type).length;
const count = async (table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.services.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  setShanghai(t, '2026-11-23 10:00');
});
afterAll(async () => t?.close());

describe('intake', () => {
  it('files a verified worker’s appeal once per clientId, with a code, deadlines and a timeline', async () => {
    const w = await verifiedWorker(t);
    const input = wageAppeal();
    const first = await appealsOf(t).submit(workerOf(w.id), input, ctx);
    expect(first.created).toBe(true);
    expect(first.appeal.code).toMatch(/^SQ261123\d{5}$/);
    expect(first.appeal).toMatchObject({ status: 'submitted', channel: 'app', type: 'wage_arrears', amountClaimedFen: 1_200_000, areaCode: '330212011' });
    expect(first.appeal.deadlines.acknowledgeBy).toBe('2026-11-24T02:00:00.000Z');
    expect(eventsOf(first.appeal, 'submitted')).toBe(1);

    const again = await appealsOf(t).submit(workerOf(w.id), input, ctx);
    expect(again).toMatchObject({ created: false, appeal: { id: first.appeal.id } });
    expect(await codeOf(appealsOf(t).submit(workerOf(w.id), { ...input, description: '另一件事情完全不同' }, ctx))).toBe('appeals.client_id_conflict');
    const mine = await appealsOf(t).mine(workerOf(w.id), { page: 1, pageSize: 20 });
    expect(mine.total).toBe(1);
  });

  it('refuses unverified workers and bad input without storing anything', async () => {
    const before = await count('appeals');
    const { id } = await t.services.workers.seedWorker({ phone: nextPhone(), status: 'unverified', consent: false });
    expect(await codeOf(appealsOf(t).submit(workerOf(id), wageAppeal(), ctx))).toBe('appeals.not_verified');
    const w = await verifiedWorker(t);
    const bad = appealsOf(t).submit(workerOf(w.id), wageAppeal({ respondent: { kind: 'company', name: 'X', uscc: '91330200MA2AAAAAA0' }, areaCode: '110101' }), ctx);
    const err = await bad.catch((e: AppError) => e);
    expect((err as AppError).code).toBe('request.invalid');
    expect((err as AppError).extra.errors?.map((e) => e.field).sort()).toEqual(['areaCode', 'respondent.uscc']);
    expect(await count('appeals')).toBe(before);
  });

  it('records a hotline caller’s appeal with the phone encrypted, and links it when that phone signs in', async () => {
    const agent = await staffAccount(t, 'hotline_agent', '3302');
    const phone = nextPhone();
    const { appeal } = await appealsOf(t).intake(agent, hotlineAppeal(phone), ctx);
    expect(appeal).toMatchObject({ channel: 'hotline', workerId: null, recordedBy: agent.id, contact: { phone, phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`, nameMasked: '王**' } });
    const raw = (await sql<{ caller_phone_enc: string; caller_phone_hash: string; caller_name_enc: string }>`select caller_phone_enc, caller_phone_hash, caller_name_enc from appeals where id = ${appeal.id}`.execute(t.services.db)).rows[0]!;
    expect(raw.caller_phone_enc).not.toContain(phone);
    expect(raw.caller_name_enc).not.toContain('王大力');
    expect(raw.caller_phone_hash).toBe(t.services.pii.blindIndex(phone));

    // the caller registers later: the sweep links the appeal into their list
    const w = await verifiedWorker(t, { phone });
    expect((await appealsOf(t).mine(workerOf(w.id), { page: 1, pageSize: 20 })).total).toBe(0);
    expect(await appealsOf(t).linkCallers()).toBeGreaterThanOrEqual(1);
    const mine = await appealsOf(t).mine(workerOf(w.id), { page: 1, pageSize: 20 });
    expect(mine.items.map((x) => x.id)).toEqual([appeal.id]);
    const view = await appealsOf(t).workerView(workerOf(w.id), appeal.id);
    expect(eventsOf(view, 'linked')).toBe(1);
  });

  it('links a registered caller at once, and rejects a bad phone or a role that does not take calls', async () => {
    const agent = await staffAccount(t, 'hotline_agent', '3302');
    const w = await verifiedWorker(t);
    const { appeal } = await appealsOf(t).intake(agent, hotlineAppeal(w.phone), ctx);
    expect(appeal.workerId).toBe(w.id);
    expect(await codeOf(appealsOf(t).intake(agent, hotlineAppeal('12345'), ctx))).toBe('request.invalid');
    const scanner = await staffAccount(t, 'scanner', '330212011');
    expect(await codeOf(appealsOf(t).intake(scanner, hotlineAppeal(nextPhone(), { channel: 'walk_in' }), ctx))).toBe('auth.forbidden');
    const handler = await staffAccount(t, 'handler', '330212011');
    expect(await codeOf(appealsOf(t).intake(handler, hotlineAppeal(nextPhone()), ctx))).toBe('auth.forbidden');
    const walkIn = await appealsOf(t).intake(handler, hotlineAppeal(nextPhone(), { channel: 'walk_in', clientId: nextClientId() }), ctx);
    expect(walkIn.appeal.channel).toBe('walk_in');
  });
});

describe('"1+2+3" assignment and privacy', () => {
  let operator: StaffPrincipal;
  let stationHead: StaffPrincipal;
  let streetOfficer: StaffPrincipal;
  let industryOfficer: StaffPrincipal;
  let dept: string;
  beforeAll(async () => {
    operator = await staffAccount(t, 'operator', '3302');
    stationHead = await staffAccount(t, 'handler', '330212002');
    streetOfficer = await staffAccount(t, 'handler', '330212002');
    industryOfficer = await staffAccount(t, 'handler', '330212');
    dept = (await t.services.staff.departmentsOf('3302')).find((d) => d.code === 'hrss')!.id;
    await appealsOf(t).createRule(operator, { type: 'wage_arrears', areaPrefix: '330212002', stationHeadId: stationHead.id, streetOfficerId: streetOfficer.id, industryOfficerId: industryOfficer.id, departmentId: dept }, ctx);
    // a weaker rule (any type) for the same street: a wage appeal must not pick it
    await appealsOf(t).createRule(operator, { areaPrefix: '330212002', stationHeadId: operator.id, priority: 100 }, ctx);
  });

  it('assigns the three leads by type × area, each on the timeline, and tells them', async () => {
    const w = await verifiedWorker(t, { areaCode: '330212002' });
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal(), ctx);
    expect(appeal.assignees.map((a) => [a.role, a.staffId]).sort()).toEqual(
      [
        ['industry_officer', industryOfficer.id],
        ['station_head', stationHead.id],
        ['street_officer', streetOfficer.id],
      ].sort(),
    );
    expect(eventsOf(appeal, 'assigned')).toBe(3);
    const staffView = await appealsOf(t).staffView(stationHead, appeal.id, ctx);
    expect(staffView.departmentId).toBe(dept);
    const inbox = await t.services.notifications.list(stationHead, { page: 1, pageSize: 50 });
    expect(inbox.items.some((n) => n.kind === 'appeals.assigned' && n.params.code === appeal.code)).toBe(true);
  });

  it('shows an appeal only to its worker, its people and supervisors over its area; staff reads are audited', async () => {
    const w = await verifiedWorker(t, { areaCode: '330212002' });
    const other = await verifiedWorker(t, { areaCode: '330212002' });
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal(), ctx);
    const stranger = await staffAccount(t, 'handler', '330212002');
    const haishuOperator = await staffAccount(t, 'operator', '330203');
    const yinzhouOperator = await staffAccount(t, 'operator', '330212');
    expect(await codeOf(appealsOf(t).workerView(workerOf(other.id), appeal.id))).toBe('appeals.not_found');
    expect(await codeOf(appealsOf(t).staffView(stranger, appeal.id, ctx))).toBe('appeals.not_found');
    expect(await codeOf(appealsOf(t).staffView(haishuOperator, appeal.id, ctx))).toBe('appeals.not_found');
    expect((await appealsOf(t).staffView(yinzhouOperator, appeal.id, { principal: yinzhouOperator })).id).toBe(appeal.id);

    // the list: the stranger sees nothing of it, the supervisor does, masked
    const strangerList = await appealsOf(t).staffList(stranger, { page: 1, pageSize: 200 }, ctx);
    expect(strangerList.items.map((x) => x.id)).not.toContain(appeal.id);
    const supList = await appealsOf(t).staffList(yinzhouOperator, { page: 1, pageSize: 200, type: 'wage_arrears', areaCode: '330212002' }, { principal: yinzhouOperator });
    const row = supList.items.find((x) => x.id === appeal.id)!;
    expect(row.nameMasked).toBe('张**');
    expect(row.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(await codeOf(appealsOf(t).staffList(stranger, { page: 1, pageSize: 20, mine: true }, ctx))).toBe('no error');

    const audit = await sql<{ action: string; actor_id: string; target_id: string | null; outcome: string }>`select action, actor_id, target_id, outcome from audit_log where actor_id = ${yinzhouOperator.id}`.execute(t.services.db);
    expect(audit.rows.map((r) => r.action).sort()).toEqual(['appeals.list', 'appeals.read']);
  });

  it('lets a collaborator added by staff see and work it; the recording agent sees but may not work it', async () => {
    const agent = await staffAccount(t, 'hotline_agent', '3302');
    const { appeal } = await appealsOf(t).intake(agent, hotlineAppeal(nextPhone(), { type: 'wage_arrears', areaCode: '330212002' }), ctx);
    const lawyer = await staffAccount(t, 'mediator', '330212', ['justice']);
    expect(await codeOf(appealsOf(t).staffView(lawyer, appeal.id, ctx))).toBe('appeals.not_found');
    const after = await appealsOf(t).addAssignee(streetOfficer, appeal.id, { staffId: lawyer.id, role: 'lawyer' }, ctx);
    expect(after.assignees.some((a) => a.staffId === lawyer.id && a.role === 'lawyer')).toBe(true);
    expect(eventsOf(after, 'assigned')).toBe(4);
    expect((await appealsOf(t).acknowledge(lawyer, appeal.id, ctx)).status).toBe('acknowledged');
    expect((await appealsOf(t).staffView(agent, appeal.id, ctx)).id).toBe(appeal.id);
    expect(await codeOf(appealsOf(t).start(agent, appeal.id, ctx))).toBe('appeals.not_allowed');
    expect(await codeOf(appealsOf(t).addAssignee(streetOfficer, appeal.id, { staffId: crypto.randomUUID(), role: 'grid_worker' }, ctx))).toBe('appeals.staff_not_found');
    const removed = await appealsOf(t).removeAssignee(streetOfficer, appeal.id, lawyer.id, 'lawyer', ctx);
    expect(removed.assignees.some((a) => a.staffId === lawyer.id)).toBe(false);
    expect(await codeOf(appealsOf(t).staffView(lawyer, appeal.id, ctx))).toBe('appeals.not_found');
  });

  it('only operators change rules, inside their area, naming real accounts', async () => {
    const yinzhouOperator = await staffAccount(t, 'operator', '330212');
    expect(await codeOf(appealsOf(t).createRule(stationHead, { areaPrefix: '330212002' }, ctx))).toBe('auth.forbidden');
    expect(await codeOf(appealsOf(t).createRule(yinzhouOperator, { areaPrefix: '330203' }, ctx))).toBe('areas.out_of_scope');
    expect(await codeOf(appealsOf(t).createRule(yinzhouOperator, { areaPrefix: '330212009', streetOfficerId: crypto.randomUUID() }, ctx))).toBe('appeals.staff_not_found');
    const rules = await appealsOf(t).listRules(yinzhouOperator);
    expect(rules.filter((r) => r.areaPrefix === '330212002')).toHaveLength(2);
  });
});

describe('deadlines, reminders and escalation', () => {
  it('resolves within working days on the holiday calendar, counting 调休 make-up days', async () => {
    setShanghai(t, '2026-09-18 10:00'); // a Friday; Sunday 2026-09-20 is a make-up working day
    const w = await verifiedWorker(t);
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'legal_question' }), ctx);
    // 3 working days: Sun 20 (make-up), Mon 21, Tue 22 → end of Tue 22 in Shanghai
    expect(appeal.deadlines.resolveBy).toBe('2026-09-22T15:59:59.999Z');
    expect(appeal.deadlines.acknowledgeBy).toBe('2026-09-19T02:00:00.000Z');
    setShanghai(t, '2026-11-23 10:00');
  });

  it('uses the operator’s settings for appeals filed afterwards', async () => {
    const operator = await staffAccount(t, 'operator', '3302');
    const before = await appealsOf(t).getSettings(operator);
    expect(before.ackHours).toBe(24);
    await appealsOf(t).putSettings(operator, { ...before, ackHours: 8, resolveDays: { ...before.resolveDays, housing: 2 } }, ctx);
    const w = await verifiedWorker(t);
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'housing' }), ctx);
    expect(appeal.deadlines.acknowledgeBy).toBe('2026-11-23T10:00:00.000Z');
    expect(appeal.deadlines.resolveBy).toBe('2026-11-25T15:59:59.999Z');
    await appealsOf(t).putSettings(operator, before, ctx);
    const yinzhouOperator = await staffAccount(t, 'operator', '330212');
    expect(await codeOf(appealsOf(t).putSettings(yinzhouOperator, before, ctx))).toBe('auth.forbidden');
  });

  it('reminds the assignees before the acknowledge deadline and escalates to the operators after it, once each', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const operator = await staffAccount(t, 'operator', '330212');
    const head = await staffAccount(t, 'handler', '330212007');
    await appealsOf(t).createRule(operator, { type: 'social_insurance', areaPrefix: '330212007', stationHeadId: head.id }, ctx);
    const w = await verifiedWorker(t, { areaCode: '330212007' });
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'social_insurance' }), ctx);

    t.clock.advance(19 * 3600_000); // 5 hours left: outside the 4-hour window
    await appealsOf(t).remindDue();
    expect(eventsOf(await appealsOf(t).staffView(head, appeal.id, ctx), 'ack_reminded')).toBe(0);
    t.clock.advance(2 * 3600_000); // 3 hours left
    await appealsOf(t).remindDue();
    await appealsOf(t).remindDue();
    expect(eventsOf(await appealsOf(t).staffView(head, appeal.id, ctx), 'ack_reminded')).toBe(1);
    const headInbox = await t.services.notifications.list(head, { page: 1, pageSize: 50 });
    expect(headInbox.items.filter((n) => n.kind === 'appeals.ack_reminder' && n.params.code === appeal.code)).toHaveLength(1);

    t.clock.advance(4 * 3600_000); // past the deadline
    await appealsOf(t).escalateDue();
    await appealsOf(t).escalateDue();
    const v = await appealsOf(t).staffView(head, appeal.id, ctx);
    expect(eventsOf(v, 'ack_escalated')).toBe(1);
    expect(v.deadlines.overdue).toBe(true);
    const opInbox = await t.services.notifications.list(operator, { page: 1, pageSize: 50 });
    expect(opInbox.items.filter((n) => n.kind === 'appeals.escalated' && n.params.code === appeal.code)).toHaveLength(1);
    // the worker sees the clock (not the internal escalation)
    const wv = await appealsOf(t).workerView(workerOf(w.id), appeal.id);
    expect(wv.deadlines.overdue).toBe(true);
    expect(eventsOf(wv, 'ack_escalated')).toBe(0);
    setShanghai(t, '2026-11-23 10:00');
  });

  it('reminds before the resolve deadline and escalates after it, once each; a resolved appeal is left alone', async () => {
    setShanghai(t, '2026-11-23 10:00');
    const operator = await staffAccount(t, 'operator', '330212');
    const head = await staffAccount(t, 'handler', '330212008');
    await appealsOf(t).createRule(operator, { type: 'household_registration', areaPrefix: '330212008', streetOfficerId: head.id }, ctx);
    const w = await verifiedWorker(t, { areaCode: '330212008' });
    const late = (await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'household_registration' }), ctx)).appeal;
    const done = (await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'household_registration' }), ctx)).appeal;
    for (const id of [late.id, done.id]) await appealsOf(t).acknowledge(head, id, ctx);
    await appealsOf(t).resolve(head, done.id, { outcome: 'answered', resolution: '已告知落户办理流程' }, ctx);
    // 10 working days after Mon 2026-11-23: Mon 2026-12-07, end of day (Shanghai)
    expect(late.deadlines.resolveBy).toBe('2026-12-07T15:59:59.999Z');
    setShanghai(t, '2026-12-07 08:00'); // 16 hours left, inside the 24-hour window
    await appealsOf(t).remindDue();
    await appealsOf(t).remindDue();
    setShanghai(t, '2026-12-08 09:00');
    await appealsOf(t).escalateDue();
    await appealsOf(t).escalateDue();
    const v = await appealsOf(t).staffView(head, late.id, ctx);
    expect([eventsOf(v, 'resolve_reminded'), eventsOf(v, 'resolve_escalated')]).toEqual([1, 1]);
    const d = await appealsOf(t).staffView(head, done.id, ctx);
    expect([eventsOf(d, 'resolve_reminded'), eventsOf(d, 'resolve_escalated'), eventsOf(d, 'ack_escalated')]).toEqual([0, 0, 0]);
    const inbox = await t.services.notifications.list(head, { page: 1, pageSize: 50 });
    expect(inbox.items.filter((n) => n.kind === 'appeals.resolve_reminder' && n.params.code === late.code)).toHaveLength(1);
    expect(inbox.items.filter((n) => n.kind === 'appeals.overdue' && n.params.code === late.code)).toHaveLength(1);
    // resolving late is recorded as not on time
    const resolved = await appealsOf(t).resolve(head, late.id, { outcome: 'answered', resolution: '已办理' }, ctx);
    expect(resolved.timeline.find((e) => e.type === 'resolved')?.data.onTime).toBe(false);
    setShanghai(t, '2026-11-23 10:00');
  });

  it('runs as durable jobs in the jobs table (the caller link too)', async () => {
    const agent = await staffAccount(t, 'hotline_agent', '3302');
    const phone = nextPhone();
    const { appeal } = await appealsOf(t).intake(agent, hotlineAppeal(phone), ctx);
    const w = await verifiedWorker(t, { phone });
    await t.services.jobs.runDue();
    const kinds = await sql<{ kind: string }>`select distinct kind from jobs where kind like 'appeals.%' order by kind`.execute(t.services.db);
    expect(kinds.rows.map((r) => r.kind)).toEqual(['appeals.escalations', 'appeals.link_callers', 'appeals.reminders']);
    expect((await appealsOf(t).mine(workerOf(w.id), { page: 1, pageSize: 5 })).items.map((x) => x.id)).toEqual([appeal.id]);
  });
});

describe('the state machine through the service', () => {
  it('walks acknowledge → mediate → agreement → payments → resolve → dissatisfied → reopen once → resolve → return visit', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const w = await verifiedWorker(t);
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal(), ctx);
    expect(await codeOf(appealsOf(t).resolve(operator, appeal.id, { outcome: 'recovered', resolution: '已追回' }, ctx))).toBe('appeals.invalid_state');
    expect(await codeOf(appealsOf(t).rate(workerOf(w.id), appeal.id, { satisfaction: 'satisfied' }, ctx))).toBe('appeals.invalid_state');

    let v = await appealsOf(t).acknowledge(operator, appeal.id, ctx);
    expect(v.status).toBe('acknowledged');
    expect(v.acknowledgedAt).not.toBeNull();
    expect(await codeOf(appealsOf(t).acknowledge(operator, appeal.id, ctx))).toBe('appeals.invalid_state');
    v = await appealsOf(t).start(operator, appeal.id, ctx);
    expect(v.status).toBe('in_progress');

    v = await appealsOf(t).addSession(operator, appeal.id, { heldAt: '2026-11-24T06:00:00.000Z', place: '鄞州区一站式调解中心', participants: ['周建国', '速达劳务 李经理', '孙律师'], notes: '公司同意分两期支付' }, ctx);
    expect(v.status).toBe('mediating');
    expect(v.mediation.sessions).toHaveLength(1);
    v = await appealsOf(t).setAgreement(operator, appeal.id, { signedOn: '2026-11-24', instalments: [{ dueDate: '2026-11-30', amountFen: 600_000 }, { dueDate: '2026-12-31', amountFen: 600_000 }], terms: '分两期支付拖欠工资' }, ctx);
    expect(v.mediation.agreement).toMatchObject({ totalFen: 1_200_000, signedOn: '2026-11-24' });
    expect(await codeOf(appealsOf(t).setAgreement(operator, appeal.id, { signedOn: '2026-11-24', instalments: [{ dueDate: '2026-11-30', amountFen: 1 }] }, ctx))).toBe('appeals.agreement_exists');
    await appealsOf(t).addPayment(operator, appeal.id, { amountFen: 600_000, paidOn: '2026-11-30' }, ctx);
    v = await appealsOf(t).addPayment(operator, appeal.id, { amountFen: 550_000, paidOn: '2026-12-01', note: '第二期部分' }, ctx);
    expect(v.recoveredFen).toBe(1_150_000);
    expect(v.mediation.payments.map((p) => p.paidOn)).toEqual(['2026-11-30', '2026-12-01']);

    v = await appealsOf(t).resolve(operator, appeal.id, { outcome: 'agreement', resolution: '调解成功，已支付大部分' }, ctx);
    expect(v).toMatchObject({ status: 'resolved', outcome: 'agreement', canRate: true });

    expect(await codeOf(appealsOf(t).rate(workerOf(w.id), appeal.id, { satisfaction: 'dissatisfied' }, ctx))).toBe('appeals.reason_required');
    const rated = await appealsOf(t).rate(workerOf(w.id), appeal.id, { satisfaction: 'dissatisfied', reason: '还差五千没给' }, ctx);
    expect(rated).toMatchObject({ status: 'closed', satisfaction: 'dissatisfied', canReopen: true });

    await appealsOf(t).reopen(workerOf(w.id), appeal.id, { reason: '还差五千没给' }, ctx);
    v = await appealsOf(t).staffView(operator, appeal.id, ctx);
    expect(v).toMatchObject({ status: 'in_progress', reopenCount: 1, satisfaction: null, outcome: null });
    await appealsOf(t).addPayment(operator, appeal.id, { amountFen: 50_000, paidOn: '2026-12-02' }, ctx);
    await appealsOf(t).resolve(operator, appeal.id, { outcome: 'recovered', resolution: '全部追回' }, ctx);
    v = await appealsOf(t).returnVisit(operator, appeal.id, { method: 'phone', satisfaction: 'dissatisfied', reason: '时间太长' }, ctx);
    expect(v).toMatchObject({ status: 'closed', recoveredFen: 1_200_000, satisfaction: 'dissatisfied', canReopen: false });
    expect(await codeOf(appealsOf(t).reopen(workerOf(w.id), appeal.id, { reason: '再试一次' }, ctx))).toBe('appeals.reopen_limit');
    const types = v.timeline.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['acknowledged', 'started', 'mediation_started', 'mediation_session', 'agreement', 'payment', 'resolved', 'rated', 'closed', 'reopened', 'return_visit']));
    // the worker does not see the session notes
    const wv = await appealsOf(t).workerView(workerOf(w.id), appeal.id);
    expect(wv.mediation.sessions[0]!.notes).toBe('');
  });

  it('refers to arbitration with its reference, and a satisfied appeal cannot be reopened', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const w = await verifiedWorker(t);
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'work_injury' }), ctx);
    await appealsOf(t).acknowledge(operator, appeal.id, ctx);
    const v = await appealsOf(t).refer(operator, appeal.id, { kind: 'arbitration', reference: '甬鄞劳人仲案字〔2026〕第123号', resolution: '已协助申请劳动仲裁' }, ctx);
    expect(v).toMatchObject({ status: 'resolved', outcome: 'referred', referral: { kind: 'arbitration', reference: '甬鄞劳人仲案字〔2026〕第123号' } });
    await appealsOf(t).rate(workerOf(w.id), appeal.id, { satisfaction: 'basically_satisfied' }, ctx);
    expect(await codeOf(appealsOf(t).reopen(workerOf(w.id), appeal.id, { reason: '想重开' }, ctx))).toBe('appeals.invalid_state');
    expect(await codeOf(appealsOf(t).addSession(operator, appeal.id, { heldAt: '2026-11-24T06:00:00.000Z', place: 'x', participants: ['a'] }, ctx))).toBe('appeals.invalid_state');
  });
});

describe('evidence locker', () => {
  it('keeps files with kind, time and SHA-256, checked by content, readable only by those who see the appeal', async () => {
    const w = await verifiedWorker(t);
    const other = await verifiedWorker(t);
    const { appeal } = await appealsOf(t).submit(workerOf(w.id), wageAppeal(), ctx);
    const png = await appealsOf(t).addEvidence(workerOf(w.id), appeal.id, PNG, { kind: 'screenshot', note: '工资条截图', takenAt: '2026-10-31T12:00:00.000Z' }, ctx);
    expect(png).toMatchObject({ kind: 'screenshot', contentType: 'image/png', sizeBytes: PNG.length, sha256: crypto.createHash('sha256').update(PNG).digest('hex'), takenAt: '2026-10-31T12:00:00.000Z' });
    t.clock.advance(60_000);
    const pdf = await appealsOf(t).addEvidence(workerOf(w.id), appeal.id, PDF, { kind: 'attendance' }, ctx);
    expect(pdf.contentType).toBe('application/pdf');
    expect(await codeOf(appealsOf(t).addEvidence(workerOf(w.id), appeal.id, Buffer.from('<html>not a picture</html>'), { kind: 'photo' }, ctx))).toBe('storage.unsupported_type');
    expect(await codeOf(appealsOf(t).addEvidence(workerOf(other.id), appeal.id, PNG, { kind: 'photo' }, ctx))).toBe('appeals.not_found');

    const file = await appealsOf(t).evidenceFile(workerOf(w.id), appeal.id, png.id, ctx);
    expect(file.body.equals(PNG)).toBe(true);
    expect(await codeOf(appealsOf(t).evidenceFile(workerOf(other.id), appeal.id, png.id, ctx))).toBe('appeals.not_found');
    const v = await appealsOf(t).workerView(workerOf(w.id), appeal.id);
    expect(v.evidence.map((e) => e.id)).toEqual([png.id, pdf.id]);
    expect(eventsOf(v, 'evidence_added')).toBe(2);

    const facts = await appealsOf(t).documentFacts(workerOf(w.id), appeal.id, ctx);
    expect(facts.evidence).toHaveLength(2);
    expect(facts).toMatchObject({ code: appeal.code, amountClaimedFen: 1_200_000, respondent: { name: '宁波速达劳务派遣有限公司' } });
  });
});

describe('collective cases (专班)', () => {
  it('groups appeals against one respondent under a task force; each keeps its own record', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const member = await staffAccount(t, 'mediator', '330212', ['justice']);
    const agency = { kind: 'agency' as const, name: '宁波众包劳务有限公司' };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const w = await verifiedWorker(t);
      ids.push((await appealsOf(t).submit(workerOf(w.id), wageAppeal({ respondent: { ...agency, name: i === 1 ? ' 宁波众包劳务有限公司 ' : agency.name }, amountClaimedFen: 100_000 * (i + 1) }), ctx)).appeal.id);
    }
    const w4 = await verifiedWorker(t);
    const elsewhere = (await appealsOf(t).submit(workerOf(w4.id), wageAppeal({ respondent: { kind: 'company', name: '别的公司' } }), ctx)).appeal.id;
    expect(await codeOf(appealsOf(t).createCase(operator, { title: '众包劳务欠薪专班', appealIds: [...ids, elsewhere], leadStaffId: operator.id }, ctx))).toBe('appeals.respondent_mismatch');

    const c = await appealsOf(t).createCase(operator, { title: '众包劳务欠薪专班', appealIds: ids.slice(0, 2), leadStaffId: operator.id, members: [{ staffId: member.id, role: 'lawyer' }] }, ctx);
    expect(c).toMatchObject({ respondentName: '宁波众包劳务有限公司', amountClaimedFen: 300_000, status: 'open' });
    expect(c.appeals).toHaveLength(2);
    const more = await appealsOf(t).addToCase(operator, c.id, { appealIds: [ids[2]!] }, ctx);
    expect(more.appeals).toHaveLength(3);
    expect(await codeOf(appealsOf(t).addToCase(operator, c.id, { appealIds: [ids[0]!] }, ctx))).toBe('appeals.already_in_case');

    // the task-force member sees and works each appeal; each keeps its own outcome
    expect((await appealsOf(t).staffView(member, ids[0]!, ctx)).caseId).toBe(c.id);
    await appealsOf(t).acknowledge(member, ids[0]!, ctx);
    await appealsOf(t).resolve(member, ids[0]!, { outcome: 'recovered', resolution: '已支付' }, ctx);
    const list = await appealsOf(t).staffList(member, { page: 1, pageSize: 50, caseId: c.id }, ctx);
    expect(list.items.map((x) => x.status).sort()).toEqual(['resolved', 'submitted', 'submitted']);
    expect((await appealsOf(t).getCase(member, c.id, ctx)).members.map((m) => m.role).sort()).toEqual(['lawyer', 'lead']);
    const outsider = await staffAccount(t, 'operator', '330203');
    expect(await codeOf(appealsOf(t).getCase(outsider, c.id, ctx))).toBe('appeals.case_not_found');
  });
});

describe('metrics', () => {
  it('counts received, closed, on time, satisfaction and recovered by type and Shanghai month, inside the operator’s area', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const area = '330212013'; // a street no other test files in
    const w = await verifiedWorker(t, { areaCode: area });
    // filed 2026-12-31 23:30 Shanghai = 15:30 UTC: December in Shanghai
    setShanghai(t, '2026-12-31 23:30');
    const a = (await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'predatory_rental' }), ctx)).appeal;
    const b = (await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'predatory_rental' }), ctx)).appeal;
    setShanghai(t, '2027-01-01 08:00');
    const c = (await appealsOf(t).submit(workerOf(w.id), wageAppeal({ type: 'housing' }), ctx)).appeal;
    for (const x of [a, b]) {
      await appealsOf(t).acknowledge(operator, x.id, ctx);
      await appealsOf(t).addPayment(operator, x.id, { amountFen: 50_000, paidOn: '2027-01-02' }, ctx);
      await appealsOf(t).resolve(operator, x.id, { outcome: 'recovered', resolution: '退还押金' }, ctx);
    }
    await appealsOf(t).rate(workerOf(w.id), a.id, { satisfaction: 'satisfied' }, ctx);
    await appealsOf(t).rate(workerOf(w.id), b.id, { satisfaction: 'dissatisfied', reason: '太慢' }, ctx);
    void c;

    const byType = await appealsOf(t).metrics(operator, { by: 'type', areaCode: area });
    expect(byType.find((r) => r.key === 'predatory_rental')).toEqual({ key: 'predatory_rental', received: 2, closed: 2, closedOnTime: 2, rated: 2, satisfied: 1, satisfactionRate: 0.5, recoveredFen: 100_000 });
    expect(byType.find((r) => r.key === 'housing')).toMatchObject({ received: 1, closed: 0, satisfactionRate: null });
    const byMonth = await appealsOf(t).metrics(operator, { by: 'month', areaCode: area });
    expect(byMonth.map((r) => [r.key, r.received])).toEqual([
      ['2026-12', 2],
      ['2027-01', 1],
    ]);
    const jan = await appealsOf(t).metrics(operator, { by: 'area', areaCode: area, areaLevel: 9, from: '2027-01', to: '2027-01' });
    expect(jan).toEqual([expect.objectContaining({ key: area, received: 1 })]);
    expect(await codeOf(appealsOf(t).metrics(operator, { by: 'type', areaCode: '330203' }))).toBe('areas.out_of_scope');
    expect(await codeOf(appealsOf(t).metrics(await staffAccount(t, 'handler', '330212'), { by: 'type' }))).toBe('auth.forbidden');
    setShanghai(t, '2026-11-23 10:00');
  });
});
