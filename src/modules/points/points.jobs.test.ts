import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { DEFAULT_SETTINGS } from '../../contracts/points.js';
import { POINTS_JOBS, registerPointsJobs } from './points.jobs.js';
import type { PointsModule } from './points.module.js';
import { SYSTEM, workerAccount } from './points.service.js';
import { AREAS, CITY, expectNoDrift, insertPlace, noCtx, setShanghai, staffClient, verifiedWorker, pointsOf } from './points.test-support.js';

let t: TestApp;
let m: PointsModule;
let operator: StaffPrincipal;
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  t = await createTestApp();
  m = pointsOf(t);
  operator = (await staffClient(t, 'operator', AREAS.city)).principal;
  // the app registers them in housekeeping; registering again replaces the handlers (idempotent)
  registerPointsJobs(t.services.jobs, { pointsModule: m });
});
afterAll(() => t.close());

const balance = (workerId: string) => m.points.balanceOf(CITY, workerAccount(workerId));
let n = 0;
const award = (workerId: string, amount: number) => m.points.award({ cityCode: CITY, workerId, amount, reason: '测试发放', idempotencyKey: `award-${++n}` });
async function jobRuns(kind: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from jobs where kind = ${kind} and status = 'done'`.execute(t.services.db);
  return r.rows[0]!.n;
}

describe('point expiry (a durable recurring job)', () => {
  it('is off by default: nothing expires', async () => {
    const w = await verifiedWorker(t);
    setShanghai(t, '2024-01-10 10:00');
    await award(w.id, 50);
    setShanghai(t, '2026-01-10 10:00');
    expect(await m.ledger.expireDue(CITY)).toBeUndefined();
    expect(await balance(w.id)).toBe(50);
  });

  it('expires points N months after the end of the month they were earned, oldest first, once per worker and month', async () => {
    await m.earning.saveSettings(operator, { ...DEFAULT_SETTINGS, expiry: { enabled: true, months: 12 } }, noCtx);
    const w = await verifiedWorker(t);
    setShanghai(t, '2025-03-31 23:50'); // still March in Shanghai (15:50 UTC)
    await award(w.id, 100);
    setShanghai(t, '2025-04-01 00:10'); // April in Shanghai, still 31 March in UTC
    await award(w.id, 40);
    setShanghai(t, '2025-06-01 12:00');
    // spending uses the oldest points first: 70 of March's 100 are left
    await m.points.spend({ cityCode: CITY, workerId: w.id, amount: 30, reason: '兑换', idempotencyKey: `spend-${w.id}` });
    expect(await balance(w.id)).toBe(110);

    const expiredBefore = await m.points.balanceOf(CITY, SYSTEM.expiry);
    // March's points expire when April 2026 begins in Shanghai
    setShanghai(t, '2026-03-31 23:59');
    await t.services.jobs.runDue();
    expect(await balance(w.id)).toBe(110);
    expect((await m.ledger.expiringFor(CITY, w.id))).toEqual({ points: 70, at: new Date('2026-04-01T00:00:00+08:00').toISOString() });

    setShanghai(t, '2026-04-01 00:01');
    t.clock.advance(DAY); // the recurring job runs a day after the previous run
    await t.services.jobs.runDue();
    expect(await balance(w.id)).toBe(40);
    const history = await m.points.history(CITY, w.id);
    expect(history.items[0]).toMatchObject({ kind: 'expire', amount: -70, reason: '积分过期（2025-03 及以前获得）' });
    // (the first test's 2024 points expired in the same run: the rule applies to every worker)
    expect(await m.points.balanceOf(CITY, SYSTEM.expiry)).toBe(expiredBefore + 70 + 50);

    // running again (another process, a retry) posts nothing new
    expect(await m.ledger.expireMonth(CITY, '2025-03')).toEqual({ workers: 0, points: 0 });
    expect(await balance(w.id)).toBe(40);
    expect(await jobRuns(POINTS_JOBS.pointsExpiry)).toBeGreaterThanOrEqual(2);

    // April's 40 expire a month later
    setShanghai(t, '2026-05-02 09:00');
    await m.ledger.expireDue(CITY);
    expect(await balance(w.id)).toBe(0);
    await expectNoDrift(t);
    await m.earning.saveSettings(operator, DEFAULT_SETTINGS, noCtx);
  });
});

describe('order expiry (a durable recurring job)', () => {
  it('expires and refunds orders not picked up within the window or past the reward’s validity', async () => {
    setShanghai(t, '2026-11-01 10:00');
    await m.earning.saveSettings(operator, { ...DEFAULT_SETTINGS, pickupWindowDays: 3 }, noCtx);
    const placeId = await insertPlace(t, { type: 'merchant', name: '白鹤面馆', certified: true });
    const w = await verifiedWorker(t);
    await award(w.id, 100);
    const meal = await m.rewards.createReward({ cityCode: CITY, title: '10元爱心餐', category: 'meal', cost: 20, stock: 10, placeId, areaCode: AREAS.baihe });
    const shortLived = await m.rewards.createReward({ cityCode: CITY, title: '限时凉茶', cost: 5, stock: 10, placeId, validUntil: new Date(t.clock.now().getTime() + DAY) });
    const kept = await m.rewards.redeem({ cityCode: CITY, workerId: w.id, rewardId: meal.id, idempotencyKey: 'o-kept' });
    const late = await m.rewards.redeem({ cityCode: CITY, workerId: w.id, rewardId: meal.id, idempotencyKey: 'o-late' });
    const tea = await m.rewards.redeem({ cityCode: CITY, workerId: w.id, rewardId: shortLived.id, idempotencyKey: 'o-tea' });
    expect(late.pickup_deadline!.getTime() - late.created_at.getTime()).toBe(3 * DAY);
    expect(tea.pickup_deadline).toEqual(shortLived.valid_until);
    expect(await balance(w.id)).toBe(55);
    expect((await m.rewards.pendingOrdersAt(w.id, placeId)).map((o) => o.orderId).sort()).toEqual([kept.id, late.id, tea.id].sort());

    // the merchant scans the pass for one of them
    await m.rewards.completePickup(kept.id, { placeId, scannedBy: 'scanner-1', workerId: w.id });

    t.clock.advance(DAY + 1000); // the tea's validity has ended
    expect(await m.rewards.expireOverdue()).toBe(1);
    expect(await balance(w.id)).toBe(60);

    t.clock.advance(2 * DAY);
    await t.services.jobs.runDue();
    expect(await balance(w.id)).toBe(80);
    const orders = await m.rewards.myOrders(w.id, { page: 1, pageSize: 20 });
    const byId = new Map(orders.items.map((o) => [o.id, o]));
    expect(byId.get(kept.id)).toMatchObject({ status: 'completed', pickup: null, canCancel: false });
    expect(byId.get(late.id)).toMatchObject({ status: 'expired', closedReason: '逾期未领取，积分已退回' });
    expect(byId.get(tea.id)?.status).toBe('expired');
    expect((await m.rewards.getReward(meal.id))!.stock).toBe(9);
    expect(await m.rewards.expireOverdue()).toBe(0);
    expect(await jobRuns(POINTS_JOBS.ordersExpiry)).toBeGreaterThanOrEqual(1);
    await expectNoDrift(t);
    await m.earning.saveSettings(operator, DEFAULT_SETTINGS, noCtx);
  });
});

describe('pickups for the pass', () => {
  it('completes an order only at its reward’s place, and a repeated scan is harmless', async () => {
    const placeId = await insertPlace(t, { type: 'merchant', name: '甬上小厨', certified: true });
    const otherPlace = await insertPlace(t, { type: 'merchant', name: '缸鸭狗', certified: true });
    const w = await verifiedWorker(t);
    const someoneElse = await verifiedWorker(t);
    await award(w.id, 50);
    const reward = await m.rewards.createReward({ cityCode: CITY, title: '理发券', category: 'service', cost: 10, stock: 5, placeId });
    const order = await m.rewards.redeem({ cityCode: CITY, workerId: w.id, rewardId: reward.id, idempotencyKey: 'pickup-1' });
    expect(await m.rewards.pendingOrdersAt(w.id, otherPlace)).toEqual([]);
    const [pending] = await m.rewards.pendingOrdersAt(w.id, placeId);
    expect(pending).toMatchObject({ orderId: order.id, title: '理发券', cost: 10, pickupCode: expect.stringMatching(/^\d{6}$/) });

    await expect(m.rewards.completePickup(order.id, { placeId: otherPlace, scannedBy: 's1' })).rejects.toMatchObject({ code: 'points.wrong_place' });
    await expect(m.rewards.completePickup(order.id, { placeId, scannedBy: 's1', workerId: someoneElse.id })).rejects.toMatchObject({ code: 'points.order_not_found' });
    const done = await m.rewards.completePickup(order.id, { placeId, scannedBy: 's1' });
    expect(done).toMatchObject({ status: 'completed', completed_by: 's1', completed_place_id: placeId });
    expect(await m.rewards.completePickup(order.id, { placeId, scannedBy: 's1' })).toMatchObject({ status: 'completed' });
    await expect(m.rewards.completePickup(order.id, { placeId, scannedBy: 's2' })).rejects.toMatchObject({ code: 'points.order_closed' });
    await expect(m.rewards.cancel({ orderId: order.id, reason: 'x' })).rejects.toMatchObject({ code: 'points.order_closed' });
    expect(await m.rewards.pendingOrdersAt(w.id, placeId)).toEqual([]);
    expect(await balance(w.id)).toBe(40);
  });
});
