import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { AppError, invalid } from '../../shared/errors.js';
import type { Principal } from '../../contracts/auth.js';
import type { NotificationItem, NotificationPage } from '../../contracts/notifications.js';
import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { SmsSender } from '../../platform/sms/sms.js';
import { createNotificationsRepository, type NotificationRow, type Recipient } from './notifications.repository.js';
import { createSmsChannel, type NotificationChannel, type NotificationRecord, type PhoneResolver } from './notifications.channels.js';

export type { NotificationChannel, NotificationRecord, PhoneResolver } from './notifications.channels.js';

export interface NotifyInput {
  cityCode: string;
  recipientKind: 'worker' | 'staff';
  recipientId: string;
  /** i18n key suffix, e.g. 'verification.approved'; the apps render `notifications.<kind>` with params. */
  kind: string;
  params?: Record<string, string | number>;
  /** In-app path opened from the message, e.g. '/worker/reports/<id>'; relative to our own site. */
  link?: string;
  /**
   * Channels besides the inbox (always written), by name: 'sms', 'wechat'. Each is used only if it is
   * configured (SMS needs a phone resolver); otherwise it is skipped, and the inbox still has the message.
   */
  channels?: string[];
}

export interface ListOptions {
  page: number;
  pageSize: number;
  unreadOnly?: boolean;
}

const KIND = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

const toRecord = (r: NotificationRow): NotificationRecord => ({
  id: r.id,
  cityCode: r.city_code,
  recipientKind: r.recipient_kind,
  recipientId: r.recipient_id,
  kind: r.kind,
  params: r.params,
  link: r.link,
  createdAt: r.created_at,
});

const toItem = (r: NotificationRow): NotificationItem => ({
  id: r.id,
  kind: r.kind,
  params: r.params,
  link: r.link,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at ? r.read_at.toISOString() : null,
});

const recipientOf = (p: Principal): Recipient => ({ kind: p.kind, id: p.id });

/**
 * The in-app inbox, plus the seam for other channels. Other modules call notify(); the signed-in
 * recipient reads and acknowledges through the routes. Phone numbers live with the workers and staff
 * modules, which are built after this one, so they hand in a resolver with setPhoneResolver().
 */
export function createNotificationsService(deps: {
  db: Db;
  clock: Clock;
  jobs: JobRunner;
  sms: SmsSender;
  resolvePhone?: PhoneResolver;
  channels?: NotificationChannel[];
}) {
  const repo = createNotificationsRepository(deps.db);
  const load = async (id: string) => {
    const row = await repo.get(id);
    return row && toRecord(row);
  };
  const channels = new Map<string, NotificationChannel>();
  const useChannel = (c: NotificationChannel) => void channels.set(c.name, c);
  const setPhoneResolver = (resolvePhone: PhoneResolver) => useChannel(createSmsChannel({ jobs: deps.jobs, sms: deps.sms, resolvePhone, load }));
  if (deps.resolvePhone) setPhoneResolver(deps.resolvePhone);
  for (const c of deps.channels ?? []) useChannel(c);

  const service = {
    /** Inbox retention (housekeeping job): read messages go after 180 days, unread ones after a year. */
    async purgeOld(): Promise<number> {
      const now = deps.clock.now().getTime();
      const day = 24 * 3600 * 1000;
      return repo.purge(new Date(now - 180 * day), new Date(now - 365 * day));
    },

    /** Writes the message to the recipient's inbox and hands it to the requested channels; returns its id. */
    async notify(input: NotifyInput): Promise<string> {
      if (!KIND.test(input.kind) || input.kind.length > 80) throw invalid('kind', 'must be a dotted lower-case key');
      if (input.link !== undefined && (!input.link.startsWith('/') || input.link.startsWith('//') || input.link.length > 500)) {
        throw invalid('link', 'must be a path on this site, starting with /');
      }
      const row: Omit<NotificationRow, 'read_at'> = {
        id: newId(),
        city_code: input.cityCode,
        recipient_kind: input.recipientKind,
        recipient_id: input.recipientId,
        kind: input.kind,
        params: input.params ?? {},
        link: input.link ?? null,
        created_at: deps.clock.now(),
      };
      await repo.insert(row);
      const record = toRecord({ ...row, read_at: null });
      for (const name of new Set(input.channels ?? [])) {
        await channels.get(name)?.deliver(record);
      }
      return row.id;
    },

    /**
     * Best effort, for messages that follow a committed decision and must never undo it: each is sent
     * on its own, and a failure is logged under `source`, not thrown.
     */
    async notifyAll(items: readonly NotifyInput[], source: string): Promise<void> {
      for (const n of items) {
        try {
          await service.notify(n);
        } catch (e) {
          console.error(`[${source}] notify ${n.kind}`, e);
        }
      }
    },

    /** The principal's own messages, newest first, with their total and unread counts. */
    async list(principal: Principal, o: ListOptions): Promise<NotificationPage> {
      const to = recipientOf(principal);
      const pageSize = Math.min(Math.max(1, o.pageSize), 100);
      const page = Math.max(1, o.page);
      const [rows, counts] = await Promise.all([
        repo.listFor(to, { limit: pageSize, offset: (page - 1) * pageSize, unreadOnly: !!o.unreadOnly }),
        repo.countFor(to),
      ]);
      return { items: rows.map(toItem), total: o.unreadOnly ? counts.unread : counts.total, unread: counts.unread, page, pageSize };
    },

    async unreadCount(principal: Principal): Promise<number> {
      return (await repo.countFor(recipientOf(principal))).unread;
    },

    /** Someone else's message is "not found", never "forbidden": ids of other people's messages do not leak. */
    async markRead(principal: Principal, id: string): Promise<void> {
      if (!(await repo.markRead(recipientOf(principal), id, deps.clock.now()))) {
        throw new AppError('notifications.not_found', 'No such notification');
      }
    },

    async markAllRead(principal: Principal): Promise<number> {
      return repo.markAllRead(recipientOf(principal), deps.clock.now());
    },

    /** One message as channels see it; channel job handlers load it by id (pass as `load`). */
    record: load,
    /** Adds (or replaces, by name) a delivery channel, e.g. createWeChatChannel({ ..., load: notifications.record }). */
    useChannel,
    /** Turns on the SMS channel; the workers/staff services provide the phone lookup. */
    setPhoneResolver,
  };
  return service;
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
