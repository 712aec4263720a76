import { sql, type ColumnType, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { CabinetState } from '../../contracts/charging.js';

export interface ChargingOperatorsTable {
  id: string;
  city_code: string;
  name: string;
  api_key_hash: string;
  key_prefix: string;
  disabled_at: Date | null;
  created_at: Date;
  rotated_at: Date | null;
}

/** place_id is bigint: read back as a number (see database.ts), written as the id's string. */
type PlaceId = ColumnType<number | string, string, string>;

export interface SwapCabinetsTable {
  id: string;
  city_code: string;
  place_id: PlaceId;
  operator_id: string;
  external_id: string;
  name: string;
  slots: number;
  ready_batteries: number;
  online: boolean;
  last_heartbeat_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

type Tables = { charging_operators: ChargingOperatorsTable; swap_cabinets: SwapCabinetsTable };

export type OperatorRow = Selectable<ChargingOperatorsTable>;
export type CabinetRow = Omit<Selectable<SwapCabinetsTable>, 'place_id'> & { place_id: string };
export type CabinetWithOperator = CabinetRow & { operator_name: string };

export interface CabinetListFilter {
  cityCode: string;
  state?: CabinetState;
  placeId?: string;
  operatorId?: string;
  q?: string;
  /** Heartbeats before this are stale. */
  freshSince: Date;
  limit: number;
  offset: number;
}

export interface HeartbeatUpdate {
  id: string;
  slots: number;
  readyBatteries: number;
  online: boolean;
}

const operatorColumns = ['id', 'city_code', 'name', 'api_key_hash', 'key_prefix', 'disabled_at', 'created_at', 'rotated_at'] as const;
const cabinetColumns = [
  'swap_cabinets.id', 'swap_cabinets.city_code', 'swap_cabinets.place_id', 'swap_cabinets.operator_id', 'swap_cabinets.external_id',
  'swap_cabinets.name', 'swap_cabinets.slots', 'swap_cabinets.ready_batteries', 'swap_cabinets.online', 'swap_cabinets.last_heartbeat_at',
  'swap_cabinets.created_at', 'swap_cabinets.updated_at',
] as const;

const likePattern = (text: string) => `%${text.replace(/[%_\\]/g, '\\$&')}%`;
const withPlaceId = <T extends { place_id: number | string }>(r: T): T & { place_id: string } => ({ ...r, place_id: String(r.place_id) });

/** The SQL condition for one cabinet state (the same rules as cabinetState()). */
function stateCondition(state: CabinetState, freshSince: Date) {
  switch (state) {
    case 'unknown':
      return sql<boolean>`(swap_cabinets.last_heartbeat_at is null or swap_cabinets.last_heartbeat_at < ${freshSince})`;
    case 'offline':
      return sql<boolean>`(swap_cabinets.last_heartbeat_at >= ${freshSince} and not swap_cabinets.online)`;
    case 'empty':
      return sql<boolean>`(swap_cabinets.last_heartbeat_at >= ${freshSince} and swap_cabinets.online and swap_cabinets.ready_batteries = 0)`;
    case 'available':
      return sql<boolean>`(swap_cabinets.last_heartbeat_at >= ${freshSince} and swap_cabinets.online and swap_cabinets.ready_batteries > 0)`;
  }
}

/** Every SQL statement on the charging module's tables. */
export function createChargingRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    // ---- operators ----

    /** Operators whose key starts with this prefix (normally one; the hash decides). */
    async operatorsByKeyPrefix(prefix: string): Promise<OperatorRow[]> {
      return on().selectFrom('charging_operators').select(operatorColumns).where('key_prefix', '=', prefix).execute();
    },

    async findOperator(id: string, trx?: Db): Promise<OperatorRow | undefined> {
      return on(trx).selectFrom('charging_operators').select(operatorColumns).where('id', '=', id).executeTakeFirst();
    },

    async findOperatorByName(cityCode: string, name: string): Promise<OperatorRow | undefined> {
      return on()
        .selectFrom('charging_operators')
        .select(operatorColumns)
        .where('city_code', '=', cityCode)
        .where(sql<boolean>`lower(name) = lower(${name})`)
        .executeTakeFirst();
    },

    async listOperators(cityCode: string): Promise<(OperatorRow & { cabinets: number })[]> {
      return on()
        .selectFrom('charging_operators')
        .select(operatorColumns)
        .select(sql<number>`(select count(*)::int from swap_cabinets c where c.operator_id = charging_operators.id)`.as('cabinets'))
        .where('city_code', '=', cityCode)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    async insertOperator(row: OperatorRow): Promise<void> {
      await on().insertInto('charging_operators').values(row).execute();
    },

    async setOperatorKey(id: string, key: { api_key_hash: string; key_prefix: string; rotated_at: Date }): Promise<void> {
      await on().updateTable('charging_operators').set(key).where('id', '=', id).execute();
    },

    async disableOperator(id: string, at: Date): Promise<void> {
      await on().updateTable('charging_operators').set({ disabled_at: at }).where('id', '=', id).where('disabled_at', 'is', null).execute();
    },

    async countOperatorCabinets(operatorId: string): Promise<number> {
      const r = await on().selectFrom('swap_cabinets').select(sql<number>`count(*)::int`.as('n')).where('operator_id', '=', operatorId).executeTakeFirstOrThrow();
      return r.n;
    },

    // ---- cabinets ----

    /** Creates the cabinet or updates it in place; either way a heartbeat at `at`. `name` undefined keeps the stored one. */
    async upsertCabinet(
      v: { id: string; cityCode: string; operatorId: string; externalId: string; placeId: string; name: string | undefined; slots: number; readyBatteries: number; online: boolean },
      at: Date,
    ): Promise<{ row: CabinetRow; created: boolean }> {
      const row = await on()
        .insertInto('swap_cabinets')
        .values({
          id: v.id,
          city_code: v.cityCode,
          place_id: v.placeId,
          operator_id: v.operatorId,
          external_id: v.externalId,
          name: v.name ?? v.externalId,
          slots: v.slots,
          ready_batteries: v.readyBatteries,
          online: v.online,
          last_heartbeat_at: at,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) =>
          oc.columns(['operator_id', 'external_id']).doUpdateSet((eb) => ({
            place_id: eb.ref('excluded.place_id'),
            ...(v.name === undefined ? {} : { name: eb.ref('excluded.name') }),
            slots: eb.ref('excluded.slots'),
            ready_batteries: eb.ref('excluded.ready_batteries'),
            online: eb.ref('excluded.online'),
            last_heartbeat_at: eb.ref('excluded.last_heartbeat_at'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .returning(['id', 'city_code', 'place_id', 'operator_id', 'external_id', 'name', 'slots', 'ready_batteries', 'online', 'last_heartbeat_at', 'created_at', 'updated_at'])
        .executeTakeFirstOrThrow();
      return { row: withPlaceId(row), created: row.id === v.id };
    },

    async cabinetsByExternalIds(operatorId: string, externalIds: string[]): Promise<{ id: string; external_id: string; slots: number; last_heartbeat_at: Date | null }[]> {
      if (externalIds.length === 0) return [];
      return on()
        .selectFrom('swap_cabinets')
        .select(['id', 'external_id', 'slots', 'last_heartbeat_at'])
        .where('operator_id', '=', operatorId)
        .where('external_id', 'in', externalIds)
        .execute();
    },

    /** Many heartbeats in one statement. */
    async applyHeartbeats(updates: HeartbeatUpdate[], at: Date): Promise<number> {
      if (updates.length === 0) return 0;
      const r = await sql`
        update swap_cabinets c
           set slots = v.slots, ready_batteries = v.ready, online = v.online, last_heartbeat_at = ${at}, updated_at = ${at}
          from unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.slots)}::int[],
                      ${updates.map((u) => u.readyBatteries)}::int[], ${updates.map((u) => u.online)}::boolean[]) as v(id, slots, ready, online)
         where c.id = v.id`.execute(database);
      return Number(r.numAffectedRows ?? 0);
    },

    async cabinetsForPlace(placeId: string): Promise<CabinetWithOperator[]> {
      const rows = await on()
        .selectFrom('swap_cabinets')
        .innerJoin('charging_operators', 'charging_operators.id', 'swap_cabinets.operator_id')
        .select([...cabinetColumns, 'charging_operators.name as operator_name'])
        .where('swap_cabinets.place_id', '=', placeId)
        .orderBy('swap_cabinets.name')
        .orderBy('swap_cabinets.id')
        .execute();
      return rows.map(withPlaceId);
    },

    /** Every cabinet's last report (place, online, ready batteries, heartbeat): the readiness snapshot. */
    async cabinetSnapshot(): Promise<{ place_id: string; city_code: string; online: boolean; ready_batteries: number; last_heartbeat_at: Date | null }[]> {
      return on()
        .selectFrom('swap_cabinets')
        .select([sql<string>`place_id::text`.as('place_id'), 'city_code', 'online', 'ready_batteries', 'last_heartbeat_at'])
        .execute();
    },

    async listCabinets(f: CabinetListFilter): Promise<{ rows: CabinetWithOperator[]; total: number }> {
      let q = on()
        .selectFrom('swap_cabinets')
        .innerJoin('charging_operators', 'charging_operators.id', 'swap_cabinets.operator_id')
        .where('swap_cabinets.city_code', '=', f.cityCode);
      if (f.state) q = q.where(stateCondition(f.state, f.freshSince));
      if (f.placeId) q = q.where('swap_cabinets.place_id', '=', f.placeId);
      if (f.operatorId) q = q.where('swap_cabinets.operator_id', '=', f.operatorId);
      if (f.q) {
        const pattern = likePattern(f.q);
        q = q.where((eb) => eb.or([eb('swap_cabinets.name', 'ilike', pattern), eb('swap_cabinets.external_id', 'ilike', pattern)]));
      }
      const [rows, count] = await Promise.all([
        q
          .select([...cabinetColumns, 'charging_operators.name as operator_name'])
          // the ones needing attention first: stale, then offline, then by name
          .orderBy(sql`swap_cabinets.last_heartbeat_at is null or swap_cabinets.last_heartbeat_at < ${f.freshSince}`, 'desc')
          .orderBy('swap_cabinets.online')
          .orderBy('swap_cabinets.name')
          .orderBy('swap_cabinets.id')
          .limit(f.limit)
          .offset(f.offset)
          .execute(),
        q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(withPlaceId), total: count.n };
    },
  };
}
export type ChargingRepository = ReturnType<typeof createChargingRepository>;
