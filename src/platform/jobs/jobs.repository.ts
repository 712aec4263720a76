import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobRow {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  unique_key: string | null;
  status: JobStatus;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = sql.raw('id, kind, payload, unique_key, status, run_at, attempts, max_attempts, locked_by, locked_until, last_error, created_at, finished_at');

function toRow(r: Record<string, unknown>): JobRow {
  const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
  return {
    ...(r as unknown as JobRow),
    id: Number(r.id),
    attempts: Number(r.attempts),
    max_attempts: Number(r.max_attempts),
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : ((r.payload as Record<string, unknown>) ?? {}),
    run_at: date(r.run_at)!,
    locked_until: date(r.locked_until),
    created_at: date(r.created_at)!,
    finished_at: date(r.finished_at),
  };
}

/**
 * Every statement on `jobs`. Times are always parameters from the injected clock, never SQL now(), so
 * tests can move time and several processes agree on what "due" means.
 */
export function createJobsRepository(db: Db) {
  return {
    /** Inserts a job; with a unique key, does nothing (returns undefined) if the same kind+key is pending or running. */
    async insert(j: { kind: string; payload: Record<string, unknown>; uniqueKey: string | null; runAt: Date; maxAttempts: number; now: Date }): Promise<number | undefined> {
      const r = await sql<{ id: number }>`
        insert into jobs (kind, payload, unique_key, run_at, max_attempts, created_at)
        values (${j.kind}, ${JSON.stringify(j.payload)}::jsonb, ${j.uniqueKey}, ${j.runAt}, ${j.maxAttempts}, ${j.now})
        on conflict (kind, unique_key) where unique_key is not null and status in ('pending', 'running') do nothing
        returning id`.execute(db);
      return r.rows[0] ? Number(r.rows[0].id) : undefined;
    },

    async findActiveByKey(kind: string, uniqueKey: string): Promise<number | undefined> {
      const r = await sql<{ id: number }>`
        select id from jobs where kind = ${kind} and unique_key = ${uniqueKey} and status in ('pending', 'running')`.execute(db);
      return r.rows[0] ? Number(r.rows[0].id) : undefined;
    },

    /**
     * Claims up to `limit` due jobs for this worker: pending ones whose time has come, and running ones
     * whose lease ran out (their runner died). SKIP LOCKED lets concurrent runners claim disjoint sets.
     */
    async claim(worker: string, now: Date, leaseUntil: Date, limit: number): Promise<JobRow[]> {
      const r = await sql<Record<string, unknown>>`
        update jobs
           set status = 'running', locked_by = ${worker}, locked_until = ${leaseUntil}, attempts = attempts + 1
         where id in (
           select id from jobs
            where (status = 'pending' and run_at <= ${now})
               or (status = 'running' and locked_until < ${now} and attempts < max_attempts)
            order by run_at, id
            limit ${limit}
            for update skip locked)
        returning ${COLUMNS}`.execute(db);
      return r.rows.map(toRow).sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || a.id - b.id);
    },

    /** Running jobs whose lease expired with no attempts left (their runner died on the last try) → failed. */
    async failAbandoned(now: Date): Promise<{ id: number; kind: string }[]> {
      const r = await sql<{ id: number; kind: string }>`
        update jobs set status = 'failed', finished_at = ${now}, locked_by = null, locked_until = null,
               last_error = coalesce(last_error || ' / ', '') || 'lease expired on the last attempt'
         where status = 'running' and locked_until < ${now} and attempts >= max_attempts
        returning id, kind`.execute(db);
      return r.rows.map((x) => ({ id: Number(x.id), kind: x.kind }));
    },

    /** Marks the job done, if this claim (`locked_by`) still holds it. */
    async complete(id: number, worker: string, now: Date): Promise<boolean> {
      const r = await sql`
        update jobs set status = 'done', finished_at = ${now}, locked_by = null, locked_until = null
         where id = ${id} and status = 'running' and locked_by = ${worker}`.execute(db);
      return Number(r.numAffectedRows ?? 0) === 1;
    },

    /** Puts the job back for another attempt at `runAt`, if this claim still holds it. */
    async retry(id: number, worker: string, runAt: Date, error: string): Promise<boolean> {
      const r = await sql`
        update jobs set status = 'pending', run_at = ${runAt}, last_error = ${error}, locked_by = null, locked_until = null
         where id = ${id} and status = 'running' and locked_by = ${worker}`.execute(db);
      return Number(r.numAffectedRows ?? 0) === 1;
    },

    async fail(id: number, worker: string, now: Date, error: string): Promise<boolean> {
      const r = await sql`
        update jobs set status = 'failed', finished_at = ${now}, last_error = ${error}, locked_by = null, locked_until = null
         where id = ${id} and status = 'running' and locked_by = ${worker}`.execute(db);
      return Number(r.numAffectedRows ?? 0) === 1;
    },

    async get(id: number): Promise<JobRow | undefined> {
      const r = await sql<Record<string, unknown>>`select ${COLUMNS} from jobs where id = ${id}`.execute(db);
      return r.rows[0] ? toRow(r.rows[0]) : undefined;
    },

    async purgeDone(olderThan: Date): Promise<number> {
      const r = await sql`delete from jobs where status = 'done' and finished_at < ${olderThan}`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },
  };
}
export type JobsRepository = ReturnType<typeof createJobsRepository>;
