import type { Db } from '../../db/database.js';
import type { SponsorKind } from '../../contracts/points.js';

export interface SponsorRow {
  id: string;
  city_code: string;
  area_code: string;
  name: string;
  kind: SponsorKind;
  contact_name_enc: string;
  contact_phone_enc: string;
  place_id: string | null;
  created_at: Date;
  created_by: string | null;
}

type Tables = { points_sponsors: SponsorRow };

/** Sponsors (the points module's own table); their budgets are ledger accounts of kind 'sponsor'. */
export function createSponsorsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  return {
    async insert(row: SponsorRow): Promise<void> {
      await on().insertInto('points_sponsors').values(row).execute();
    },
    async find(id: string): Promise<SponsorRow | undefined> {
      return on().selectFrom('points_sponsors').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async findByName(cityCode: string, name: string): Promise<SponsorRow | undefined> {
      return on().selectFrom('points_sponsors').selectAll().where('city_code', '=', cityCode).where('name', '=', name).executeTakeFirst();
    },
    async list(cityCode: string): Promise<SponsorRow[]> {
      return on().selectFrom('points_sponsors').selectAll().where('city_code', '=', cityCode).orderBy('created_at').orderBy('id').execute();
    },
    async many(cityCode: string, ids: string[]): Promise<SponsorRow[]> {
      if (!ids.length) return [];
      return on().selectFrom('points_sponsors').selectAll().where('city_code', '=', cityCode).where('id', 'in', ids).execute();
    },
    async all(trx: Db): Promise<SponsorRow[]> {
      return on(trx).selectFrom('points_sponsors').selectAll().forUpdate().execute();
    },
    async setContact(id: string, patch: Pick<SponsorRow, 'contact_name_enc' | 'contact_phone_enc'>, trx: Db): Promise<void> {
      await on(trx).updateTable('points_sponsors').set(patch).where('id', '=', id).execute();
    },
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },
  };
}
export type SponsorsRepository = ReturnType<typeof createSponsorsRepository>;
