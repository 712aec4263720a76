import { sql, type ColumnType, type Generated, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { MerchantEventKind, MerchantState } from '../../contracts/merchants.js';

/** place_id is bigint: read back as a number (see database.ts), written as the id's string. */
type PlaceId = ColumnType<number | string, string, string>;

export interface MerchantCertificationsTable {
  id: string;
  city_code: string;
  area_code: string;
  place_id: PlaceId;
  uscc: string;
  legal_name: string;
  contact_name_enc: string;
  contact_phone_enc: string;
  state: MerchantState;
  applied_at: Date;
  reviewed_at: Date | null;
  certified_at: Date | null;
  suspended_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  created_by: string | null;
}

export interface MerchantEventsTable {
  id: string;
  seq: Generated<number>;
  certification_id: string;
  city_code: string;
  kind: MerchantEventKind;
  note: string | null;
  automatic: Generated<boolean>;
  actor_id: string | null;
  actor_name: string;
  at: Date;
}

type Tables = { merchant_certifications: MerchantCertificationsTable; merchant_events: MerchantEventsTable };

export type CertificationRow = Omit<Selectable<MerchantCertificationsTable>, 'place_id'> & { place_id: string };
export type NewCertificationRow = Omit<CertificationRow, 'place_id'> & { place_id: string };
export type CertificationWithCounts = CertificationRow & { warnings: number; complaints: number };
export type EventRow = Selectable<MerchantEventsTable>;
export type NewEventRow = Omit<EventRow, 'seq' | 'automatic'> & { automatic?: boolean };

export interface CertificationListFilter {
  cityCode: string;
  areaPrefix: string;
  state?: MerchantState;
  q?: string;
  /** Places whose name matched `q`: their records match too. */
  placeIds?: string[];
  /** Warnings count from here (and after the latest reinstatement). */
  warningsSince: Date;
  limit: number;
  offset: number;
}

const columns = [
  'merchant_certifications.id', 'merchant_certifications.city_code', 'merchant_certifications.area_code', 'merchant_certifications.place_id',
  'merchant_certifications.uscc', 'merchant_certifications.legal_name', 'merchant_certifications.contact_name_enc',
  'merchant_certifications.contact_phone_enc', 'merchant_certifications.state', 'merchant_certifications.applied_at',
  'merchant_certifications.reviewed_at', 'merchant_certifications.certified_at', 'merchant_certifications.suspended_at',
  'merchant_certifications.closed_at', 'merchant_certifications.updated_at', 'merchant_certifications.created_by',
] as const;

const prefixPattern = (code: string) => `${code.replace(/[%_\\]/g, '\\$&')}%`;
const likePattern = (text: string) => `%${text.replace(/[%_\\]/g, '\\$&')}%`;
const withPlaceId = <T extends { place_id: number | string }>(r: T): T & { place_id: string } => ({ ...r, place_id: String(r.place_id) });

/**
 * Warnings that count towards suspension: within the window, and after the latest reinstatement
 * (a reinstated merchant starts afresh).
 */
const countedWarnings = (since: Date) => sql<number>`(
  select count(*)::int from merchant_events w
   where w.certification_id = merchant_certifications.id and w.kind = 'warning' and w.at >= ${since}
     and w.seq > coalesce((select max(r.seq) from merchant_events r where r.certification_id = merchant_certifications.id and r.kind = 'reinstated'), 0))`;
const complaintCount = sql<number>`(
  select count(*)::int from merchant_events c where c.certification_id = merchant_certifications.id and c.kind = 'complaint')`;

/** Every SQL statement on the merchants module's tables. */
export function createMerchantsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    /** Every encrypted contact (npm run pii:rotate). */
    async listContacts(trx: Db): Promise<{ id: string; contact_name_enc: string; contact_phone_enc: string }[]> {
      return on(trx).selectFrom('merchant_certifications').select(['id', 'contact_name_enc', 'contact_phone_enc']).orderBy('id').execute();
    },

    async setContact(id: string, c: { contact_name_enc: string; contact_phone_enc: string }, trx: Db): Promise<void> {
      await on(trx).updateTable('merchant_certifications').set(c).where('id', '=', id).execute();
    },

    async insertCertification(row: NewCertificationRow, trx?: Db): Promise<void> {
      await on(trx).insertInto('merchant_certifications').values(row).execute();
    },

    async insertEvents(rows: NewEventRow[], trx?: Db): Promise<void> {
      if (rows.length) await on(trx).insertInto('merchant_events').values(rows).execute();
    },

    async findCertification(id: string, trx?: Db, opts: { forUpdate?: boolean } = {}): Promise<CertificationRow | undefined> {
      let q = on(trx).selectFrom('merchant_certifications').select(columns).where('id', '=', id);
      if (opts.forUpdate) q = q.forUpdate();
      const r = await q.executeTakeFirst();
      return r && withPlaceId(r);
    },

    async withCounts(id: string, warningsSince: Date, trx?: Db): Promise<CertificationWithCounts | undefined> {
      const r = await on(trx)
        .selectFrom('merchant_certifications')
        .select(columns)
        .select([countedWarnings(warningsSince).as('warnings'), complaintCount.as('complaints')])
        .where('id', '=', id)
        .executeTakeFirst();
      return r && withPlaceId(r);
    },

    /** The open (not rejected, not exited) record for a code or a place, if any. */
    async findOpen(f: { cityCode: string; uscc?: string; placeId?: string }, trx?: Db): Promise<CertificationRow | undefined> {
      let q = on(trx)
        .selectFrom('merchant_certifications')
        .select(columns)
        .where('city_code', '=', f.cityCode)
        .where('state', 'not in', ['rejected', 'exited']);
      if (f.uscc) q = q.where('uscc', '=', f.uscc);
      if (f.placeId) q = q.where('place_id', '=', f.placeId);
      const r = await q.executeTakeFirst();
      return r && withPlaceId(r);
    },

    async updateCertification(
      id: string,
      set: Partial<Pick<CertificationRow, 'state' | 'reviewed_at' | 'certified_at' | 'suspended_at' | 'closed_at'>> & { updated_at: Date },
      trx?: Db,
    ): Promise<void> {
      await on(trx).updateTable('merchant_certifications').set(set).where('id', '=', id).execute();
    },

    async countWarnings(id: string, since: Date, trx?: Db): Promise<number> {
      const r = await on(trx)
        .selectFrom('merchant_certifications')
        .select(countedWarnings(since).as('n'))
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return r.n;
    },

    async events(certificationId: string): Promise<EventRow[]> {
      return on()
        .selectFrom('merchant_events')
        .select(['id', 'seq', 'certification_id', 'city_code', 'kind', 'note', 'automatic', 'actor_id', 'actor_name', 'at'])
        .where('certification_id', '=', certificationId)
        .orderBy('seq')
        .execute();
    },

    async listCertifications(f: CertificationListFilter): Promise<{ rows: CertificationWithCounts[]; total: number }> {
      let q = on()
        .selectFrom('merchant_certifications')
        .where('city_code', '=', f.cityCode)
        .where('area_code', 'like', prefixPattern(f.areaPrefix));
      if (f.state) q = q.where('state', '=', f.state);
      if (f.q) {
        const pattern = likePattern(f.q);
        const placeIds = f.placeIds ?? [];
        q = q.where((eb) =>
          eb.or([
            eb('legal_name', 'ilike', pattern),
            eb('uscc', 'like', likePattern(f.q!.toUpperCase())),
            ...(placeIds.length ? [sql<boolean>`place_id = any(${placeIds}::bigint[])`] : []),
          ]),
        );
      }
      // The work queue (applied, reviewed) oldest first; everything else most recently changed first.
      const queue = f.state === 'applied' || f.state === 'reviewed';
      const [rows, count] = await Promise.all([
        q
          .select(columns)
          .select([countedWarnings(f.warningsSince).as('warnings'), complaintCount.as('complaints')])
          .orderBy(queue ? 'applied_at' : 'updated_at', queue ? 'asc' : 'desc')
          .orderBy('id')
          .limit(f.limit)
          .offset(f.offset)
          .execute(),
        q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(withPlaceId), total: count.n };
    },

    async hasRecords(cityCode: string): Promise<boolean> {
      const r = await on().selectFrom('merchant_certifications').select('id').where('city_code', '=', cityCode).limit(1).executeTakeFirst();
      return r !== undefined;
    },

    /** Places that have a record in any state, among these (the demo seed leaves them alone). */
    async placesWithRecords(placeIds: string[]): Promise<Set<string>> {
      if (placeIds.length === 0) return new Set();
      const rows = await on()
        .selectFrom('merchant_certifications')
        .select(sql<string>`place_id::text`.as('place_id'))
        .where(sql<boolean>`place_id = any(${placeIds}::bigint[])`)
        .execute();
      return new Set(rows.map((r) => r.place_id));
    },
  };
}
export type MerchantsRepository = ReturnType<typeof createMerchantsRepository>;
