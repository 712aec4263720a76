import type { Db } from '../../db/database.js';

export interface AuditLogTable {
  id: import('kysely').Generated<number>;
  city_code: string;
  at: import('kysely').Generated<Date>;
  actor_kind: 'staff' | 'worker' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  outcome: 'success' | 'denied' | 'failure';
  ip: string | null;
  request_id: string | null;
  detail: unknown;
}

export interface AuditQuery {
  cityCode: string;
  actorId?: string;
  action?: string;
  targetKind?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export function createAuditRepository(database: Db) {
  const db = database.withTables<{ audit_log: AuditLogTable }>();
  return {
    async insert(row: Omit<AuditLogTable, 'id' | 'at'> & { at?: Date }): Promise<void> {
      await db.insertInto('audit_log').values({ ...row, detail: JSON.stringify(row.detail ?? {}) }).execute();
    },
    async list(q: AuditQuery) {
      let query = db.selectFrom('audit_log').where('city_code', '=', q.cityCode);
      if (q.actorId) query = query.where('actor_id', '=', q.actorId);
      if (q.action) query = query.where('action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`);
      if (q.targetKind) query = query.where('target_kind', '=', q.targetKind);
      if (q.targetId) query = query.where('target_id', '=', q.targetId);
      if (q.from) query = query.where('at', '>=', q.from);
      if (q.to) query = query.where('at', '<', q.to);
      const [items, total] = await Promise.all([
        query
          .select(['id', 'at', 'actor_kind', 'actor_id', 'actor_label', 'action', 'target_kind', 'target_id', 'outcome', 'ip', 'request_id', 'detail'])
          .orderBy('id', 'desc')
          .limit(q.limit)
          .offset(q.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: Number(total.n) };
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
