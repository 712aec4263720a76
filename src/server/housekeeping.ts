import { purgeIdempotencyKeys } from './plugins/idempotency.js';
import type { Services } from './services.js';
import { registerPointsJobs } from '../modules/points/points.jobs.js';
import { registerPassJobs } from '../modules/pass/pass.jobs.js';
import { registerReportsJobs } from '../modules/reports/reports.jobs.js';
import { registerAppealsJobs } from '../modules/appeals/appeals.jobs.js';
import { registerLegalJobs } from '../modules/legal/legal.jobs.js';

const HOUR = 3600 * 1000;

/**
 * Recurring retention jobs, kept in the jobs table so they run once across processes and survive
 * restarts: ended sessions, stored idempotent responses (kept 7 days — far longer than any retry),
 * SMS code rows (kept a day) and old inbox messages (read: 180 days; unread: a year).
 */
export function registerHousekeeping(services: Services): void {
  const { jobs, sessions, workers, notifications, db, clock } = services;
  jobs.register('housekeeping.sessions', async () => void (await sessions.purgeExpired()), { everyMs: HOUR });
  jobs.register('housekeeping.idempotency', async () => void (await purgeIdempotencyKeys(db, new Date(clock.now().getTime() - 7 * 24 * HOUR))), { everyMs: 6 * HOUR });
  jobs.register('housekeeping.sms_codes', async () => void (await workers.purgeSmsCodes()), { everyMs: 6 * HOUR });
  jobs.register('housekeeping.notifications', async () => void (await notifications.purgeOld()), { everyMs: 24 * HOUR });
  registerPassJobs(jobs, services);
  registerPointsJobs(jobs, services);
  registerReportsJobs(jobs, services.reportsModule);
  registerAppealsJobs(jobs, services.appealsModule);
  registerLegalJobs(jobs, services.legalModule);
}
