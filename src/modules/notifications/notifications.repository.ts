import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export interface NotificationsTable {
  id: string;
  city_code: string;
  recipient_kind: 'worker' | 'staff';
  recipient_id: string;
  kind: string;
  params: Record<string, string | number> | string;
  link: string | null;
  created_at: Date | string;
  read_at: Date | string | null;
}

export interface NotificationRow {
  id: string;
  city_code: string;
  recipient_kind: 'worker' | 'staff';
  recipient_id: string;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

export interface Recipient {
  kind: 'worker' | 'staff';
  id: string;
}

const COLUMNS = ['id', 'city_code', 'recipient_kind', 'recipient_id', 'kind', 'params', 'link', 'created_at', 'read_at'] as const;

function toRow(r: NotificationsTable): NotificationRow {
  return {
    ...r,
    params: typeof r.params === 'string' ? JSON.parse(r.params) : (r.params ?? {}),
    created_at: new Date(r.created_at),
    read_at: r.read_at == null ? null : new Date(r.read_at),
  };
}

export function createNotificationsRepository(database: Db) {
  const db = database.withTables<{ notifications: NotificationsTable }>();
  return {
    /** Retention: read messages older than `readBefore`, and any message older than `anyBefore`. */
    async purge(readBefore: Date, anyBefore: Date): Promise<number> {
      const r = await db
        .deleteFrom('notifications')
        .where((eb) => eb.or([eb.and([eb('read_at', 'is not', null), eb('created_at', '<', readBefore)]), eb('created_at', '<', anyBefore)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async insert(row: Omit<NotificationRow, 'read_at'>): Promise<void> {
      await db
        .insertInto('notifications')
        .values({ ...row, params: JSON.stringify(row.params), read_at: null })
        .execute();
    },

    async get(id: string): Promise<NotificationRow | undefined> {
      const r = await db.selectFrom('notifications').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return r && toRow(r);
    },

    async listFor(to: Recipient, o: { limit: number; offset: number; unreadOnly: boolean }): Promise<NotificationRow[]> {
      let q = db
        .selectFrom('notifications')
        .select(COLUMNS)
        .where('recipient_kind', '=', to.kind)
        .where('recipient_id', '=', to.id);
      if (o.unreadOnly) q = q.where('read_at', 'is', null);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(o.limit).offset(o.offset).execute();
      return rows.map(toRow);
    },

    async countFor(to: Recipient): Promise<{ total: number; unread: number }> {
      const r = await sql<{ total: number; unread: number }>`
        select count(*)::int as total, (count(*) filter (where read_at is null))::int as unread
          from notifications where recipient_kind = ${to.kind} and recipient_id = ${to.id}`.execute(db);
      return { total: Number(r.rows[0].total), unread: Number(r.rows[0].unread) };
    },

    /** Marks one of the recipient's messages read (keeping the first read time); false if it is not theirs. */
    async markRead(to: Recipient, id: string, now: Date): Promise<boolean> {
      const r = await sql<{ id: string }>`
        update notifications set read_at = coalesce(read_at, ${now})
         where id = ${id} and recipient_kind = ${to.kind} and recipient_id = ${to.id}
        returning id`.execute(db);
      return r.rows.length === 1;
    },

    async markAllRead(to: Recipient, now: Date): Promise<number> {
      const r = await db
        .updateTable('notifications')
        .set({ read_at: now })
        .where('recipient_kind', '=', to.kind)
        .where('recipient_id', '=', to.id)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
