import os from 'node:os';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { randomToken } from '../../shared/ids.js';
import { createJobsRepository, type JobRow } from './jobs.repository.js';

export type { JobRow, JobStatus } from './jobs.repository.js';

export interface JobContext {
  id: number;
  kind: string;
  /** 1 on the first try. */
  attempts: number;
  maxAttempts: number;
}

/** Does the work. Throwing means "try again later" (with backoff) until max attempts, then "failed". */
export type JobHandler = (payload: Record<string, unknown>, job: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** Not before this time; default now. */
  runAt?: Date;
  /** At most one pending/running job per kind and key: enqueueing again returns the existing id. */
  uniqueKey?: string;
  /** Default 5. */
  maxAttempts?: number;
}

export interface RegisterOptions {
  /** Recurring: keep exactly one job of this kind scheduled, the next one `everyMs` after each run ends. */
  everyMs?: number;
}

export interface JobLogger {
  error: (...a: unknown[]) => void;
  info: (...a: unknown[]) => void;
}

export interface JobRunnerDeps {
  db: Db;
  clock: Clock;
  pollMs: number;
  logger?: JobLogger;
  /** How long a claimed job stays ours before another runner may take it over (default 5 min). */
  leaseMs?: number;
  /** Jobs claimed per round (default 10). */
  batchSize?: number;
  /** Finished jobs kept this long before housekeeping deletes them (default 7 days). */
  retainDoneMs?: number;
  /** Identifies this process in locked_by. */
  workerId?: string;
}

export const JOBS_PURGE_KIND = 'jobs.purge';
const DAY = 24 * 60 * 60 * 1000;
const MAX_ROUNDS = 10;

/** Wait before attempt n+1 after n failed attempts: 20 s, 40 s, 80 s … capped at 6 h. */
export const backoffMs = (attempts: number) => Math.min(2 ** attempts * 10_000, 6 * 60 * 60 * 1000);

const errorText = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e)).slice(0, 2000);

/**
 * Durable background work over the `jobs` table. Any number of runners (processes) may share one
 * database: a job is claimed with SKIP LOCKED under a lease, so it runs once; if its runner dies, the
 * lease expires and another runner retries it. Modules register handlers at construction and enqueue
 * work; main.ts calls start() (poll loop) and stop(); tests call runDue() with a FakeClock.
 */
export function createJobRunner(deps: JobRunnerDeps) {
  const { db, clock, pollMs } = deps;
  const repo = createJobsRepository(db);
  const log: JobLogger = deps.logger ?? { error: (...a) => console.error('[jobs]', ...a), info: () => {} };
  const leaseMs = deps.leaseMs ?? 5 * 60 * 1000;
  const batchSize = deps.batchSize ?? 10;
  const worker = deps.workerId ?? `${os.hostname()}:${process.pid}:${randomToken(4)}`;
  const handlers = new Map<string, JobHandler>();
  const recurring = new Map<string, { everyMs: number; seeded: boolean }>();
  const inflight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let claims = 0;

  async function enqueue(kind: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}): Promise<number> {
    const now = clock.now();
    const row = { kind, payload, uniqueKey: opts.uniqueKey ?? null, runAt: opts.runAt ?? now, maxAttempts: opts.maxAttempts ?? 5, now };
    // With a unique key, "insert or find the active one" can race a job that finishes in between; retry.
    for (let i = 0; i < 3; i++) {
      const id = await repo.insert(row);
      if (id !== undefined) return id;
      const existing = await repo.findActiveByKey(kind, row.uniqueKey!);
      if (existing !== undefined) return existing;
    }
    throw new Error(`could not enqueue ${kind} with unique key ${opts.uniqueKey}`);
  }

  async function seedRecurring() {
    for (const [kind, r] of recurring) {
      if (r.seeded) continue;
      await enqueue(kind, {}, { uniqueKey: kind, maxAttempts: 3 });
      r.seeded = true;
    }
  }

  /** Ends a job in one transaction with the next occurrence of a recurring kind, so none is ever lost. */
  async function finish(job: JobRow, outcome: { ok: true } | { ok: false; error: string; final: boolean }) {
    const now = clock.now();
    const every = recurring.get(job.kind)?.everyMs;
    await db.transaction().execute(async (trx) => {
      const r = createJobsRepository(trx);
      let ended: boolean;
      const claim = job.locked_by!;
      if (outcome.ok) ended = await r.complete(job.id, claim, now);
      else if (outcome.final) ended = await r.fail(job.id, claim, now, outcome.error);
      else {
        await r.retry(job.id, claim, new Date(now.getTime() + backoffMs(job.attempts)), outcome.error);
        ended = false;
      }
      if (ended && every !== undefined) {
        await r.insert({ kind: job.kind, payload: job.payload, uniqueKey: job.unique_key ?? job.kind, runAt: new Date(now.getTime() + every), maxAttempts: job.max_attempts, now });
      }
    });
  }

  async function runOne(job: JobRow) {
    const handler = handlers.get(job.kind);
    if (!handler) {
      log.error({ jobId: job.id, kind: job.kind }, 'no handler registered for job kind');
      await finish(job, { ok: false, error: `no handler registered for kind "${job.kind}"`, final: true });
      return;
    }
    try {
      await handler(job.payload, { id: job.id, kind: job.kind, attempts: job.attempts, maxAttempts: job.max_attempts });
    } catch (e) {
      const final = job.attempts >= job.max_attempts;
      (final ? log.error : log.info)({ jobId: job.id, kind: job.kind, attempts: job.attempts, err: e }, final ? 'job failed for good' : 'job failed, will retry');
      await finish(job, { ok: false, error: errorText(e), final });
      return;
    }
    await finish(job, { ok: true });
  }

  async function runDueNow(): Promise<number> {
    for (const j of await repo.failAbandoned(clock.now())) {
      log.error({ jobId: j.id, kind: j.kind }, 'job abandoned by a runner on its last attempt');
      const r = recurring.get(j.kind);
      if (r) r.seeded = false;
    }
    await seedRecurring();
    let ran = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = clock.now();
      // A token per claim, so a runner whose lease ran out cannot finish a job someone else re-claimed.
      const claimed = await repo.claim(`${worker}#${++claims}`, now, new Date(now.getTime() + leaseMs), batchSize);
      for (const job of claimed) {
        await runOne(job);
        ran++;
      }
      if (claimed.length < batchSize) break;
    }
    return ran;
  }

  const runner = {
    /** The handler for one kind of job; a later registration replaces an earlier one. */
    register(kind: string, handler: JobHandler, opts: RegisterOptions = {}) {
      handlers.set(kind, handler);
      if (opts.everyMs !== undefined) {
        if (!(opts.everyMs > 0)) throw new Error(`everyMs must be positive for ${kind}`);
        recurring.set(kind, { everyMs: opts.everyMs, seeded: false });
      }
    },

    /** Schedules a job; returns its id (or, with a unique key, the id of the job already waiting). */
    enqueue,

    /** Runs every due job once; returns how many ran. Used by the poll loop and by tests. */
    async runDue(): Promise<number> {
      const p = runDueNow();
      inflight.add(p);
      try {
        return await p;
      } finally {
        inflight.delete(p);
      }
    },

    /**
     * Polls every pollMs (never overlapping; the timer does not keep the process alive) and keeps
     * finished jobs purged. Called by main.ts when JOBS_ENABLED; tests call runDue() instead.
     */
    start() {
      if (running) return;
      running = true;
      if (!handlers.has(JOBS_PURGE_KIND)) {
        const retain = deps.retainDoneMs ?? 7 * DAY;
        registerRecurring(runner, JOBS_PURGE_KIND, DAY, async () => {
          const n = await repo.purgeDone(new Date(clock.now().getTime() - retain));
          if (n) log.info({ purged: n }, 'purged finished jobs');
        });
      }
      const tick = async () => {
        timer = undefined;
        if (!running) return;
        try {
          await runner.runDue();
        } catch (e) {
          log.error({ err: e }, 'job poll failed');
        }
        if (running) {
          timer = setTimeout(tick, pollMs);
          timer.unref();
        }
      };
      timer = setTimeout(tick, 0);
      timer.unref();
    },

    /** Stops polling and waits for the jobs being run right now. */
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([...inflight]);
    },

    /** Deletes done jobs that finished before `olderThan`; returns how many. */
    purgeDone: (olderThan: Date) => repo.purgeDone(olderThan),

    /** One job as stored (for tests and operators). */
    get: (id: number) => repo.get(id),

    workerId: worker,
  };
  return runner;
}
export type JobRunner = ReturnType<typeof createJobRunner>;

/**
 * Recurring work (reminders sweep, retention, housekeeping): keeps one job of `kind` scheduled
 * (unique key = kind, so many processes still schedule one), runs `handler`, and schedules the next
 * run `intervalMs` after each run ends — also after a run that failed for good, so it never stops.
 * The first run is due at once, on the first runDue() after registration.
 */
export function registerRecurring(jobs: Pick<JobRunner, 'register'>, kind: string, intervalMs: number, handler: JobHandler): void {
  jobs.register(kind, handler, { everyMs: intervalMs });
}
