import { sql, type ColumnType, type Generated, type GeneratedAlways, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Access, Gate, PlaceDetails, PlaceStatus } from '../../contracts/places.js';

/** jsonb: read as the value, written as JSON text (pg would turn a JS array into a Postgres array). */
type Json<T> = ColumnType<T, string, string>;

export interface PlacesTable {
  // bigint identity; pg parses int8 as a JS number (src/db/database.ts)
  id: GeneratedAlways<number>;
  city_code: string;
  area_code: string;
  type: string;
  name: string;
  address: string;
  lon: number;
  lat: number;
  phone: string | null;
  hours: string | null;
  services: string[];
  description: string | null;
  access: ColumnType<Access | null, string | null, string | null>;
  gates: Json<Gate[]>;
  details: Json<PlaceDetails>;
  status: PlaceStatus;
  certified: Generated<boolean>;
  listed: GeneratedAlways<boolean>;
  score: number | null;
  score_count: Generated<number>;
  version: Generated<number>;
  change_seq: GeneratedAlways<number>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface PlaceStatusHistoryTable {
  id: GeneratedAlways<number>;
  place_id: number;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  at: Date;
}

export interface PlacePhotosTable {
  id: string;
  place_id: number;
  public_key: string;
  original_key: string;
  position: number;
  created_at: Date;
}

export interface PlaceRatingsTable {
  id: string;
  place_id: number;
  city_code: string;
  worker_id: string;
  // Shanghai calendar day, written as 'YYYY-MM-DD'
  day: ColumnType<Date | string, string, string>;
  entry_minutes: string;
  let_in: boolean;
  parking: string;
  created_at: Date;
}

type Tables = {
  places: PlacesTable;
  place_status_history: PlaceStatusHistoryTable;
  place_photos: PlacePhotosTable;
  place_ratings: PlaceRatingsTable;
};

export type PlaceRow = Selectable<PlacesTable>;
export type NewPlaceRow = Insertable<PlacesTable>;
export type HistoryRow = Selectable<PlaceStatusHistoryTable>;
export type NewHistoryRow = Insertable<PlaceStatusHistoryTable>;
export type PhotoRow = Selectable<PlacePhotosTable>;
export type RatingRow = Selectable<PlaceRatingsTable>;
export type NewRatingRow = Insertable<PlaceRatingsTable>;

/** The editable columns a staff write sets (create, update, import). */
export type PlaceFields = Pick<
  NewPlaceRow,
  'type' | 'name' | 'area_code' | 'address' | 'lon' | 'lat' | 'phone' | 'hours' | 'services' | 'description' | 'access' | 'gates' | 'details'
>;

export interface PlaceFilter {
  cityCode: string;
  /** Area prefix the rows must lie within (the caller's scope or a narrower filter). */
  areaPrefix: string;
  q?: string;
  type?: string;
  status?: string;
}

/** An area scope as a code prefix (GB/T 2260 codes nest by prefix). */
const prefixPattern = (code: string) => `${code.replace(/[%_\\]/g, '\\$&')}%`;
const containsPattern = (text: string) => `%${text.replace(/[%_\\]/g, '\\$&')}%`;

const placeColumns = [
  'id', 'city_code', 'area_code', 'type', 'name', 'address', 'lon', 'lat', 'phone', 'hours', 'services', 'description',
  'access', 'gates', 'details', 'status', 'certified', 'listed', 'score', 'score_count', 'version', 'change_seq',
  'created_by', 'created_at', 'updated_at',
] as const;

/** Rows per INSERT statement: ~20 parameters a row stays far below PostgreSQL's 65,535. */
const INSERT_CHUNK = 1000;

/**
 * Every SQL statement on the places module's tables. Methods that take part in a transaction accept it
 * as their last argument; without it they run on the shared handle.
 */
export function createPlacesRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  function filtered(f: PlaceFilter, trx?: Db) {
    let q = on(trx).selectFrom('places').where('city_code', '=', f.cityCode).where('area_code', 'like', prefixPattern(f.areaPrefix));
    if (f.type) q = q.where('type', '=', f.type);
    if (f.status) q = q.where('status', '=', f.status as PlaceStatus);
    if (f.q) {
      const pattern = containsPattern(f.q);
      q = q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('address', 'ilike', pattern)]));
    }
    return q;
  }

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    // ---- places ----

    /** Inserts places (chunked multi-row INSERTs); returns their ids in input order. */
    async insertPlaces(rows: NewPlaceRow[], trx?: Db): Promise<number[]> {
      const ids: number[] = [];
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const inserted = await on(trx).insertInto('places').values(rows.slice(i, i + INSERT_CHUNK)).returning('id').execute();
        for (const r of inserted) ids.push(r.id);
      }
      return ids;
    },

    async findPlace(id: number, trx?: Db, opts: { forUpdate?: boolean } = {}): Promise<PlaceRow | undefined> {
      let q = on(trx).selectFrom('places').select(placeColumns).where('id', '=', id);
      if (opts.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    async updatePlace(id: number, set: Partial<PlaceFields> & { status?: PlaceStatus; version: number; updated_at: Date }, trx?: Db): Promise<void> {
      await on(trx).updateTable('places').set(set).where('id', '=', id).execute();
    },

    async setCertified(id: number, certified: boolean, trx?: Db): Promise<boolean> {
      const r = await on(trx).updateTable('places').set({ certified }).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async setScore(id: number, score: number | null, count: number, trx?: Db): Promise<void> {
      await on(trx).updateTable('places').set({ score, score_count: count }).where('id', '=', id).execute();
    },

    async listPlaces(f: PlaceFilter & { limit: number; offset: number }): Promise<{ rows: PlaceRow[]; total: number }> {
      const q = filtered(f);
      const [rows, total] = await Promise.all([
        q.select(placeColumns).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    /** Every matching row, for export (oldest first, so an export of the same data is stable). */
    async allPlaces(f: PlaceFilter, max: number): Promise<PlaceRow[]> {
      return filtered(f).select(placeColumns).orderBy('id').limit(max).execute();
    },

    /** Places that an imported row could duplicate: same names, not closed, anywhere in the city. */
    async placesNamed(cityCode: string, names: string[]): Promise<Pick<PlaceRow, 'id' | 'type' | 'name' | 'lon' | 'lat'>[]> {
      const out: Pick<PlaceRow, 'id' | 'type' | 'name' | 'lon' | 'lat'>[] = [];
      const unique = [...new Set(names)];
      for (let i = 0; i < unique.length; i += 5000) {
        const rows = await on()
          .selectFrom('places')
          .select(['id', 'type', 'name', 'lon', 'lat'])
          .where('city_code', '=', cityCode)
          .where('name', 'in', unique.slice(i, i + 5000))
          .where('status', '<>', 'closed')
          .execute();
        out.push(...rows);
      }
      return out;
    },

    /** Active compounds inside an area, for the service circle. */
    async activeCompounds(cityCode: string, areaPrefix: string): Promise<Pick<PlaceRow, 'id' | 'name' | 'lon' | 'lat' | 'area_code'>[]> {
      return on()
        .selectFrom('places')
        .select(['id', 'name', 'lon', 'lat', 'area_code'])
        .where('city_code', '=', cityCode)
        .where('area_code', 'like', prefixPattern(areaPrefix))
        .where('type', '=', 'compound')
        .where('status', '=', 'active')
        .orderBy('id')
        .execute();
    },

    async countPlaces(cityCode: string): Promise<number> {
      const r = await on().selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).where('city_code', '=', cityCode).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async idsOfType(cityCode: string, type: string, limit: number): Promise<number[]> {
      const rows = await on().selectFrom('places').select('id').where('city_code', '=', cityCode).where('type', '=', type).orderBy('id').limit(limit).execute();
      return rows.map((r) => r.id);
    },

    /** Rated places of an area with at least `minCount` recent ratings, lowest score first. */
    async worstRated(f: { cityCode: string; areaPrefix: string; minCount: number; limit: number }): Promise<PlaceRow[]> {
      return on()
        .selectFrom('places')
        .select(placeColumns)
        .where('city_code', '=', f.cityCode)
        .where('area_code', 'like', prefixPattern(f.areaPrefix))
        .where('score', 'is not', null)
        .where('score_count', '>=', f.minCount)
        .where('status', '=', 'active')
        .orderBy('score')
        .orderBy('score_count', 'desc')
        .orderBy('id')
        .limit(f.limit)
        .execute();
    },

    // ---- status history ----

    async insertHistory(rows: NewHistoryRow[], trx?: Db): Promise<void> {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await on(trx).insertInto('place_status_history').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      }
    },

    async history(placeId: number): Promise<HistoryRow[]> {
      return on()
        .selectFrom('place_status_history')
        .select(['id', 'place_id', 'from_status', 'to_status', 'reason', 'actor_kind', 'actor_id', 'actor_name', 'at'])
        .where('place_id', '=', placeId)
        .orderBy('at')
        .orderBy('id')
        .execute();
    },

    // ---- photos ----

    async photosOf(placeIds: number[]): Promise<PhotoRow[]> {
      if (placeIds.length === 0) return [];
      return on()
        .selectFrom('place_photos')
        .select(['id', 'place_id', 'public_key', 'original_key', 'position', 'created_at'])
        .where('place_id', 'in', placeIds)
        .orderBy('place_id')
        .orderBy('position')
        .orderBy('created_at')
        .execute();
    },

    async photoCount(placeId: number, trx?: Db): Promise<{ count: number; nextPosition: number }> {
      const r = await on(trx)
        .selectFrom('place_photos')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')])
        .where('place_id', '=', placeId)
        .executeTakeFirstOrThrow();
      return { count: Number(r.n), nextPosition: r.last === null ? 0 : Number(r.last) + 1 };
    },

    async insertPhoto(row: PhotoRow, trx?: Db): Promise<void> {
      await on(trx).insertInto('place_photos').values(row).execute();
    },

    /** A photo with whether its place is listed (public) and where it belongs (staff scope). */
    async findPhoto(id: string): Promise<(PhotoRow & { listed: boolean; city_code: string; area_code: string }) | undefined> {
      return on()
        .selectFrom('place_photos')
        .innerJoin('places', 'places.id', 'place_photos.place_id')
        .select([
          'place_photos.id', 'place_photos.place_id', 'place_photos.public_key', 'place_photos.original_key', 'place_photos.position',
          'place_photos.created_at', 'places.listed', 'places.city_code', 'places.area_code',
        ])
        .where('place_photos.id', '=', id)
        .executeTakeFirst();
    },

    async deletePhoto(id: string, trx?: Db): Promise<void> {
      await on(trx).deleteFrom('place_photos').where('id', '=', id).execute();
    },

    // ---- ratings ----

    /** One rating per worker, place and day: a second one the same day replaces the first. */
    async upsertRating(row: NewRatingRow, trx?: Db): Promise<void> {
      await on(trx)
        .insertInto('place_ratings')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['place_id', 'worker_id', 'day']).doUpdateSet({
            entry_minutes: row.entry_minutes,
            let_in: row.let_in,
            parking: row.parking,
            created_at: row.created_at,
          }),
        )
        .execute();
    },

    async insertRatings(rows: NewRatingRow[], trx?: Db): Promise<void> {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await on(trx).insertInto('place_ratings').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      }
    },

    async ratingsSince(placeIds: number[], since: Date, trx?: Db): Promise<Pick<RatingRow, 'place_id' | 'entry_minutes' | 'let_in' | 'parking'>[]> {
      if (placeIds.length === 0) return [];
      return on(trx)
        .selectFrom('place_ratings')
        .select(['place_id', 'entry_minutes', 'let_in', 'parking'])
        .where('place_id', 'in', placeIds)
        .where('created_at', '>=', since)
        .execute();
    },

    /** Serialises writers of one place's score until the transaction ends. */
    async lockPlace(id: number, trx: Db): Promise<void> {
      await sql`select pg_advisory_xact_lock(hashtext(${`places:${id}`}))`.execute(trx);
    },
  };
}
export type PlacesRepository = ReturnType<typeof createPlacesRepository>;
