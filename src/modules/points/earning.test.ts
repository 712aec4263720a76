import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { DEFAULT_SETTINGS, type EarningRuleInput } from '../../contracts/points.js';
import type { PointsModule } from './points.module.js';
import { SYSTEM, sponsorAccount, workerAccount } from './points.service.js';
import { AREAS, CITY, expectNoDrift, noCtx, setShanghai, staffClient, verifiedWorker, pointsOf } from './points.test-support.js';

let t: TestApp;
let m: PointsModule;
let operator: StaffPrincipal;

beforeAll(async () => {
  t = await createTestApp();
  m = pointsOf(t);
  operator = (await staffClient(t, 'operator', AREAS.city)).principal;
});
afterAll(() => t.close());

const rule = (over: Partial<EarningRuleInput> = {}): EarningRuleInput => ({ title: '测试规则', pointsPerUnit: 10, unit: '次', dailyCap: null, monthlyCap: null, active: true, sponsorId: null, ...over });
const balance = (workerId: string) => m.points.balanceOf(CITY, workerAccount(workerId));
let keySeq = 0;
const earn = (workerId: string, ruleCode: string, units = 1) =>
  m.earning.earn({ cityCode: CITY, workerId, rule: ruleCode, units, source: { type: 'test', id: `s-${++keySeq}` }, idempotencyKey: `k-${keySeq}` });

describe('earn(): rules and caps', () => {
  it('applies a built-in rule with its defaults and says what it granted', async () => {
    const w = await verifiedWorker(t);
    const r = await m.earning.earn({ cityCode: CITY, workerId: w.id, rule: 'valid_report', source: { type: 'report', id: 'r-1' }, idempotencyKey: 'report:r-1' });
    expect(r).toMatchObject({ outcome: 'granted', rule: 'valid_report', requested: 10, granted: 10, replayed: false });
    expect(await balance(w.id)).toBe(10);
    const history = await m.points.history(CITY, w.id);
    expect(history.items[0]).toMatchObject({ amount: 10, kind: 'award', reason: '随手拍有效上报', source: { type: 'report', id: 'r-1' } });
    // a retry is the same award; another request under the key is refused
    expect(await m.earning.earn({ cityCode: CITY, workerId: w.id, rule: 'valid_report', source: { type: 'report', id: 'r-1' }, idempotencyKey: 'report:r-1' })).toMatchObject({ outcome: 'granted', granted: 10, replayed: true, transactionId: r.transactionId });
    await expect(m.earning.earn({ cityCode: CITY, workerId: w.id, rule: 'valid_report', source: { type: 'report', id: 'r-2' }, idempotencyKey: 'report:r-1' })).rejects.toMatchObject({ code: 'points.idempotency_conflict' });
    expect(await balance(w.id)).toBe(10);
  });

  it('caps per Shanghai day: partial, then capped, and a new Shanghai day starts at 00:00 +08:00 (16:00 UTC)', async () => {
    await m.earning.saveRule(operator, 'daily_test', rule({ pointsPerUnit: 30, dailyCap: 50 }), noCtx);
    const w = await verifiedWorker(t);
    setShanghai(t, '2026-11-23 23:58');
    expect(await earn(w.id, 'daily_test')).toMatchObject({ outcome: 'granted', granted: 30 });
    expect(await earn(w.id, 'daily_test')).toMatchObject({ outcome: 'partial', requested: 30, granted: 20 });
    const capped = await earn(w.id, 'daily_test');
    expect(capped).toMatchObject({ outcome: 'capped', granted: 0, transactionId: null });
    expect(await balance(w.id)).toBe(50);
    // 00:01 in Shanghai is still the 23rd in UTC: the cap is per Shanghai day
    setShanghai(t, '2026-11-24 00:01');
    expect(t.clock.now().getUTCDate()).toBe(23);
    expect(await earn(w.id, 'daily_test')).toMatchObject({ outcome: 'granted', granted: 30 });
    expect(await balance(w.id)).toBe(80);
    await expectNoDrift(t);
  });

  it('caps per Shanghai month', async () => {
    await m.earning.saveRule(operator, 'monthly_test', rule({ pointsPerUnit: 40, monthlyCap: 100 }), noCtx);
    const w = await verifiedWorker(t);
    setShanghai(t, '2026-11-30 23:30');
    expect((await earn(w.id, 'monthly_test', 2)).granted).toBe(80);
    expect(await earn(w.id, 'monthly_test')).toMatchObject({ outcome: 'partial', granted: 20 });
    expect(await earn(w.id, 'monthly_test')).toMatchObject({ outcome: 'capped', granted: 0 });
    setShanghai(t, '2026-12-01 00:30'); // 30 Nov 16:30 UTC
    expect(await earn(w.id, 'monthly_test')).toMatchObject({ outcome: 'granted', granted: 40 });
    expect(await m.earning.earnedInMonth(CITY, w.id, '2026-11')).toBe(100);
    expect(await m.earning.earnedInMonth(CITY, w.id, '2026-12')).toBe(40);
  });

  it('an inactive or unknown rule grants nothing, without an error', async () => {
    await m.earning.saveRule(operator, 'course_completion', rule({ title: '完成课程', active: false }), noCtx);
    const w = await verifiedWorker(t);
    expect(await earn(w.id, 'course_completion')).toMatchObject({ outcome: 'inactive', granted: 0, transactionId: null });
    expect(await earn(w.id, 'no_such_rule')).toMatchObject({ outcome: 'inactive', granted: 0 });
    expect(await balance(w.id)).toBe(0);
    await expect(earn(w.id, 'valid_report', 0)).rejects.toMatchObject({ code: 'points.invalid_amount' });
  });

  it('20 simultaneous awards under a daily cap of 50 grant exactly 50', async () => {
    await m.earning.saveRule(operator, 'race_test', rule({ pointsPerUnit: 10, dailyCap: 50 }), noCtx);
    const w = await verifiedWorker(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => earn(w.id, 'race_test')));
    expect(results.reduce((s, r) => s + r.granted, 0)).toBe(50);
    expect(results.filter((r) => r.outcome === 'granted')).toHaveLength(5);
    expect(await balance(w.id)).toBe(50);
    await expectNoDrift(t);
  });

  it('a rule naming a sponsor draws on its budget while it lasts, then on issuance', async () => {
    const sponsor = await m.sponsors.create(operator, { name: '甬江面馆', kind: 'merchant', contactName: '李老板', contactPhone: '0574-88881234' }, noCtx);
    expect(sponsor).toMatchObject({ contactNameMasked: '李**', contactPhoneMasked: '057******1234', balance: 0 });
    await m.sponsors.fund(operator, sponsor.id, { amount: 25, note: '赞助协议' }, noCtx, 'fund-1');
    await m.sponsors.fund(operator, sponsor.id, { amount: 25, note: '赞助协议' }, noCtx, 'fund-1'); // a retry
    await m.earning.saveRule(operator, 'sponsored_test', rule({ pointsPerUnit: 10, sponsorId: sponsor.id }), noCtx);
    const w = await verifiedWorker(t);
    const issued = await m.points.balanceOf(CITY, SYSTEM.issuance);
    for (let i = 0; i < 3; i++) await earn(w.id, 'sponsored_test');
    expect(await balance(w.id)).toBe(30);
    expect(await m.points.balanceOf(CITY, sponsorAccount(sponsor.id))).toBe(0);
    expect(await m.points.balanceOf(CITY, SYSTEM.issuance)).toBe(issued - 5);
    const [listed] = (await m.sponsors.list(operator)).filter((s) => s.id === sponsor.id);
    expect(listed).toMatchObject({ funded: 25, awarded: 25, balance: 0 });
    const rules = await m.earning.listRules(CITY);
    expect(rules.find((r) => r.code === 'sponsored_test')).toMatchObject({ sponsor: { id: sponsor.id, name: '甬江面馆' }, builtIn: false, customised: true });
    expect(rules.find((r) => r.code === 'valid_report')).toMatchObject({ builtIn: true, customised: false, pointsPerUnit: 10 });
    await expectNoDrift(t);
  });

  it('only an operator of the whole city changes rules and settings', async () => {
    const district = (await staffClient(t, 'operator', AREAS.yinzhou)).principal;
    await expect(m.earning.saveRule(district, 'valid_report', rule(), noCtx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(m.earning.saveSettings(district, DEFAULT_SETTINGS, noCtx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(m.earning.saveRule(operator, 'valid_report', rule({ dailyCap: 500, monthlyCap: 100 }), noCtx)).rejects.toMatchObject({ code: 'request.invalid' });
  });
});

describe('城市合伙人', () => {
  it('is granted once the thresholds are met, revocable, and never granted again automatically', async () => {
    await m.earning.saveSettings(operator, { ...DEFAULT_SETTINGS, partner: { enabled: true, minLifetimePoints: 30, minApprovedStories: 0, minValidReports: 3 } }, noCtx);
    const w = await verifiedWorker(t, { areaCode: AREAS.xiaying, name: '王大力' });
    setShanghai(t, '2026-11-25 10:00');
    await earn(w.id, 'valid_report');
    await earn(w.id, 'valid_report');
    expect(await m.earning.isCityPartner(w.id)).toBe(false);
    await earn(w.id, 'valid_report');
    expect(await m.earning.isCityPartner(w.id)).toBe(true);
    expect((await m.me({ id: w.id, cityCode: CITY })).title).toMatchObject({ code: 'city_partner' });

    const handler = (await staffClient(t, 'handler', AREAS.xiaying)).principal;
    await expect(m.earning.revokePartner(handler, w.id, '违规', noCtx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    const revoked = await m.earning.revokePartner(operator, w.id, '上报造假', noCtx);
    expect(revoked).toMatchObject({ status: 'revoked', revokeReason: '上报造假', workerNameMasked: '王**' });
    await earn(w.id, 'valid_report');
    await m.earning.evaluatePartners(CITY);
    expect(await m.earning.isCityPartner(w.id)).toBe(false);
    await expect(m.earning.revokePartner(operator, w.id, '再次', noCtx)).rejects.toMatchObject({ code: 'points.partner_revoked' });

    // the daily sweep grants to workers meeting thresholds that were lowered since their last award
    const other = await verifiedWorker(t, { areaCode: AREAS.xiaying });
    await earn(other.id, 'valid_report');
    expect(await m.earning.isCityPartner(other.id)).toBe(false);
    await m.earning.saveSettings(operator, { ...DEFAULT_SETTINGS, partner: { enabled: true, minLifetimePoints: 10, minApprovedStories: 0, minValidReports: 1 } }, noCtx);
    expect(await m.earning.evaluatePartners(CITY)).toBeGreaterThanOrEqual(1);
    expect(await m.earning.isCityPartner(other.id)).toBe(true);
    const list = await m.earning.listPartners(handler, { page: 1, pageSize: 50 });
    expect(list.items.map((p) => p.workerId)).toEqual(expect.arrayContaining([w.id, other.id]));
    const elsewhere = (await staffClient(t, 'handler', AREAS.nanmen)).principal;
    expect((await m.earning.listPartners(elsewhere, { page: 1, pageSize: 50 })).items.map((p) => p.workerId)).not.toContain(w.id);
    await m.earning.saveSettings(operator, DEFAULT_SETTINGS, noCtx);
  });
});

describe('the monthly leaderboard per district', () => {
  it('ranks a district’s workers by points awarded that Shanghai month, with masked names and ties', async () => {
    await m.earning.saveRule(operator, 'board_test', rule({ pointsPerUnit: 1 }), noCtx);
    setShanghai(t, '2026-10-15 12:00');
    const a = await verifiedWorker(t, { areaCode: AREAS.nanmen, name: '欧阳娜娜' });
    const b = await verifiedWorker(t, { areaCode: AREAS.nanmen, name: '李四' });
    const c = await verifiedWorker(t, { areaCode: AREAS.nanmen, name: '赵五' });
    const d = await verifiedWorker(t, { areaCode: AREAS.nanmen, name: '钱六' });
    const elsewhere = await verifiedWorker(t, { areaCode: AREAS.xiaying, name: '孙七' });
    await earn(a.id, 'board_test', 50);
    await earn(b.id, 'board_test', 30);
    await earn(c.id, 'board_test', 30);
    await earn(d.id, 'board_test', 10);
    await earn(elsewhere.id, 'board_test', 99);
    // redemptions do not lower the leaderboard
    await m.points.spend({ cityCode: CITY, workerId: a.id, amount: 40, reason: '兑换', idempotencyKey: 'board-spend' });
    // points of another month do not count
    setShanghai(t, '2026-11-01 00:05');
    await earn(d.id, 'board_test', 100);

    const board = await m.earning.leaderboard({ id: c.id, cityCode: CITY }, { month: '2026-10' });
    expect(board.district).toEqual({ code: AREAS.haishu, name: '海曙区' });
    // equal points share a rank (their order among themselves is by worker id)
    expect(board.items.map((i) => [i.rank, i.nameMasked, i.points, i.me]).sort()).toEqual([
      [1, '欧***', 50, false],
      [2, '李*', 30, false],
      [2, '赵*', 30, true],
      [4, '钱*', 10, false],
    ]);
    expect(board.me).toEqual({ rank: 2, points: 30 });
    expect(board.participants).toBe(4);
    expect(JSON.stringify(board)).not.toContain(a.phone);

    const mine = await m.earning.leaderboard({ id: elsewhere.id, cityCode: CITY }, { month: '2026-10' });
    expect(mine.district?.code).toBe(AREAS.yinzhou);
    expect(mine.items.find((i) => i.me)).toMatchObject({ rank: 1, nameMasked: '孙*' });
    const peek = await m.earning.leaderboard({ id: elsewhere.id, cityCode: CITY }, { month: '2026-10', areaCode: AREAS.haishu });
    expect(peek.me.rank).toBeNull();
    await expectNoDrift(t);
  });
});
