import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { LegalModule } from './legal.module.js';

const MINUTE = 60_000;

export const LEGAL_JOBS = {
  /** Before the answer deadline, to the lawyer, once per deadline. */
  reminders: 'legal.reminders',
  /** Past the deadline: flagged for reassignment and the operators over the area told, once per deadline. */
  escalations: 'legal.escalations',
} as const;

/** Durable sweeps (rows in `jobs`); state is in reminded_at / escalated_at, set by compare-and-set. */
export function registerLegalJobs(jobs: Pick<JobRunner, 'register'>, module: Pick<LegalModule, 'legal'>): void {
  const { legal } = module;
  jobs.register(LEGAL_JOBS.reminders, async () => void (await legal.remindDue()), { everyMs: 5 * MINUTE });
  jobs.register(LEGAL_JOBS.escalations, async () => void (await legal.escalateDue()), { everyMs: 5 * MINUTE });
}
