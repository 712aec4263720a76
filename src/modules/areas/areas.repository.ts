import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export interface AreasTable {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  city_code: string;
}
export type AreaRow = AreasTable;

export function createAreasRepository(database: Db) {
  const db = database.withTables<{ areas: AreasTable }>();
  return {
    async insertMany(rows: AreaRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500) {
        await db.insertInto('areas').values(rows.slice(i, i + 500)).onConflict((oc) => oc.column('code').doNothing()).execute();
      }
    },
    async count(cityCode: string): Promise<number> {
      const r = await db.selectFrom('areas').select((eb) => eb.fn.countAll<number>().as('n')).where('city_code', '=', cityCode).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async get(code: string): Promise<AreaRow | undefined> {
      return db.selectFrom('areas').selectAll().where('code', '=', code).executeTakeFirst();
    },
    async getMany(codes: string[]): Promise<AreaRow[]> {
      if (codes.length === 0) return [];
      return db.selectFrom('areas').selectAll().where('code', 'in', codes).execute();
    },
    async children(parentCode: string): Promise<AreaRow[]> {
      return db.selectFrom('areas').selectAll().where('parent_code', '=', parentCode).orderBy('code').execute();
    },
    async search(cityCode: string, text: string, limit: number): Promise<AreaRow[]> {
      return db
        .selectFrom('areas')
        .selectAll()
        .where('city_code', '=', cityCode)
        .where('name', 'like', `%${text.replace(/[%_\\]/g, '\\$&')}%`)
        .orderBy('level')
        .orderBy(sql`similarity(name, ${text})`, 'desc')
        .limit(limit)
        .execute();
    },
  };
}
export type AreasRepository = ReturnType<typeof createAreasRepository>;
