import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { SYSTEM, sponsorAccount, workerAccount, type PointsService } from './points.service.js';

const CITY = '3302';
const W1 = '00000000-0000-4000-8000-000000000001';
const W2 = '00000000-0000-4000-8000-000000000002';

describe('points ledger', () => {
  let t: TestApp;
  let points: PointsService;
  beforeAll(async () => {
    t = await createTestApp();
    points = t.services.points;
  });
  afterAll(() => t.close());

  const balance = (workerId: string) => points.balanceOf(CITY, workerAccount(workerId));
  const expectNoDrift = async () => {
    const d = await points.drift();
    expect(d.accounts).toEqual([]);
    expect(d.unbalancedTransactions).toEqual([]);
    return d;
  };

  it('awards points once per idempotency key; a different request under the same key is refused', async () => {
    const award = { cityCode: CITY, workerId: W1, amount: 20, reason: '随手拍有效上报', source: { type: 'report', id: 'r-1' }, idempotencyKey: 'report:r-1:valid' };
    const first = await points.award(award);
    const retry = await points.award(award);
    expect(retry).toEqual({ transactionId: first.transactionId, replayed: true });
    expect(await balance(W1)).toBe(20);
    await expect(points.award({ ...award, amount: 50 })).rejects.toMatchObject({ code: 'points.idempotency_conflict' });
    expect(await balance(W1)).toBe(20);
    expect(await points.balanceOf(CITY, SYSTEM.issuance)).toBe(-20);
    await expectNoDrift();
  });

  it('refuses bad amounts and overdrafts, changing nothing', async () => {
    await expect(points.award({ cityCode: CITY, workerId: W1, amount: 0, reason: 'x', idempotencyKey: 'zero' })).rejects.toMatchObject({ code: 'points.invalid_amount' });
    await expect(points.award({ cityCode: CITY, workerId: W1, amount: 1.5, reason: 'x', idempotencyKey: 'half' })).rejects.toMatchObject({ code: 'points.invalid_amount' });
    await expect(points.spend({ cityCode: CITY, workerId: W1, amount: 21, reason: '兑换爱心餐', idempotencyKey: 'spend-too-much' })).rejects.toMatchObject({ code: 'points.insufficient_balance' });
    expect(await balance(W1)).toBe(20);
    // nothing was written under the refused key: it can be used once the balance allows
    await points.spend({ cityCode: CITY, workerId: W1, amount: 5, reason: '兑换爱心餐', idempotencyKey: 'spend-too-much' });
    expect(await balance(W1)).toBe(15);
    await expect(points.post({ cityCode: CITY, kind: 'adjust', reason: 'x', idempotencyKey: 'unbalanced', lines: [{ account: workerAccount(W1), amount: 3 }] })).rejects.toThrow(/sum to zero/);
    await expectNoDrift();
  });

  it('spends a sponsor budget: awards from it stop when it is empty', async () => {
    const sponsor = sponsorAccount('sponsor-aunt-noodles');
    await points.post({ cityCode: CITY, kind: 'budget', reason: '商家赞助 100 积分', idempotencyKey: 'budget-1', lines: [{ account: SYSTEM.issuance, amount: -100 }, { account: sponsor, amount: 100 }] });
    await points.award({ cityCode: CITY, workerId: W2, amount: 60, reason: '志愿服务 2 小时', idempotencyKey: 'vol-1', from: sponsor });
    await expect(points.award({ cityCode: CITY, workerId: W2, amount: 60, reason: '志愿服务 2 小时', idempotencyKey: 'vol-2', from: sponsor })).rejects.toMatchObject({ code: 'points.insufficient_balance' });
    expect(await points.balanceOf(CITY, sponsor)).toBe(40);
    expect(await balance(W2)).toBe(60);
    await expectNoDrift();
  });

  it('claws an award back with a reason, never below zero, and only once', async () => {
    const { transactionId } = await points.award({ cityCode: CITY, workerId: W2, amount: 30, reason: '随手拍有效上报', idempotencyKey: 'report:r-9:valid' });
    await points.spend({ cityCode: CITY, workerId: W2, amount: 80, reason: '兑换', idempotencyKey: 'spend-w2' });
    expect(await balance(W2)).toBe(10);
    const back = await points.reverse({ cityCode: CITY, transactionId, kind: 'clawback', reason: '上报照片重复使用（欺诈）', idempotencyKey: 'clawback-r-9' });
    expect(back.shortfall).toBe(20);
    expect(await balance(W2)).toBe(0);
    await expect(points.reverse({ cityCode: CITY, transactionId, kind: 'clawback', reason: '再次', idempotencyKey: 'clawback-r-9-again' })).rejects.toMatchObject({ code: 'points.already_reversed' });
    const history = await points.history(CITY, W2);
    expect(history.balance).toBe(0);
    expect(history.items[0]).toMatchObject({ amount: -10, kind: 'clawback', reason: '上报照片重复使用（欺诈）' });
    await expectNoDrift();
  });

  it('keeps entries immutable in the database', async () => {
    await expect(sql`update points_entries set amount = amount * 2`.execute(t.services.db)).rejects.toThrow(/immutable/);
    await expect(sql`delete from points_transactions`.execute(t.services.db)).rejects.toThrow(/immutable/);
    await expect(sql`update points_accounts set balance = -5 where kind = 'worker'`.execute(t.services.db)).rejects.toThrow(/check/);
  });

  it('500 simultaneous spends of 1 point against a balance of 100: exactly 100 succeed, none overdraw', async () => {
    const W3 = '00000000-0000-4000-8000-000000000003';
    await points.award({ cityCode: CITY, workerId: W3, amount: 100, reason: '城市合伙人', idempotencyKey: 'partner-w3' });
    const results = await Promise.allSettled(
      Array.from({ length: 500 }, (_, i) => points.spend({ cityCode: CITY, workerId: W3, amount: 1, reason: '兑换', idempotencyKey: `race-${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'points.insufficient_balance').length;
    expect(ok).toBe(100);
    expect(refused).toBe(400);
    expect(await balance(W3)).toBe(0);
    const d = await expectNoDrift();
    expect(d.checkedEntries).toBeGreaterThan(200);
  });
});
