import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { StoryStatus } from '../../contracts/points.js';

export interface StoryRow {
  id: string;
  city_code: string;
  worker_id: string;
  area_code: string | null;
  title: string;
  story: string;
  nominated_by_kind: 'staff' | 'worker';
  nominated_by_id: string;
  nominated_by_label: string;
  status: StoryStatus;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  points: number | null;
  award_tx: string | null;
  created_at: Date;
}

type Tables = { points_stories: StoryRow };

/** 微光榜 stories (the points module's own table). */
export function createHonoursRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },
    async insert(row: StoryRow): Promise<void> {
      await on().insertInto('points_stories').values(row).execute();
    },
    async find(id: string, trx?: Db): Promise<StoryRow | undefined> {
      let q = on(trx).selectFrom('points_stories').selectAll().where('id', '=', id);
      if (trx) q = q.forUpdate();
      return q.executeTakeFirst();
    },
    async decide(id: string, patch: Pick<StoryRow, 'status' | 'decision_note' | 'decided_by' | 'decided_at' | 'points' | 'award_tx'>, trx: Db): Promise<void> {
      await on(trx).updateTable('points_stories').set(patch).where('id', '=', id).execute();
    },
    async nominationsSince(nominatorId: string, since: Date): Promise<number> {
      const r = await sql<{ n: number }>`select count(*)::int as n from points_stories where nominated_by_id = ${nominatorId} and created_at >= ${since}`.execute(database);
      return Number(r.rows[0]?.n ?? 0);
    },
    async byNominator(nominatorId: string, limit: number): Promise<StoryRow[]> {
      return on().selectFrom('points_stories').selectAll().where('nominated_by_id', '=', nominatorId).orderBy('created_at', 'desc').limit(limit).execute();
    },
    /** Stories of a city by status within an area (stories without an area: the whole city's staff). Pending: oldest first. */
    async list(cityCode: string, q: { status?: StoryStatus; areaPrefix?: string; cityWide: boolean; limit: number; offset: number }): Promise<{ rows: StoryRow[]; total: number }> {
      let base = on().selectFrom('points_stories').where('city_code', '=', cityCode);
      if (q.status) base = base.where('status', '=', q.status);
      if (!q.cityWide && q.areaPrefix) base = base.where('area_code', 'like', `${q.areaPrefix}%`);
      const ordered = q.status === 'pending' ? base.selectAll().orderBy('created_at', 'asc') : q.status === 'approved' ? base.selectAll().orderBy('decided_at', 'desc') : base.selectAll().orderBy('created_at', 'desc');
      const rows = await ordered.orderBy('id').limit(q.limit).offset(q.offset).execute();
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return { rows, total: Number(total?.n ?? 0) };
    },
  };
}
export type HonoursRepository = ReturnType<typeof createHonoursRepository>;
