import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Principal } from '../../contracts/auth.js';

export interface SessionsTable {
  id: string;
  token_hash: string;
  subject_kind: 'worker' | 'staff';
  subject_id: string;
  principal: Principal;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  idle_timeout_seconds: number | null;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export type SessionRow = SessionsTable;

export function createSessionsRepository(database: Db) {
  const db = database.withTables<{ sessions: SessionsTable }>();
  return {
    async insert(row: Omit<SessionRow, 'revoked_at'>): Promise<void> {
      await db
        .insertInto('sessions')
        .values({ ...row, principal: JSON.stringify(row.principal) as unknown as Principal })
        .execute();
    },
    async findByTokenHash(tokenHash: string): Promise<SessionRow | undefined> {
      return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    async touch(id: string, at: Date): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
    },
    async revoke(id: string, at: Date): Promise<void> {
      await db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },
    async revokeAllFor(kind: 'worker' | 'staff', subjectId: string, at: Date): Promise<number> {
      const r = await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('subject_kind', '=', kind)
        .where('subject_id', '=', subjectId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async deleteExpired(before: Date): Promise<number> {
      const r = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async countActive(now: Date): Promise<number> {
      const r = await sql<{ n: number }>`select count(*)::int as n from sessions where revoked_at is null and expires_at > ${now}`.execute(db);
      return r.rows[0].n;
    },
  };
}
export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
