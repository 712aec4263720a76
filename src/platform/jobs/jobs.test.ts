import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/db.js';
import type { Database } from '../../db/database.js';
import { FakeClock } from '../../shared/clock.js';
import { createJobRunner, registerRecurring, JOBS_PURGE_KIND, type JobRunnerDeps } from './jobs.js';

let database: Database;
let clock: FakeClock;
const quiet = { error: () => {}, info: () => {} };
const runner = (over: Partial<JobRunnerDeps> = {}) => createJobRunner({ db: database.db, clock, pollMs: 50, logger: quiet, ...over });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());
beforeEach(async () => {
  clock = new FakeClock();
  await sql`delete from jobs`.execute(database.db);
});

describe('durable jobs', () => {
  it('runs an enqueued job once, with its payload', async () => {
    const jobs = runner();
    const seen: unknown[] = [];
    jobs.register('test.once', async (payload, job) => void seen.push({ payload, attempts: job.attempts }));
    const id = await jobs.enqueue('test.once', { reportId: 'r1', n: 3 });
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.runDue()).toBe(0);
    expect(seen).toEqual([{ payload: { reportId: 'r1', n: 3 }, attempts: 1 }]);
    const row = await jobs.get(id);
    expect(row).toMatchObject({ status: 'done', attempts: 1, locked_by: null });
    expect(row!.finished_at!.toISOString()).toBe(clock.now().toISOString());
  });

  it('dedupes by unique key while a job is pending, not after it is done', async () => {
    const jobs = runner();
    let runs = 0;
    jobs.register('test.dedupe', async () => void runs++);
    const a = await jobs.enqueue('test.dedupe', {}, { uniqueKey: 'report:1' });
    const b = await jobs.enqueue('test.dedupe', {}, { uniqueKey: 'report:1' });
    const other = await jobs.enqueue('test.dedupe', {}, { uniqueKey: 'report:2' });
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    expect(await jobs.runDue()).toBe(2);
    const c = await jobs.enqueue('test.dedupe', {}, { uniqueKey: 'report:1' });
    expect(c).not.toBe(a);
    await jobs.runDue();
    expect(runs).toBe(3);
  });

  it('retries a failing job with exponential backoff, then succeeds', async () => {
    const jobs = runner();
    let calls = 0;
    jobs.register('test.flaky', async () => {
      calls++;
      if (calls < 3) throw new Error(`gateway down #${calls}`);
    });
    const id = await jobs.enqueue('test.flaky');
    const t0 = clock.now().getTime();
    expect(await jobs.runDue()).toBe(1);
    let row = await jobs.get(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toContain('gateway down #1');
    expect(row!.run_at.getTime()).toBe(t0 + 20_000);

    expect(await jobs.runDue()).toBe(0);
    clock.advance(19_999);
    expect(await jobs.runDue()).toBe(0);
    clock.advance(1);
    expect(await jobs.runDue()).toBe(1);
    row = await jobs.get(id);
    expect(row!.run_at.getTime()).toBe(t0 + 20_000 + 40_000);

    clock.advance(40_000);
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.get(id)).toMatchObject({ status: 'done', attempts: 3 });
    expect(calls).toBe(3);
  });

  it('gives up after max attempts', async () => {
    const jobs = runner();
    let calls = 0;
    jobs.register('test.broken', async () => {
      calls++;
      throw new Error('always');
    });
    const id = await jobs.enqueue('test.broken', {}, { maxAttempts: 2 });
    await jobs.runDue();
    clock.advance(60_000);
    await jobs.runDue();
    const row = await jobs.get(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row!.last_error).toContain('always');
    expect(row!.finished_at).not.toBeNull();
    clock.advance(24 * 3600_000);
    expect(await jobs.runDue()).toBe(0);
    expect(calls).toBe(2);
  });

  it('fails a job of a kind nobody handles', async () => {
    const jobs = runner();
    const id = await jobs.enqueue('test.nobody');
    expect(await jobs.runDue()).toBe(1);
    const row = await jobs.get(id);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.last_error).toMatch(/no handler/);
  });

  it('does not run a job before its time', async () => {
    const jobs = runner();
    let runs = 0;
    jobs.register('test.later', async () => void runs++);
    await jobs.enqueue('test.later', {}, { runAt: new Date(clock.now().getTime() + 3600_000) });
    expect(await jobs.runDue()).toBe(0);
    clock.advance(3600_000 - 1000);
    expect(await jobs.runDue()).toBe(0);
    clock.advance(1000);
    expect(await jobs.runDue()).toBe(1);
    expect(runs).toBe(1);
  });

  it('runs each job exactly once with two runners on one database', async () => {
    const counts = new Map<number, number>();
    const byRunner = { a: 0, b: 0 };
    const a = runner({ batchSize: 3 });
    const b = runner({ batchSize: 3 });
    for (const [name, r] of [['a', a], ['b', b]] as const) {
      r.register('test.shared', async (_p, job) => {
        counts.set(job.id, (counts.get(job.id) ?? 0) + 1);
        byRunner[name]++;
        await new Promise((res) => setTimeout(res, 2));
      });
    }
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) ids.push(await a.enqueue('test.shared', { i }));
    const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ra + rb).toBe(25);
    expect(byRunner.a + byRunner.b).toBe(25);
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const left = await sql<{ n: number }>`select count(*)::int as n from jobs where status <> 'done'`.execute(database.db);
    expect(left.rows[0].n).toBe(0);
  });

  it('takes over a job whose runner crashed once its lease expires', async () => {
    const jobs = runner();
    let runs = 0;
    jobs.register('test.orphan', async () => void runs++);
    const id = await jobs.enqueue('test.orphan');
    const now = clock.now();
    // A runner claimed it and died: running, lease in the future.
    await sql`update jobs set status = 'running', attempts = 1, locked_by = 'dead-runner#1', locked_until = ${new Date(now.getTime() + 60_000)} where id = ${id}`.execute(database.db);
    expect(await jobs.runDue()).toBe(0);
    clock.advance(60_001);
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.get(id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(runs).toBe(1);
  });

  it('fails a crashed job that was on its last attempt instead of running it again', async () => {
    const jobs = runner();
    jobs.register('test.orphan-last', async () => {});
    const id = await jobs.enqueue('test.orphan-last', {}, { maxAttempts: 1 });
    await sql`update jobs set status = 'running', attempts = 1, locked_by = 'dead#1', locked_until = ${new Date(clock.now().getTime() - 1)} where id = ${id}`.execute(database.db);
    expect(await jobs.runDue()).toBe(0);
    const row = await jobs.get(id);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.last_error).toMatch(/lease expired/);
  });

  it('ignores the result of a runner that lost its lease to another', async () => {
    const slow = runner({ leaseMs: 1000 });
    const fast = runner({ leaseMs: 1000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let slowRuns = 0;
    let fastRuns = 0;
    slow.register('test.lease', async () => {
      slowRuns++;
      await gate;
      throw new Error('slow runner failed late');
    });
    fast.register('test.lease', async () => void fastRuns++);
    const id = await slow.enqueue('test.lease');
    const slowRun = slow.runDue();
    await vi.waitFor(() => expect(slowRuns).toBe(1));
    clock.advance(1001);
    expect(await fast.runDue()).toBe(1);
    release();
    await slowRun;
    expect(await slow.get(id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(fastRuns).toBe(1);
  });

  it('survives a restart: a new runner finds the pending jobs', async () => {
    const before = runner();
    const id = await before.enqueue('test.restart', { x: 1 });
    await before.stop();
    const after = runner();
    const seen: unknown[] = [];
    after.register('test.restart', async (p) => void seen.push(p));
    expect(await after.runDue()).toBe(1);
    expect(seen).toEqual([{ x: 1 }]);
    expect(await after.get(id)).toMatchObject({ status: 'done' });
  });

  it('keeps one recurring job scheduled, also after a run that failed for good', async () => {
    const jobs = runner();
    let runs = 0;
    registerRecurring(jobs, 'test.every-minute', 60_000, async () => {
      runs++;
      if (runs === 2) throw new Error('bad day');
    });
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.runDue()).toBe(0);
    clock.advance(60_000);
    expect(await jobs.runDue()).toBe(1); // fails, retried with backoff (max 3 attempts)
    clock.advance(20_000);
    expect(await jobs.runDue()).toBe(1); // succeeds
    clock.advance(60_000);
    expect(await jobs.runDue()).toBe(1);
    expect(runs).toBe(4);
    // Another process registering the same recurring kind does not double the schedule.
    const other = runner();
    registerRecurring(other, 'test.every-minute', 60_000, async () => void runs++);
    await other.runDue();
    const active = await sql<{ n: number }>`select count(*)::int as n from jobs where kind = 'test.every-minute' and status in ('pending', 'running')`.execute(database.db);
    expect(active.rows[0].n).toBe(1);
    expect(runs).toBe(4);
  });

  it('purges done jobs older than a cut-off', async () => {
    const jobs = runner();
    jobs.register('test.purge', async () => {});
    const old = await jobs.enqueue('test.purge');
    await jobs.runDue();
    clock.advance(8 * 24 * 3600_000);
    const recent = await jobs.enqueue('test.purge');
    await jobs.runDue();
    const pending = await jobs.enqueue('test.purge', {}, { runAt: new Date(clock.now().getTime() + 1000) });
    expect(await jobs.purgeDone(new Date(clock.now().getTime() - 7 * 24 * 3600_000))).toBe(1);
    expect(await jobs.get(old)).toBeUndefined();
    expect(await jobs.get(recent)).toMatchObject({ status: 'done' });
    expect(await jobs.get(pending)).toMatchObject({ status: 'pending' });
  });

  it('polls when started, schedules housekeeping, and stops cleanly', async () => {
    const jobs = runner({ pollMs: 50 });
    let runs = 0;
    jobs.register('test.polled', async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
    });
    jobs.start();
    await jobs.enqueue('test.polled');
    await vi.waitFor(() => expect(runs).toBe(1), { timeout: 3000 });
    await jobs.enqueue('test.polled');
    await vi.waitFor(() => expect(runs).toBe(2), { timeout: 3000 });
    await jobs.stop();
    const purge = await sql<{ status: string }>`select status from jobs where kind = ${JOBS_PURGE_KIND} order by id`.execute(database.db);
    expect(purge.rows.map((r) => r.status)).toEqual(['done', 'pending']);
    await jobs.enqueue('test.polled');
    await new Promise((r) => setTimeout(r, 150));
    expect(runs).toBe(2);
  });
});
