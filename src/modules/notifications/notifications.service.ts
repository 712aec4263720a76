// STUB — the platform helper implements the in-app inbox (table notifications) and channel adapters.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { SmsSender } from '../../platform/sms/sms.js';

export interface NotifyInput {
  cityCode: string;
  recipientKind: 'worker' | 'staff';
  recipientId: string;
  /** i18n key suffix, e.g. 'verification.approved'; the apps render `notifications.<kind>` with params. */
  kind: string;
  params?: Record<string, string | number>;
  link?: string;
}

export function createNotificationsService(_deps: { db: Db; clock: Clock; jobs: JobRunner; sms: SmsSender }) {
  return {
    async notify(_input: NotifyInput): Promise<void> {},
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
