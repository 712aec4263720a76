import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { AppealsModule } from './appeals.module.js';

const MINUTE = 60_000;

export const APPEALS_JOBS = {
  /** Before the acknowledge (签收) and resolve deadlines, to the assignees, once per deadline. */
  reminders: 'appeals.reminders',
  /** 督办: past a deadline, to the operators over the appeal's area (and the assignees), once per deadline. */
  escalations: 'appeals.escalations',
  /** Hotline callers who have since signed in: their appeals join the worker's list. */
  linkCallers: 'appeals.link_callers',
} as const;

/**
 * Durable sweeps (rows in `jobs`): the state is in the appeals' *_reminded_at / *_escalated_at columns,
 * set with a compare-and-set, so a missed run is caught up and no message is sent twice.
 */
export function registerAppealsJobs(jobs: Pick<JobRunner, 'register'>, module: Pick<AppealsModule, 'appeals'>): void {
  const { appeals } = module;
  jobs.register(APPEALS_JOBS.reminders, async () => void (await appeals.remindDue()), { everyMs: 5 * MINUTE });
  jobs.register(APPEALS_JOBS.escalations, async () => void (await appeals.escalateDue()), { everyMs: 5 * MINUTE });
  jobs.register(APPEALS_JOBS.linkCallers, async () => void (await appeals.linkCallers()), { everyMs: MINUTE });
}
