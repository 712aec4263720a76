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
  /** 专项治理: each open campaign's owner, its remind_working_days working days before the deadline, once. */
  campaignReminders: 'reports.campaign_reminders',
  /** 专项治理 督办: an open campaign past its deadline goes to its owner and the operators over its area, once. */
  campaignEscalations: 'reports.campaign_escalations',
  /** Public copies of photos acknowledged before they were made (processed_at is null). */
  photosPublish: 'reports.photos_publish',
  /** Photos uploaded but never attached to a report, after 24 hours. */
  photosPurge: 'reports.photos_purge',
  /** A points award that failed right after a report was closed (one-off, retried with backoff). */
  points: REPORTS_POINTS_JOB,
} as const;

/**
 * Durable jobs (rows in `jobs`: each runs once across processes and survives a restart). The sweeps
 * read the state from the tables (the orders' and campaigns' reminded_at and escalated_at, the triage events), so a missed run
 * is caught up by the next one and no run repeats a message.
 */
export function registerReportsJobs(jobs: Pick<JobRunner, 'register'>, module: Pick<ReportsModule, 'workflow' | 'reports' | 'campaigns'>): void {
  const { workflow, reports, campaigns } = module;
  jobs.register(REPORTS_JOBS.triage, async () => void (await workflow.triagePending()), { everyMs: MINUTE });
  jobs.register(REPORTS_JOBS.reminders, async () => void (await workflow.remindDue()), { everyMs: 5 * MINUTE });
  jobs.register(REPORTS_JOBS.escalations, async () => void (await workflow.escalateDue()), { everyMs: 5 * MINUTE });
  // campaign deadlines are days, so a quarter-hour sweep is plenty
  jobs.register(REPORTS_JOBS.campaignReminders, async () => void (await campaigns.remindDue()), { everyMs: 15 * MINUTE });
  jobs.register(REPORTS_JOBS.campaignEscalations, async () => void (await campaigns.escalateDue()), { everyMs: 15 * MINUTE });
  jobs.register(REPORTS_JOBS.photosPublish, async () => void (await reports.publishPendingPhotos(50, { yieldToUploads: true })), { everyMs: 5_000 });
  jobs.register(REPORTS_JOBS.photosPurge, async () => void (await reports.purgeUnattachedPhotos()), { everyMs: 60 * MINUTE });
  jobs.register(REPORTS_JOBS.points, async (payload) => {
    await workflow.awardPointsNow(String(payload.reportId), payload.kind === 'duplicate' ? 'duplicate' : 'valid');
  });
}
