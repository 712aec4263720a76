// npm run bench:points — the points ledger under load, side by side on PGlite and (when DATABASE_URL is
// set) the PostgreSQL server:
//   * ledger awards/s: points.award() — N concurrent awards with distinct idempotency keys across M workers;
//   * earn/s: earning.earn() — the same through an earning rule (caps looked up, roll-ups and titles kept);
//   * redemptions/s under contention: one reward, many workers all redeeming at once (stock S, 2·S requests);
// then the drift check (every balance recomputed from its entries). Target (issue 7): ≥ 1,000 awards/s
// with zero drift.
//
// Options (env): BENCH_SECONDS=5 (per measurement)  BENCH_WORKERS=1000  BENCH_CONCURRENCY=32  BENCH_STOCK=500
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enginesToRun, openEngine, type Engine } from './engines.js';
import { systemClock } from '../src/shared/clock.js';
import { createPiiCipher } from '../src/shared/pii.js';
import type { StaffPrincipal } from '../src/contracts/auth.js';
import { createAuditRepository } from '../src/modules/audit/audit.repository.js';
import { createAuditService } from '../src/modules/audit/audit.service.js';
import { createAreasRepository } from '../src/modules/areas/areas.repository.js';
import { createAreasService, loadCityAreas } from '../src/modules/areas/areas.service.js';
import { createPointsModule } from '../src/modules/points/points.module.js';
import type { PointsWorkers, PointsWorkerSummary } from '../src/modules/points/earning.service.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STOCK = Number(process.env.BENCH_STOCK ?? 500);
const TARGET_AWARDS = 1000;
const CITY = '3302';
const DISTRICTS = ['330212011', '330212001', '330203001', '330205001'];

/** Runs `op(i)` from `concurrency` loops until `seconds` pass; returns completed ops per second. */
async function timed(seconds: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<{ ops: number; perSecond: number; errors: number }> {
  let next = 0;
  let done = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = next++;
        try {
          await op(i);
          done++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { ops: done, perSecond: done / elapsed, errors };
}

async function runEngine(engine: Engine) {
  const { database, drop } = await openEngine(engine, { poolSize: 16 });
  try {
    const db = database.db;
    await createAreasRepository(db).insertMany(loadCityAreas(CITY));
    const workerIds = Array.from({ length: WORKERS }, () => crypto.randomUUID());
    const summaries = new Map<string, PointsWorkerSummary>(
      workerIds.map((id, i) => [id, { id, cityCode: CITY, phoneMasked: '138****0000', nameMasked: '张*', verificationStatus: 'approved', areaCode: DISTRICTS[i % DISTRICTS.length]! }]),
    );
    // the workers and places modules are not under test: fakes typed against what the points module uses
    const workers: PointsWorkers = { getWorkerSummary: async (id) => summaries.get(id), findWorkerByPhone: async () => undefined };
    const m = createPointsModule({
      db,
      clock: systemClock,
      pii: createPiiCipher(crypto.randomBytes(64)),
      audit: createAuditService({ repo: createAuditRepository(db) }),
      areas: createAreasService({ repo: createAreasRepository(db) }),
      places: { lookup: async (id) => ({ id, type: 'merchant', cityCode: CITY, areaCode: '330212011', name: '基准面馆', status: 'active' }) },
      workers,
    });
    const operator: StaffPrincipal = { kind: 'staff', id: crypto.randomUUID(), cityCode: CITY, username: 'bench', displayName: 'bench', role: 'operator', areaCode: CITY, departmentIds: [] };
    await m.earning.saveRule(operator, 'bench_award', { title: '基准测试', pointsPerUnit: 5, unit: '次', dailyCap: null, monthlyCap: null, active: true, sponsorId: null }, {});
    await m.earning.saveRule(operator, 'bench_capped', { title: '基准测试（封顶）', pointsPerUnit: 5, unit: '次', dailyCap: 1_000_000, monthlyCap: 10_000_000, active: true, sponsorId: null }, {});
    const run = crypto.randomBytes(3).toString('hex');
    const pick = (i: number) => workerIds[(i * 7919) % WORKERS]!;

    // warm-up (accounts created, statements prepared, JIT)
    await timed(Math.min(1, SECONDS), 8, (i) => m.points.award({ cityCode: CITY, workerId: pick(i), amount: 1, reason: '预热', idempotencyKey: `warm-${run}-${i}` }));

    const awards = await timed(SECONDS, CONCURRENCY, (i) => m.points.award({ cityCode: CITY, workerId: pick(i), amount: 10, reason: '基准发放', source: { type: 'bench', id: String(i) }, idempotencyKey: `award-${run}-${i}` }));
    const earns = await timed(SECONDS, CONCURRENCY, (i) => m.earning.earn({ cityCode: CITY, workerId: pick(i), rule: 'bench_award', source: { type: 'bench', id: String(i) }, idempotencyKey: `earn-${run}-${i}` }));
    const capped = await timed(SECONDS, CONCURRENCY, (i) => m.earning.earn({ cityCode: CITY, workerId: pick(i), rule: 'bench_capped', source: { type: 'bench', id: String(i) }, idempotencyKey: `earnc-${run}-${i}` }));

    // redemptions under contention: every worker at once on one reward with STOCK units
    // every worker can pay for two units
    let funded = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = funded++; i < WORKERS; i = funded++) {
          await m.points.award({ cityCode: CITY, workerId: workerIds[i]!, amount: 20, reason: '兑换预备', idempotencyKey: `fund-${run}-${i}` });
        }
      }),
    );
    const reward = await m.rewards.createReward({ cityCode: CITY, title: '10元爱心餐', category: 'meal', cost: 10, stock: STOCK, placeId: '1' });
    const requests = Math.min(2 * STOCK, 4 * WORKERS);
    const t0 = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: requests }, (_, i) => m.rewards.redeem({ cityCode: CITY, workerId: workerIds[i % WORKERS]!, rewardId: reward.id, idempotencyKey: `redeem-${run}-${i}` })),
    );
    const redeemSeconds = (performance.now() - t0) / 1000;
    const redeemed = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && ['points.out_of_stock', 'points.insufficient_balance'].includes((r.reason as { code?: string }).code ?? '')).length;
    const left = (await m.rewards.getReward(reward.id))!.stock;

    const t1 = performance.now();
    const drift = await m.points.drift();
    const driftMs = performance.now() - t1;
    const driftCount = drift.accounts.length + drift.unbalancedTransactions.length;
    return { engine, awards, earns, capped, redeem: { requests, redeemed, refused, left, perSecond: requests / redeemSeconds, seconds: redeemSeconds }, drift: { count: driftCount, entries: drift.checkedEntries, accounts: drift.checkedAccounts, ms: driftMs } };
  } finally {
    await drop();
  }
}

async function main() {
  console.log(`bench:points — ${os.cpus().length} cores, Node ${process.version}, ${SECONDS} s per measurement, ${WORKERS} workers, ${CONCURRENCY} in flight, stock ${STOCK}\n`);
  const engines = enginesToRun();
  const rows: string[][] = [];
  let failed = false;
  for (const engine of engines) {
    const r = await runEngine(engine);
    console.log(`== ${engine}`);
    console.log(`  ledger awards     ${r.awards.perSecond.toFixed(0)}/s (${r.awards.ops} in ${SECONDS} s, errors ${r.awards.errors})`);
    console.log(`  earn (rule)       ${r.earns.perSecond.toFixed(0)}/s (${r.earns.ops}, errors ${r.earns.errors})`);
    console.log(`  earn (with caps)  ${r.capped.perSecond.toFixed(0)}/s (${r.capped.ops}, errors ${r.capped.errors})`);
    console.log(`  redemptions       ${r.redeem.perSecond.toFixed(0)} requests/s: ${r.redeem.requests} at once on one reward, ${r.redeem.redeemed} redeemed, ${r.redeem.refused} refused, stock left ${r.redeem.left}`);
    console.log(`  drift check       ${r.drift.count === 0 ? 'zero drift' : `${r.drift.count} DRIFTING`} over ${r.drift.accounts} accounts / ${r.drift.entries} entries in ${r.drift.ms.toFixed(0)} ms\n`);
    const exact = r.redeem.redeemed === Math.min(STOCK, r.redeem.requests) && r.redeem.left === STOCK - r.redeem.redeemed;
    if (r.drift.count !== 0 || !exact) failed = true;
    const ratio = (x: number) => (TARGET_AWARDS / x).toFixed(2);
    rows.push([engine, 'ledger awards/s (points.award)', r.awards.perSecond.toFixed(0), `≥ ${TARGET_AWARDS}`, ratio(r.awards.perSecond)]);
    rows.push([engine, 'earn/s (rule, roll-ups, title check)', r.earns.perSecond.toFixed(0), `≥ ${TARGET_AWARDS}`, ratio(r.earns.perSecond)]);
    rows.push([engine, 'earn/s (rule with daily + monthly caps)', r.capped.perSecond.toFixed(0), `≥ ${TARGET_AWARDS}`, ratio(r.capped.perSecond)]);
    rows.push([engine, `redemption requests/s (${r.redeem.requests} at once, one reward)`, r.redeem.perSecond.toFixed(0), '—', '—']);
    rows.push([engine, 'redeemed = min(stock, requests), stock consistent', exact ? 'yes' : 'NO', 'yes', exact ? '1.00' : '∞']);
    rows.push([engine, 'drift after the run', String(r.drift.count), '0', r.drift.count === 0 ? '1.00' : '∞']);
  }
  console.log('| engine | measurement | measured | target | target-ratio (≤ 1 meets) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (failed) process.exitCode = 1;
}

await main();
