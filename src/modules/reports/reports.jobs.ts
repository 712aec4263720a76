import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { ReportsModule } from './reports.module.js';
import { REPORTS_POINTS_JOB } from './workflow.service.js';

const MINUTE = 60_000;

export const REPORTS_JOBS = {
  /** Reports the submit hook never triaged (a crash between commit and hook, an error in it). */
  triage: 'reports.triage_sweep',
  /** REPORT_DEFAULTS.reminderHoursBefore before a work order's deadline, once per deadline. */
  reminders: 'reports.reminders',
  /** 督办: running orders past their deadline go to the operators over the area, once. */
  escalations: 'reports.escalations',
  /** Photos uploaded but never attached to a report, after 24 hours. */
  photosPurge: 'reports.photos_purge',
  /** A points award that failed right after a report was closed (one-off, retried with backoff). */
  points: REPORTS_POINTS_JOB,
} as const;

/**
 * Durable jobs (rows in `jobs`: each runs once across processes and survives a restart). The sweeps
 * read the state from the tables (reminded_at, escalated_at, the triage events), so a missed run
 * is caught up by the next one and no run repeats a message.
 */
export function registerReportsJobs(jobs: Pick<JobRunner, 'register'>, module: Pick<ReportsModule, 'workflow' | 'reports'>): void {
  const { workflow, reports } = module;
  jobs.register(REPORTS_JOBS.triage, async () => void (await workflow.triagePending()), { everyMs: MINUTE });
  jobs.register(REPORTS_JOBS.reminders, async () => void (await workflow.remindDue()), { everyMs: 5 * MINUTE });
  jobs.register(REPORTS_JOBS.escalations, async () => void (await workflow.escalateDue()), { everyMs: 5 * MINUTE });
  jobs.register(REPORTS_JOBS.photosPurge, async () => void (await reports.purgeUnattachedPhotos()), { everyMs: 60 * MINUTE });
  jobs.register(REPORTS_JOBS.points, async (payload) => {
    await workflow.awardPointsNow(String(payload.reportId), payload.kind === 'duplicate' ? 'duplicate' : 'valid');
  });
}
