// STUB — to be replaced by the platform helper: durable job runner over the `jobs` table.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';

export type JobHandler = (payload: Record<string, unknown>, job: { id: number; attempts: number }) => Promise<void>;

export interface EnqueueOptions {
  runAt?: Date;
  uniqueKey?: string;
  maxAttempts?: number;
}

export function createJobRunner(_deps: { db: Db; clock: Clock; pollMs: number; logger?: { error: (...a: unknown[]) => void; info: (...a: unknown[]) => void } }) {
  const handlers = new Map<string, JobHandler>();
  return {
    register(kind: string, handler: JobHandler) {
      handlers.set(kind, handler);
    },
    async enqueue(_kind: string, _payload: Record<string, unknown> = {}, _opts: EnqueueOptions = {}): Promise<number | undefined> {
      return undefined;
    },
    /** Runs every due job once; returns how many ran. Used by the poll loop and by tests. */
    async runDue(): Promise<number> {
      return 0;
    },
    start() {},
    async stop() {},
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;
