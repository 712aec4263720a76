import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { PointsModule } from './points.module.js';

const HOUR = 3600 * 1000;

export const POINTS_JOBS = {
  /** Orders not picked up within the window (or past the reward's validity): expired and refunded. */
  ordersExpiry: 'points.orders_expiry',
  /** Points past the city's expiry rule: one `expire` posting per worker and month. */
  pointsExpiry: 'points.expiry',
  /** 城市合伙人 for everyone meeting the thresholds (they may have changed). */
  partners: 'points.partners',
} as const;

/**
 * The points module's durable recurring jobs (rows in `jobs`, so each runs once across processes and
 * survives restarts). Every run is idempotent: expiry postings and refunds have their own keys.
 */
export function registerPointsJobs(jobs: Pick<JobRunner, 'register'>, services: { pointsModule: Pick<PointsModule, 'rewards' | 'ledger' | 'earning'> }): void {
  const { rewards, ledger, earning } = services.pointsModule;
  jobs.register(POINTS_JOBS.ordersExpiry, async () => void (await rewards.expireOverdue()), { everyMs: HOUR });
  jobs.register(
    POINTS_JOBS.pointsExpiry,
    async () => {
      for (const city of await earning.cities()) await ledger.expireDue(city);
    },
    { everyMs: 24 * HOUR },
  );
  jobs.register(
    POINTS_JOBS.partners,
    async () => {
      for (const city of await earning.cities()) await earning.evaluatePartners(city);
    },
    { everyMs: 24 * HOUR },
  );
}
