import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { SYSTEM, workerAccount, type PointsService } from './points.service.js';

const CITY = '3302';
const worker = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

// Postings made outside a caller's transaction are group-committed: these run many at once so that
// they share batches, and check that each caller still gets exactly its own outcome.
describe('points ledger: group commit', () => {
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

  it('500 concurrent awards with 20 keys sent twice: 480 distinct awards, the 20 retries replayed', async () => {
    const issuedBefore = await points.balanceOf(CITY, SYSTEM.issuance);
    const calls = Array.from({ length: 500 }, (_, i) => {
      const n = i < 480 ? i : i - 480; // calls 480..499 repeat the keys of calls 0..19
      return points.award({ cityCode: CITY, workerId: worker(1 + (n % 50)), amount: 1 + (n % 7), reason: '批量发放', source: { type: 'batch', id: String(n) }, idempotencyKey: `batch-${n}` });
    });
    const results = await Promise.all(calls);
    expect(results.filter((r) => !r.replayed)).toHaveLength(480);
    for (let i = 480; i < 500; i++) expect(results[i]).toEqual({ transactionId: results[i - 480]!.transactionId, replayed: true });
    expect(new Set(results.map((r) => r.transactionId)).size).toBe(480);
    let expected = 0;
    for (let n = 0; n < 480; n++) expected += 1 + (n % 7);
    let total = 0;
    for (let w = 1; w <= 50; w++) total += await balance(worker(w));
    expect(total).toBe(expected);
    expect(await points.balanceOf(CITY, SYSTEM.issuance)).toBe(issuedBefore - expected);
    const d = await expectNoDrift();
    expect(d.checkedEntries).toBeGreaterThanOrEqual(960);
  });

  it('a key already posted replays; a different request under it, in the same batch or later, is refused', async () => {
    const first = await points.award({ cityCode: CITY, workerId: worker(60), amount: 10, reason: '上报', idempotencyKey: 'posted-key' });
    const [same, other, twinA, twinB] = await Promise.allSettled([
      points.award({ cityCode: CITY, workerId: worker(60), amount: 10, reason: '上报', idempotencyKey: 'posted-key' }),
      points.award({ cityCode: CITY, workerId: worker(60), amount: 99, reason: '上报', idempotencyKey: 'posted-key' }),
      points.award({ cityCode: CITY, workerId: worker(61), amount: 5, reason: '上报', idempotencyKey: 'twin-key' }),
      points.award({ cityCode: CITY, workerId: worker(61), amount: 6, reason: '上报', idempotencyKey: 'twin-key' }),
      ...Array.from({ length: 30 }, (_, i) => points.award({ cityCode: CITY, workerId: worker(62), amount: 1, reason: '上报', idempotencyKey: `filler-${i}` })),
    ]);
    expect(same).toEqual({ status: 'fulfilled', value: { transactionId: first.transactionId, replayed: true } });
    expect(other).toMatchObject({ status: 'rejected', reason: { code: 'points.idempotency_conflict' } });
    expect(twinA).toMatchObject({ status: 'fulfilled', value: { replayed: false } });
    expect(twinB).toMatchObject({ status: 'rejected', reason: { code: 'points.idempotency_conflict' } });
    expect(await balance(worker(60))).toBe(10);
    expect(await balance(worker(61))).toBe(5);
    expect(await balance(worker(62))).toBe(30);
    await expectNoDrift();
  });

  it('a spend that would overdraw fails alone; the awards batched with it are posted', async () => {
    await points.award({ cityCode: CITY, workerId: worker(70), amount: 5, reason: '上报', idempotencyKey: 'w70-fund' });
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) => points.award({ cityCode: CITY, workerId: worker(71 + (i % 4)), amount: 3, reason: '上报', idempotencyKey: `mixed-award-${i}` })),
      points.spend({ cityCode: CITY, workerId: worker(70), amount: 6, reason: '兑换', idempotencyKey: 'w70-overdraw' }),
      points.spend({ cityCode: CITY, workerId: worker(70), amount: 2, reason: '兑换', idempotencyKey: 'w70-ok' }),
    ]);
    expect(results.slice(0, 20).every((r) => r.status === 'fulfilled')).toBe(true);
    // whichever spend is written first, the 6-point spend cannot be paid from 5 (or 3)
    expect(results[20]).toMatchObject({ status: 'rejected', reason: { code: 'points.insufficient_balance' } });
    expect(results[21]).toMatchObject({ status: 'fulfilled', value: { replayed: false } });
    expect(await balance(worker(70))).toBe(3);
    for (let w = 71; w <= 74; w++) expect(await balance(worker(w))).toBe(15);
    // nothing was kept under the refused key
    await points.award({ cityCode: CITY, workerId: worker(70), amount: 10, reason: '上报', idempotencyKey: 'w70-top-up' });
    await expect(points.spend({ cityCode: CITY, workerId: worker(70), amount: 6, reason: '兑换', idempotencyKey: 'w70-overdraw' })).resolves.toMatchObject({ replayed: false });
    expect(await balance(worker(70))).toBe(7);
    await expectNoDrift();
  });

  it('an award and a spend of the same worker at once never hide an overdraft in the batch sum', async () => {
    // balance 0: the spend may only succeed if the award is written before it
    const [spend, award] = await Promise.allSettled([
      points.spend({ cityCode: CITY, workerId: worker(80), amount: 4, reason: '兑换', idempotencyKey: 'w80-spend' }),
      points.award({ cityCode: CITY, workerId: worker(80), amount: 4, reason: '上报', idempotencyKey: 'w80-award' }),
    ]);
    expect(spend).toMatchObject({ status: 'rejected', reason: { code: 'points.insufficient_balance' } });
    expect(award).toMatchObject({ status: 'fulfilled' });
    expect(await balance(worker(80))).toBe(4);
    await expectNoDrift();
  });
});
