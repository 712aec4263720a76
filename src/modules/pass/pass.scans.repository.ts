import { sql, type ColumnType } from 'kysely';
import type { Db } from '../../db/database.js';
import type { PassGrant, PassPolicyRule, PassReason, PassVerdict } from '../../contracts/pass.js';

/** bigint place ids: read back as a number (see database.ts), written as the id's string. */
type PlaceId = ColumnType<number | string, string, string>;
/** jsonb: written as JSON text, read back parsed (pg) — kept loose and normalised by the reader. */
type Json<T> = ColumnType<T | string, string, string>;

interface PassPoliciesTable {
  place_id: PlaceId;
  city_code: string;
  rules: Json<PassPolicyRule[]>;
  updated_by: string | null;
  updated_at: Date;
}

interface PassScannerPlacesTable {
  staff_id: string;
  place_id: PlaceId;
  city_code: string;
  created_at: Date;
}

interface PassScanConsentsTable {
  worker_id: string;
  granted: boolean;
  version: string;
  answered_at: Date;
}

interface PassScansTable {
  id: string;
  city_code: string;
  pass_id: string;
  place_id: PlaceId | null;
  scanner_id: string | null;
  scanned_at: Date;
  received_at: Date;
  verdict: PassVerdict;
  reason: string;
  grants: ColumnType<string[], string[], string[]>;
  shown: ColumnType<string[], string[], string[]>;
  offline: boolean;
}

interface PassSightingsTable {
  nonce: string;
  place_id: PlaceId;
  pass_id: string;
  event_id: string;
  scanned_at: Date;
}

interface PassAlertsTable {
  id: string;
  city_code: string;
  kind: 'clone';
  pass_id: string;
  nonce: string;
  sightings: Json<AlertSighting[]>;
  status: 'open' | 'closed';
  detected_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
}

interface PassVisitsTable {
  place_id: PlaceId;
  month: string;
  city_code: string;
  area_code: string;
  visits: number;
}

type Tables = {
  pass_policies: PassPoliciesTable;
  pass_scanner_places: PassScannerPlacesTable;
  pass_scan_consents: PassScanConsentsTable;
  pass_scans: PassScansTable;
  pass_sightings: PassSightingsTable;
  pass_alerts: PassAlertsTable;
  pass_visits: PassVisitsTable;
};

export interface AlertSighting {
  placeId: string;
  scannedAt: string;
}

export interface PolicyRow {
  placeId: string;
  cityCode: string;
  rules: PassPolicyRule[];
  updatedBy: string | null;
  updatedAt: Date;
}

export interface ConsentRow {
  workerId: string;
  granted: boolean;
  version: string;
  answeredAt: Date;
}

export interface ScanRow {
  id: string;
  cityCode: string;
  passId: string;
  placeId: string | null;
  scannerId: string | null;
  scannedAt: Date;
  receivedAt: Date;
  verdict: PassVerdict;
  reason: PassReason;
  grants: PassGrant[];
  shown: string[];
  offline: boolean;
}

export interface SightingRow {
  nonce: string;
  placeId: string;
  passId: string;
  eventId: string;
  scannedAt: Date;
}

export interface AlertRow {
  id: string;
  cityCode: string;
  passId: string;
  nonce: string;
  sightings: AlertSighting[];
  status: 'open' | 'closed';
  detectedAt: Date;
  closedBy: string | null;
  closedAt: Date | null;
}

export interface VisitRow {
  placeId: string;
  month: string;
  areaCode: string;
  visits: number;
}

const parse = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const prefixPattern = (code: string) => `${code.replace(/[%_\\]/g, '\\$&')}%`;

const scanColumns = ['id', 'city_code', 'pass_id', 'place_id', 'scanner_id', 'scanned_at', 'received_at', 'verdict', 'reason', 'grants', 'shown', 'offline'] as const;
const alertColumns = ['id', 'city_code', 'pass_id', 'nonce', 'sightings', 'status', 'detected_at', 'closed_by', 'closed_at'] as const;

const toAlert = (r: { id: string; city_code: string; pass_id: string; nonce: string; sightings: AlertSighting[] | string; status: 'open' | 'closed'; detected_at: Date; closed_by: string | null; closed_at: Date | null }): AlertRow => ({
  id: r.id,
  cityCode: r.city_code,
  passId: r.pass_id,
  nonce: r.nonce,
  sightings: parse(r.sightings),
  status: r.status,
  detectedAt: r.detected_at,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
});

/**
 * Every SQL statement on the pass module's scan-side tables: place policies, scanner bindings, the scan
 * consent, scan records, token sightings, clone alerts and station visit counters.
 */
export function createPassScansRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    // ---------------------------------------------------------------- policies

    async policy(placeId: string, trx?: Db): Promise<PolicyRow | undefined> {
      const r = await on(trx).selectFrom('pass_policies').select(['place_id', 'city_code', 'rules', 'updated_by', 'updated_at']).where('place_id', '=', placeId).executeTakeFirst();
      return r && { placeId: String(r.place_id), cityCode: r.city_code, rules: parse(r.rules), updatedBy: r.updated_by, updatedAt: r.updated_at };
    },

    async policies(placeIds: readonly string[]): Promise<Map<string, PassPolicyRule[]>> {
      if (placeIds.length === 0) return new Map();
      const rows = await on().selectFrom('pass_policies').select(['place_id', 'rules']).where('place_id', 'in', [...placeIds]).execute();
      return new Map(rows.map((r) => [String(r.place_id), parse(r.rules)]));
    },

    async upsertPolicy(row: PolicyRow, trx?: Db): Promise<void> {
      const values = { place_id: row.placeId, city_code: row.cityCode, rules: JSON.stringify(row.rules), updated_by: row.updatedBy, updated_at: row.updatedAt };
      await on(trx)
        .insertInto('pass_policies')
        .values(values)
        .onConflict((oc) => oc.column('place_id').doUpdateSet({ rules: values.rules, updated_by: values.updated_by, updated_at: values.updated_at }))
        .execute();
    },

    // ---------------------------------------------------------------- scanner bindings

    async isBound(staffId: string, placeId: string): Promise<boolean> {
      const r = await on().selectFrom('pass_scanner_places').select('staff_id').where('staff_id', '=', staffId).where('place_id', '=', placeId).executeTakeFirst();
      return r !== undefined;
    },

    /** Places bound to each account, oldest binding first. */
    async bindings(staffIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (staffIds.length === 0) return out;
      const rows = await on()
        .selectFrom('pass_scanner_places')
        .select(['staff_id', 'place_id'])
        .where('staff_id', 'in', [...staffIds])
        .orderBy('created_at')
        .orderBy('place_id')
        .execute();
      for (const r of rows) out.set(r.staff_id, [...(out.get(r.staff_id) ?? []), String(r.place_id)]);
      return out;
    },

    async bind(staffId: string, placeIds: readonly string[], cityCode: string, at: Date, trx?: Db): Promise<void> {
      if (placeIds.length === 0) return;
      await on(trx)
        .insertInto('pass_scanner_places')
        .values(placeIds.map((placeId) => ({ staff_id: staffId, place_id: placeId, city_code: cityCode, created_at: at })))
        .onConflict((oc) => oc.columns(['staff_id', 'place_id']).doNothing())
        .execute();
    },

    async unbind(staffId: string, placeIds: readonly string[], trx?: Db): Promise<void> {
      if (placeIds.length === 0) return;
      await on(trx).deleteFrom('pass_scanner_places').where('staff_id', '=', staffId).where('place_id', 'in', [...placeIds]).execute();
    },

    // ---------------------------------------------------------------- consent

    async consent(workerId: string, trx?: Db): Promise<ConsentRow | undefined> {
      const r = await on(trx).selectFrom('pass_scan_consents').select(['worker_id', 'granted', 'version', 'answered_at']).where('worker_id', '=', workerId).executeTakeFirst();
      return r && { workerId: r.worker_id, granted: r.granted, version: r.version, answeredAt: r.answered_at };
    },

    /** The consent of each worker who has answered, by worker id. */
    async consents(workerIds: readonly string[], trx?: Db): Promise<Map<string, ConsentRow>> {
      if (workerIds.length === 0) return new Map();
      const rows = await on(trx).selectFrom('pass_scan_consents').select(['worker_id', 'granted', 'version', 'answered_at']).where('worker_id', 'in', [...workerIds]).execute();
      return new Map(rows.map((r) => [r.worker_id, { workerId: r.worker_id, granted: r.granted, version: r.version, answeredAt: r.answered_at }]));
    },

    async saveConsent(row: ConsentRow, trx?: Db): Promise<void> {
      const values = { worker_id: row.workerId, granted: row.granted, version: row.version, answered_at: row.answeredAt };
      await on(trx)
        .insertInto('pass_scan_consents')
        .values(values)
        .onConflict((oc) => oc.column('worker_id').doUpdateSet({ granted: values.granted, version: values.version, answered_at: values.answered_at }))
        .execute();
    },

    // ---------------------------------------------------------------- scan records

    /** Stores a scan record; false when one with this id (the client's event id) is already there. */
    async insertScan(row: ScanRow, trx?: Db): Promise<boolean> {
      const r = await on(trx)
        .insertInto('pass_scans')
        .values({
          id: row.id,
          city_code: row.cityCode,
          pass_id: row.passId,
          place_id: row.placeId,
          scanner_id: row.scannerId,
          scanned_at: row.scannedAt,
          received_at: row.receivedAt,
          verdict: row.verdict,
          reason: row.reason,
          grants: row.grants,
          shown: row.shown,
          offline: row.offline,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },

    async scans(passIds: readonly string[], limit: number, offset: number): Promise<{ rows: ScanRow[]; total: number }> {
      if (passIds.length === 0) return { rows: [], total: 0 };
      const q = on().selectFrom('pass_scans').where('pass_id', 'in', [...passIds]);
      const [rows, total] = await Promise.all([
        q.select(scanColumns).orderBy('scanned_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
        q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        rows: rows.map((r) => ({
          id: r.id,
          cityCode: r.city_code,
          passId: r.pass_id,
          placeId: r.place_id === null ? null : String(r.place_id),
          scannerId: r.scanner_id,
          scannedAt: r.scanned_at,
          receivedAt: r.received_at,
          verdict: r.verdict,
          reason: r.reason as PassReason,
          grants: r.grants as PassGrant[],
          shown: r.shown,
          offline: r.offline,
        })),
        total: Number(total.n),
      };
    },

    async deleteScansOfPasses(passIds: readonly string[], trx?: Db): Promise<number> {
      if (passIds.length === 0) return 0;
      const r = await on(trx).deleteFrom('pass_scans').where('pass_id', 'in', [...passIds]).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /** Which of these ids were already received (as a scan record or as a sighting). */
    async knownEventIds(ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const [scans, sightings] = await Promise.all([
        on().selectFrom('pass_scans').select('id').where('id', 'in', [...ids]).execute(),
        on().selectFrom('pass_sightings').select('event_id').where('event_id', 'in', [...ids]).execute(),
      ]);
      return new Set([...scans.map((r) => r.id), ...sightings.map((r) => r.event_id)]);
    },

    // ---------------------------------------------------------------- sightings and clone alerts

    /** Serialises the handling of one token (nonce) across processes until the transaction ends. */
    async lockNonce(nonce: string, trx: Db): Promise<void> {
      await sql`select pg_advisory_xact_lock(hashtext(${`pass:nonce:${nonce}`}))`.execute(trx);
    },

    async sightingByEvent(eventId: string, trx?: Db): Promise<SightingRow | undefined> {
      const r = await on(trx).selectFrom('pass_sightings').select(['nonce', 'place_id', 'pass_id', 'event_id', 'scanned_at']).where('event_id', '=', eventId).executeTakeFirst();
      return r && { nonce: r.nonce, placeId: String(r.place_id), passId: r.pass_id, eventId: r.event_id, scannedAt: r.scanned_at };
    },

    async sightingsOfNonce(nonce: string, trx?: Db): Promise<SightingRow[]> {
      const rows = await on(trx).selectFrom('pass_sightings').select(['nonce', 'place_id', 'pass_id', 'event_id', 'scanned_at']).where('nonce', '=', nonce).orderBy('scanned_at').execute();
      return rows.map((r) => ({ nonce: r.nonce, placeId: String(r.place_id), passId: r.pass_id, eventId: r.event_id, scannedAt: r.scanned_at }));
    },

    /** False when this token was already seen at this place, or this event was already received. */
    async insertSighting(row: SightingRow, trx?: Db): Promise<boolean> {
      const r = await on(trx)
        .insertInto('pass_sightings')
        .values({ nonce: row.nonce, place_id: row.placeId, pass_id: row.passId, event_id: row.eventId, scanned_at: row.scannedAt })
        .onConflict((oc) => oc.doNothing())
        .returning('event_id')
        .executeTakeFirst();
      return r !== undefined;
    },

    async alertByNonce(nonce: string, trx?: Db): Promise<AlertRow | undefined> {
      const r = await on(trx).selectFrom('pass_alerts').select(alertColumns).where('kind', '=', 'clone').where('nonce', '=', nonce).executeTakeFirst();
      return r && toAlert(r);
    },

    async insertAlert(row: Omit<AlertRow, 'status' | 'closedBy' | 'closedAt'>, trx?: Db): Promise<void> {
      await on(trx)
        .insertInto('pass_alerts')
        .values({ id: row.id, city_code: row.cityCode, kind: 'clone', pass_id: row.passId, nonce: row.nonce, sightings: JSON.stringify(row.sightings), status: 'open', detected_at: row.detectedAt })
        .execute();
    },

    /** More places for an alert; a closed alert opens again (the copy is still in use). */
    async updateAlertSightings(id: string, sightings: AlertSighting[], trx?: Db): Promise<void> {
      await on(trx).updateTable('pass_alerts').set({ sightings: JSON.stringify(sightings), status: 'open', closed_by: null, closed_at: null }).where('id', '=', id).execute();
    },

    async findAlert(id: string, trx?: Db): Promise<AlertRow | undefined> {
      const r = await on(trx).selectFrom('pass_alerts').select(alertColumns).where('id', '=', id).executeTakeFirst();
      return r && toAlert(r);
    },

    /** Alerts of a city, newest first (callers narrow by area: alerts carry places, not areas). */
    async alerts(cityCode: string, status: 'open' | 'closed' | undefined, limit: number): Promise<AlertRow[]> {
      let q = on().selectFrom('pass_alerts').select(alertColumns).where('city_code', '=', cityCode);
      if (status) q = q.where('status', '=', status);
      const rows = await q.orderBy('detected_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(toAlert);
    },

    async closeAlert(id: string, by: string, at: Date, trx?: Db): Promise<void> {
      await on(trx).updateTable('pass_alerts').set({ status: 'closed', closed_by: by, closed_at: at }).where('id', '=', id).execute();
    },

    // ---------------------------------------------------------------- visits

    async addVisit(v: { placeId: string; month: string; cityCode: string; areaCode: string }, trx?: Db): Promise<void> {
      await on(trx)
        .insertInto('pass_visits')
        .values({ place_id: v.placeId, month: v.month, city_code: v.cityCode, area_code: v.areaCode, visits: 1 })
        .onConflict((oc) => oc.columns(['place_id', 'month']).doUpdateSet({ visits: sql`pass_visits.visits + 1` }))
        .execute();
    },

    async visitsOfMonth(cityCode: string, month: string, areaPrefix: string): Promise<VisitRow[]> {
      const rows = await on()
        .selectFrom('pass_visits')
        .select(['place_id', 'month', 'area_code', 'visits'])
        .where('city_code', '=', cityCode)
        .where('month', '=', month)
        .where('area_code', 'like', prefixPattern(areaPrefix))
        .orderBy('visits', 'desc')
        .orderBy('place_id')
        .execute();
      return rows.map((r) => ({ placeId: String(r.place_id), month: r.month, areaCode: r.area_code, visits: Number(r.visits) }));
    },

    async visitsByMonth(cityCode: string, months: readonly string[], areaPrefix: string): Promise<Map<string, number>> {
      const rows = await on()
        .selectFrom('pass_visits')
        .select(['month', sql<number>`sum(visits)::int`.as('n')])
        .where('city_code', '=', cityCode)
        .where('month', 'in', [...months])
        .where('area_code', 'like', prefixPattern(areaPrefix))
        .groupBy('month')
        .execute();
      return new Map(rows.map((r) => [r.month, Number(r.n)]));
    },

    // ---------------------------------------------------------------- retention

    async purgeScans(before: Date): Promise<number> {
      const r = await on().deleteFrom('pass_scans').where('scanned_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async purgeSightings(before: Date): Promise<number> {
      const r = await on().deleteFrom('pass_sightings').where('scanned_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
export type PassScansRepository = ReturnType<typeof createPassScansRepository>;
