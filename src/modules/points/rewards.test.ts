import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { workerAccount } from './points.service.js';

const CITY = '3302';
const worker = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('rewards and redemption orders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const give = (workerId: string, amount: number, key: string) => t.services.points.award({ cityCode: CITY, workerId, amount, reason: '测试发放', idempotencyKey: key });
  const balance = (workerId: string) => t.services.points.balanceOf(CITY, workerAccount(workerId));
  const noDrift = async () => {
    const d = await t.services.points.drift();
    expect(d.accounts).toEqual([]);
    expect(d.unbalancedTransactions).toEqual([]);
  };

  it('redeems once per key, respects the per-worker limit, and refunds on cancel', async () => {
    const { rewards } = t.services;
    const meal = await rewards.createReward({ cityCode: CITY, title: '10元爱心餐', cost: 30, stock: 5, perWorkerLimit: 1 });
    await give(worker(1), 100, 'give-1');
    const order = await rewards.redeem({ cityCode: CITY, workerId: worker(1), rewardId: meal.id, idempotencyKey: 'redeem-1' });
    expect(order.status).toBe('awaiting_pickup');
    expect(await rewards.redeem({ cityCode: CITY, workerId: worker(1), rewardId: meal.id, idempotencyKey: 'redeem-1' })).toMatchObject({ id: order.id });
    expect(await balance(worker(1))).toBe(70);
    await expect(rewards.redeem({ cityCode: CITY, workerId: worker(1), rewardId: meal.id, idempotencyKey: 'redeem-2' })).rejects.toMatchObject({ code: 'points.limit_reached' });
    expect((await rewards.getReward(meal.id))!.stock).toBe(4);

    const cancelled = await rewards.cancel({ orderId: order.id, reason: '骑手取消' });
    expect(cancelled.status).toBe('cancelled');
    expect(await balance(worker(1))).toBe(100);
    expect((await rewards.getReward(meal.id))!.stock).toBe(5);
    await expect(rewards.cancel({ orderId: order.id, reason: '再次取消' })).rejects.toMatchObject({ code: 'points.order_closed' });
    await expect(rewards.complete(order.id)).rejects.toMatchObject({ code: 'points.order_closed' });
    await noDrift();
  });

  it('a request retried while the first is still running makes one order', async () => {
    const { rewards } = t.services;
    const tea = await rewards.createReward({ cityCode: CITY, title: '凉茶', cost: 5, stock: 10 });
    await give(worker(3), 50, 'give-3');
    const [a, b] = await Promise.all([
      rewards.redeem({ cityCode: CITY, workerId: worker(3), rewardId: tea.id, idempotencyKey: 'tea-3' }),
      rewards.redeem({ cityCode: CITY, workerId: worker(3), rewardId: tea.id, idempotencyKey: 'tea-3' }),
    ]);
    expect(a.id).toBe(b.id);
    expect(await balance(worker(3))).toBe(45);
    expect((await rewards.getReward(tea.id))!.stock).toBe(9);
  });

  it('refuses a worker without enough points and leaves the stock alone', async () => {
    const { rewards } = t.services;
    const kit = await rewards.createReward({ cityCode: CITY, title: '雨衣', cost: 500, stock: 3 });
    await give(worker(2), 100, 'give-2');
    await expect(rewards.redeem({ cityCode: CITY, workerId: worker(2), rewardId: kit.id, idempotencyKey: 'kit-2' })).rejects.toMatchObject({ code: 'points.insufficient_balance' });
    expect((await rewards.getReward(kit.id))!.stock).toBe(3);
    expect(await balance(worker(2))).toBe(100);
    const expired = await rewards.createReward({ cityCode: CITY, title: '过期券', cost: 1, stock: 3, validUntil: new Date(t.clock.now().getTime() - 1000) });
    await expect(rewards.redeem({ cityCode: CITY, workerId: worker(2), rewardId: expired.id, idempotencyKey: 'old-2' })).rejects.toMatchObject({ code: 'points.reward_unavailable' });
    await noDrift();
  });

  it('500 simultaneous redemptions of a reward with 100 in stock: exactly 100 orders, no negative balance', async () => {
    const { rewards } = t.services;
    const reward = await rewards.createReward({ cityCode: CITY, title: '热饭套餐', cost: 10, stock: 100 });
    // 250 workers, each able to pay for one; two requests each (different keys)
    for (let i = 0; i < 250; i++) await give(worker(1000 + i), 10, `give-race-${i}`);
    const results = await Promise.allSettled(
      Array.from({ length: 500 }, (_, i) => rewards.redeem({ cityCode: CITY, workerId: worker(1000 + (i % 250)), rewardId: reward.id, idempotencyKey: `race-${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const reasons = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code);
    expect(ok).toBe(100);
    expect(reasons.every((c) => c === 'points.out_of_stock' || c === 'points.insufficient_balance')).toBe(true);
    expect((await rewards.getReward(reward.id))!.stock).toBe(0);
    for (let i = 0; i < 250; i++) expect(await balance(worker(1000 + i))).toBeGreaterThanOrEqual(0);
    await noDrift();
  });
});
