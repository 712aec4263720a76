import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { AppError } from '../../shared/errors.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { ctx, legalOf, loadCity, nextPhone, question, rosterLawyer, setShanghai, staffAccount, verifiedWorker, workerOf } from './legal.test-support.js';

let t: TestApp;
let operator: StaffPrincipal;
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as AppError).code;
  }
  return 'no error';
};
const count = async (table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.services.db)).rows[0]!.n);
const inbox = async (recipientId: string, kind: string) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from notifications where recipient_id = ${recipientId} and kind = ${kind}`.execute(t.services.db)).rows[0]!.n);
const audits = async (action: string, targetId: string) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from audit_log where action = ${action} and target_id = ${targetId}`.execute(t.services.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  setShanghai(t, '2026-11-23 10:00');
  operator = await staffAccount(t, 'operator', '3302');
});
afterAll(async () => t?.close());

describe('assignment', () => {
  it('goes to the active matching lawyer with the fewest open questions, under their maximum', async () => {
    const busy = await rosterLawyer(t, operator, { specialities: ['housing'], areas: ['330212'] });
    const free = await rosterLawyer(t, operator, { specialities: ['housing', 'other'], areas: ['3302'] });
    await rosterLawyer(t, operator, { specialities: ['work_injury'], areas: ['330212'] }); // wrong speciality
    await rosterLawyer(t, operator, { specialities: ['housing'], areas: ['330203'] }); // wrong area
    await rosterLawyer(t, operator, { specialities: ['housing'], areas: ['330212'], active: false }); // paused
    const w = await verifiedWorker(t);
    const q1 = await legalOf(t).ask(workerOf(w.id), question({ type: 'housing' }), ctx);
    const q2 = await legalOf(t).ask(workerOf(w.id), question({ type: 'housing' }), ctx);
    const q3 = await legalOf(t).ask(workerOf(w.id), question({ type: 'housing' }), ctx);
    const owners = [q1, q2, q3].map((x) => x.question.lawyerId);
    expect(owners.every((o) => o === busy.id || o === free.id)).toBe(true);
    expect(new Set(owners.slice(0, 2)).size).toBe(2); // the second goes to the one without an open question
    expect(q1.question).toMatchObject({ status: 'assigned', type: 'housing' });
    expect(await inbox(q1.question.lawyerId!, 'legal.assigned')).toBeGreaterThanOrEqual(1);

    // max open reached → skipped
    await legalOf(t).putLawyer(operator, busy.id, { lawFirm: '甬法', specialities: ['housing'], areas: ['330212'], active: true, maxOpen: 1 }, ctx);
    await legalOf(t).putLawyer(operator, free.id, { lawFirm: '甬法', specialities: ['housing'], areas: ['3302'], active: true, maxOpen: 1 }, ctx);
    const q4 = await legalOf(t).ask(workerOf(w.id), question({ type: 'housing' }), ctx);
    expect(q4.question).toMatchObject({ status: 'unassigned', lawyerId: null });
    expect(await inbox(operator.id, 'legal.unassigned')).toBeGreaterThanOrEqual(1);
    const queue = await legalOf(t).staffList(operator, { page: 1, pageSize: 50, scope: 'unassigned' });
    expect(queue.items.map((x) => x.id)).toContain(q4.question.id);
  });

  it('lets an operator assign manually; only roster lawyers who are active', async () => {
    const w = await verifiedWorker(t);
    const { question: q } = await legalOf(t).ask(workerOf(w.id), question({ type: 'household_registration' }), ctx);
    expect(q.status).toBe('unassigned');
    const paused = await rosterLawyer(t, operator, { specialities: ['other'], active: false });
    const lawyer = await rosterLawyer(t, operator, { specialities: ['other'] });
    const outsider = await staffAccount(t, 'lawyer', '3302'); // no roster profile
    expect(await codeOf(legalOf(t).assign(operator, q.id, outsider.id, ctx))).toBe('legal.lawyer_not_found');
    expect(await codeOf(legalOf(t).assign(operator, q.id, paused.id, ctx))).toBe('legal.lawyer_unavailable');
    expect(await codeOf(legalOf(t).assign(lawyer, q.id, lawyer.id, ctx))).toBe('auth.forbidden');
    const v = await legalOf(t).assign(operator, q.id, lawyer.id, ctx);
    expect(v).toMatchObject({ status: 'assigned', lawyerId: lawyer.id });
    expect((await legalOf(t).staffList(lawyer, { page: 1, pageSize: 20 })).items.map((x) => x.id)).toEqual([q.id]);
  });

  it('a decline goes to the next matching lawyer (never back), then to the operators’ queue', async () => {
    const a = await rosterLawyer(t, operator, { specialities: ['social_insurance'] });
    const b = await rosterLawyer(t, operator, { specialities: ['social_insurance'] });
    const w = await verifiedWorker(t);
    const { question: q } = await legalOf(t).ask(workerOf(w.id), question({ type: 'social_insurance' }), ctx);
    const first = q.lawyerId!;
    const second = first === a.id ? b : a;
    const firstP = first === a.id ? a : b;
    expect(await codeOf(legalOf(t).decline(second, q.id, { reason: '不是我的' }, ctx))).toBe('legal.not_found');
    const r1 = await legalOf(t).decline(firstP, q.id, { reason: '利益冲突' }, ctx);
    expect(r1.lawyerId).toBe(second.id);
    expect(await codeOf(legalOf(t).staffGet(firstP, q.id, ctx))).toBe('legal.not_found'); // no longer theirs
    const r2 = await legalOf(t).decline(second, q.id, { reason: '工作量已满' }, ctx);
    expect(r2.lawyerId).toBeNull();
    const v = await legalOf(t).staffGet(operator, q.id, ctx);
    expect(v).toMatchObject({ status: 'unassigned', lawyerId: null });
    expect(v.declinedBy.sort()).toEqual([a.id, b.id].sort());
    // the worker does not see the decline reasons
    const wv = await legalOf(t).workerView(workerOf(w.id), q.id);
    expect(wv.messages.some((m) => m.kind === 'declined')).toBe(false);
  });
});

describe('deadlines on the working-day calendar', () => {
  it('answers are due by the end of the 2nd working day (default), skipping weekends', async () => {
    const w = await verifiedWorker(t);
    setShanghai(t, '2026-11-23 10:00'); // Monday
    expect((await legalOf(t).ask(workerOf(w.id), question({ type: 'other' }), ctx)).question.deadlineAt).toBe('2026-11-25T15:59:59.999Z');
    setShanghai(t, '2026-11-27 16:00'); // Friday → Monday, Tuesday
    expect((await legalOf(t).ask(workerOf(w.id), question({ type: 'other' }), ctx)).question.deadlineAt).toBe('2026-12-01T15:59:59.999Z');
    setShanghai(t, '2026-11-23 10:00');
  });

  it('skips the National Day holidays, and follows the configured number of days', async () => {
    const w = await verifiedWorker(t);
    setShanghai(t, '2026-09-30 10:00'); // Wednesday before 10-01..07: due Friday 10-09
    expect((await legalOf(t).ask(workerOf(w.id), question({ type: 'other' }), ctx)).question.deadlineAt).toBe('2026-10-09T15:59:59.999Z');
    await legalOf(t).putSettings(operator, { answerDays: 3, remindHoursBefore: 4 }, ctx);
    expect((await legalOf(t).ask(workerOf(w.id), question({ type: 'other' }), ctx)).question.deadlineAt).toBe('2026-10-10T15:59:59.999Z'); // 10-10 is a make-up Saturday
    expect(await codeOf(legalOf(t).putSettings(await staffAccount(t, 'operator', '330212'), { answerDays: 1, remindHoursBefore: 1 }, ctx))).toBe('areas.out_of_scope');
    await legalOf(t).putSettings(operator, { answerDays: 2, remindHoursBefore: 4 }, ctx);
    setShanghai(t, '2026-11-23 10:00');
  });

  it('reminds the lawyer once before the deadline and escalates once after it (flag + operators)', async () => {
    const lawyer = await rosterLawyer(t, operator, { specialities: ['traffic_compensation'] });
    const w = await verifiedWorker(t);
    setShanghai(t, '2026-11-23 10:00');
    const { question: q } = await legalOf(t).ask(workerOf(w.id), question({ type: 'traffic_compensation' }), ctx);
    expect(q.lawyerId).toBe(lawyer.id);
    await legalOf(t).remindDue();
    expect(await inbox(lawyer.id, 'legal.reminder')).toBe(0); // too early
    setShanghai(t, '2026-11-25 21:00'); // < 4 h before 23:59
    expect(await legalOf(t).remindDue()).toBeGreaterThanOrEqual(1);
    await legalOf(t).remindDue();
    expect(await inbox(lawyer.id, 'legal.reminder')).toBe(1);
    setShanghai(t, '2026-11-26 09:00');
    expect(await legalOf(t).escalateDue()).toBeGreaterThanOrEqual(1);
    await legalOf(t).escalateDue();
    expect(await inbox(operator.id, 'legal.escalated')).toBeGreaterThanOrEqual(1);
    expect(await inbox(lawyer.id, 'legal.overdue')).toBe(1);
    const v = await legalOf(t).staffGet(operator, q.id, ctx);
    expect(v).toMatchObject({ needsReassign: true, overdue: true });
    const flagged = await legalOf(t).staffList(operator, { page: 1, pageSize: 50, scope: 'unassigned', needsReassign: true });
    expect(flagged.items.map((x) => x.id)).toContain(q.id);
    // a late answer is recorded as not on time and clears the flag
    const answered = await legalOf(t).answer(lawyer, q.id, '可以申请劳动仲裁，同时保留事故认定书。', ctx);
    expect(answered).toMatchObject({ status: 'answered', answeredOnTime: false, needsReassign: false });
    setShanghai(t, '2026-11-23 10:00');
  });
});

describe('asking', () => {
  it('is idempotent by clientId, refuses a reused clientId with other content, and unverified workers', async () => {
    const w = await verifiedWorker(t);
    const input = question({ type: 'predatory_rental' });
    const first = await legalOf(t).ask(workerOf(w.id), input, ctx);
    const again = await legalOf(t).ask(workerOf(w.id), input, ctx);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, question: { id: first.question.id } });
    expect(first.question.code).toMatch(/^FB261123\d{5}$/);
    const before = await count('legal_questions');
    expect(await codeOf(legalOf(t).ask(workerOf(w.id), { ...input, question: '完全不同的另一个问题' }, ctx))).toBe('legal.client_id_conflict');
    const { id } = await t.services.workers.seedWorker({ phone: nextPhone(), status: 'unverified', consent: false });
    expect(await codeOf(legalOf(t).ask(workerOf(id), question(), ctx))).toBe('legal.not_verified');
    expect(await count('legal_questions')).toBe(before);
    // racing retries store one question
    const race = question({ type: 'predatory_rental' });
    const both = await Promise.all([legalOf(t).ask(workerOf(w.id), race, ctx), legalOf(t).ask(workerOf(w.id), race, ctx)]);
    expect(both[0].question.id).toBe(both[1].question.id);
    expect(await count('legal_questions')).toBe(before + 1);
  });
});

describe('the conversation and turning it into an appeal', () => {
  let lawyer: StaffPrincipal;
  beforeAll(async () => {
    lawyer = await rosterLawyer(t, operator, { specialities: ['wage_arrears'], areas: ['330212011'] });
  });

  it('more information, reply, answer on time, rating, one follow-up', async () => {
    const w = await verifiedWorker(t);
    const { question: q } = await legalOf(t).ask(workerOf(w.id), question(), ctx);
    expect(q.lawyerId).toBe(lawyer.id);
    expect(await codeOf(legalOf(t).reply(workerOf(w.id), q.id, '补充', ctx))).toBe('legal.invalid_state');
    expect(await codeOf(legalOf(t).answer(operator, q.id, '运营不能作答', ctx))).toBe('legal.not_allowed');
    let s = await legalOf(t).requestInfo(lawyer, q.id, '请提供工资流水和排班记录', ctx);
    expect(s.status).toBe('needs_info');
    expect(await inbox(w.id, 'legal.info_requested')).toBe(1);
    const wv = await legalOf(t).reply(workerOf(w.id), q.id, '我有微信转账记录和排班截图', ctx);
    expect(wv).toMatchObject({ status: 'assigned', canReply: false });
    s = await legalOf(t).answer(lawyer, q.id, '您与站点存在事实劳动关系，可向劳动监察投诉或申请仲裁。', ctx);
    expect(s).toMatchObject({ status: 'answered', answeredOnTime: true });
    let v = await legalOf(t).workerView(workerOf(w.id), q.id);
    expect(v).toMatchObject({ canRate: true, canFollowUp: true, canTurnIntoAppeal: true, lawFirm: '浙江甬法律师事务所' });
    expect(v.messages.map((m) => m.kind)).toEqual(['question', 'assigned', 'info_request', 'info_reply', 'answer']);
    v = await legalOf(t).rate(workerOf(w.id), q.id, { rating: 'helpful' }, ctx);
    expect(v).toMatchObject({ rating: 'helpful', canRate: false });
    expect(await codeOf(legalOf(t).rate(workerOf(w.id), q.id, { rating: 'not_helpful' }, ctx))).toBe('legal.invalid_state');
    v = await legalOf(t).followUp(workerOf(w.id), q.id, '仲裁需要多长时间？', ctx);
    expect(v).toMatchObject({ status: 'assigned', lawyerId: lawyer.id, canFollowUp: false });
    await legalOf(t).answer(lawyer, q.id, '一般45日内裁决。', ctx);
    expect(await codeOf(legalOf(t).followUp(workerOf(w.id), q.id, '再问一个问题', ctx))).toBe('legal.follow_up_used');
  });

  it('turns an answered question into an appeal exactly once, through the appeals service', async () => {
    const w = await verifiedWorker(t);
    const { question: q } = await legalOf(t).ask(workerOf(w.id), question(), ctx);
    expect(await codeOf(legalOf(t).toAppeal(workerOf(w.id), q.id, {}, ctx))).toBe('legal.invalid_state');
    await legalOf(t).answer(lawyer, q.id, '建议申请劳动仲裁。', ctx);
    const [a, b] = await Promise.all([legalOf(t).toAppeal(workerOf(w.id), q.id, {}, ctx), legalOf(t).toAppeal(workerOf(w.id), q.id, {}, ctx)]);
    expect(a.appealId).toBe(b.appealId);
    expect([a.created, b.created].filter(Boolean).length).toBeLessThanOrEqual(1);
    const again = await legalOf(t).toAppeal(workerOf(w.id), q.id, { description: '另一份描述，也不应新建诉求' }, ctx);
    expect(again).toMatchObject({ appealId: a.appealId, created: false });
    const mine = await t.services.appealsModule.appeals.mine(workerOf(w.id), { page: 1, pageSize: 20 });
    expect(mine.total).toBe(1);
    const appeal = await t.services.appealsModule.appeals.workerView(workerOf(w.id), a.appealId);
    expect(appeal).toMatchObject({ type: 'wage_arrears', amountClaimedFen: 1_200_000, respondent: { name: '宁波速达劳务派遣有限公司' } });
    expect(appeal.description).toContain('建议申请劳动仲裁');
    const v = await legalOf(t).workerView(workerOf(w.id), q.id);
    expect(v).toMatchObject({ appealId: a.appealId, canTurnIntoAppeal: false });
    expect(v.messages.filter((m) => m.kind === 'appeal')).toHaveLength(1);
  });

  it('needs a respondent when the question named no employer', async () => {
    const w = await verifiedWorker(t);
    const { question: q } = await legalOf(t).ask(workerOf(w.id), question({ employer: undefined }), ctx);
    await legalOf(t).answer(lawyer, q.id, '建议先协商。', ctx);
    expect(await codeOf(legalOf(t).toAppeal(workerOf(w.id), q.id, {}, ctx))).toBe('legal.respondent_required');
    const r = await legalOf(t).toAppeal(workerOf(w.id), q.id, { respondent: { kind: 'station', name: '白鹤站' } }, ctx);
    expect(r.created).toBe(true);
  });
});

describe('privacy', () => {
  it('shows a question to its worker, its lawyer and operators in scope only, masks the worker, audits staff reads', async () => {
    const lawyer = await rosterLawyer(t, operator, { specialities: ['labour_relation'] });
    const other = await rosterLawyer(t, operator, { specialities: ['labour_relation'], active: false });
    const w = await verifiedWorker(t, { name: '张小明' });
    const stranger = await verifiedWorker(t);
    const { question: q } = await legalOf(t).ask(workerOf(w.id), question({ type: 'labour_relation' }), ctx);
    expect(q.lawyerId).toBe(lawyer.id);
    expect(await codeOf(legalOf(t).workerView(workerOf(stranger.id), q.id))).toBe('legal.not_found');
    expect(await codeOf(legalOf(t).staffGet(other, q.id, ctx))).toBe('legal.not_found');
    expect(await codeOf(legalOf(t).staffGet(await staffAccount(t, 'operator', '330203'), q.id, ctx))).toBe('legal.not_found');
    expect(await codeOf(legalOf(t).staffGet(await staffAccount(t, 'hotline_agent', '3302'), q.id, ctx))).toBe('legal.not_found');
    const v = await legalOf(t).staffGet(lawyer, q.id, ctx);
    expect(v.worker.phoneMasked).toBe(`${w.phone.slice(0, 3)}****${w.phone.slice(-4)}`);
    expect(v.worker.nameMasked).toBe('张**');
    expect(JSON.stringify(v)).not.toContain(w.phone);
    expect(JSON.stringify(v)).not.toContain('张小明');
    const inScope = await legalOf(t).staffGet(await staffAccount(t, 'operator', '330212'), q.id, ctx);
    expect(inScope.id).toBe(q.id);
    expect(await audits('legal.read', q.id)).toBeGreaterThanOrEqual(5); // two reads + three refused
    expect(await codeOf(legalOf(t).staffList(lawyer, { page: 1, pageSize: 20, scope: 'all' }))).toBe('auth.forbidden');

    const anon = await legalOf(t).ask(workerOf(w.id), question({ type: 'labour_relation', anonymous: true }), ctx);
    const av = await legalOf(t).staffGet(lawyer, anon.question.id, ctx);
    expect(av.worker).toEqual({ phoneMasked: null, nameMasked: null });
  });
});

describe('roster and metrics', () => {
  it('lists lawyer accounts with profiles; refuses bad areas and non-operators', async () => {
    const lawyer = await staffAccount(t, 'lawyer', '3302');
    const list = await legalOf(t).lawyers(operator);
    expect(list.find((l) => l.staffId === lawyer.id)).toMatchObject({ profile: null, openQuestions: 0 });
    const err = await legalOf(t)
      .putLawyer(operator, lawyer.id, { lawFirm: '甬法', specialities: ['other'], areas: ['110101'], active: true, maxOpen: 3 }, ctx)
      .catch((e: AppError) => e);
    expect((err as AppError).code).toBe('request.invalid');
    expect(await codeOf(legalOf(t).putLawyer(lawyer, lawyer.id, { lawFirm: '甬法', specialities: ['other'], areas: ['3302'], active: true, maxOpen: 3 }, ctx))).toBe('auth.forbidden');
    expect(await codeOf(legalOf(t).putLawyer(operator, operator.id, { lawFirm: '甬法', specialities: ['other'], areas: ['3302'], active: true, maxOpen: 3 }, ctx))).toBe('legal.lawyer_not_found');
  });

  it('counts received, answered, on time and the median time to answer per month and type', async () => {
    const rows = await legalOf(t).metrics(operator, { from: '2026-11', to: '2026-11' });
    const wage = rows.find((r) => r.type === 'wage_arrears' && r.month === '2026-11')!;
    expect(wage.received).toBeGreaterThanOrEqual(3);
    expect(wage.answered).toBeGreaterThanOrEqual(3);
    expect(wage.answeredOnTime).toBe(wage.answered);
    expect(wage.medianHoursToAnswer).toBe(0);
    const traffic = rows.find((r) => r.type === 'traffic_compensation')!;
    expect(traffic).toMatchObject({ received: 1, answered: 1, answeredOnTime: 0 });
    expect(traffic.medianHoursToAnswer).toBeCloseTo(71, 0);
    expect(rows.some((r) => r.month === '2026-09')).toBe(false);
    expect(await codeOf(legalOf(t).metrics(await staffAccount(t, 'reviewer', '330212'), {}))).toBe('auth.forbidden');
  });
});
