import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { PassService } from './pass.service.js';
import type { PassScansService } from './pass.scans.service.js';

const DAY = 24 * 3600 * 1000;

export const PASS_RETENTION_JOB = 'pass.retention';
export const PASS_KEY_ROTATION_JOB = 'pass.rotate_keys';

/**
 * The pass module's durable daily work, in the jobs table (runs once across processes, survives restarts):
 * retention (scan records after 180 days, token sightings after a day) and issuer key rotation when due.
 */
export function registerPassJobs(
  jobs: Pick<JobRunner, 'register'>,
  services: { pass: Pick<PassService, 'rotateIfDue'>; passScans: Pick<PassScansService, 'purgeExpired'> },
): void {
  jobs.register(PASS_RETENTION_JOB, async () => void (await services.passScans.purgeExpired()), { everyMs: DAY });
  jobs.register(PASS_KEY_ROTATION_JOB, async () => void (await services.pass.rotateIfDue()), { everyMs: DAY });
}
