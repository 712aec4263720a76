import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { PassStatus, RevocationReason } from '../../contracts/pass.js';

export type PassKeyStatus = 'next' | 'active' | 'retired' | 'revoked';

export interface PassKeysTable {
  kid: string;
  city_code: string;
  alg: 'EdDSA';
  public_key: string;
  private_key_enc: string;
  status: PassKeyStatus;
  created_at: Date;
  activated_at: Date | null;
  retired_at: Date | null;
  revoked_at: Date | null;
}

export interface PassStateTable {
  city_code: string;
  version: number;
  updated_at: Date;
}

export interface PassesTable {
  id: string;
  city_code: string;
  worker_id: string;
  pseudonym: string;
  status_index: number;
  status: PassStatus;
  reason: RevocationReason | null;
  note: string | null;
  changed_by: string | null;
  created_at: Date;
  updated_at: Date;
}

type Tables = { pass_keys: PassKeysTable; pass_state: PassStateTable; passes: PassesTable };

export type PassKeyRow = Selectable<PassKeysTable>;
export type PassRow = Selectable<PassesTable>;
/** A key without its private half (what listings and bundles need). */
export type PublicKeyRow = Omit<PassKeyRow, 'private_key_enc'>;

const keyColumns = ['kid', 'city_code', 'alg', 'public_key', 'status', 'created_at', 'activated_at', 'retired_at', 'revoked_at'] as const;
const passColumns = ['id', 'city_code', 'worker_id', 'pseudonym', 'status_index', 'status', 'reason', 'note', 'changed_by', 'created_at', 'updated_at'] as const;

/** Every SQL statement on the pass core tables: issuer keys, the per-city state version, passes. */
export function createPassRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    // ---------------- state version

    async version(cityCode: string, trx?: Db): Promise<number | undefined> {
      const r = await on(trx).selectFrom('pass_state').select('version').where('city_code', '=', cityCode).executeTakeFirst();
      return r === undefined ? undefined : Number(r.version);
    },

    /**
     * Locks the city's state row (creating it at 0), so key changes of one city are serialised.
     * Call inside a transaction, before reading what the change depends on.
     */
    async lockState(cityCode: string, now: Date, trx: Db): Promise<number> {
      await on(trx).insertInto('pass_state').values({ city_code: cityCode, version: 0, updated_at: now }).onConflict((oc) => oc.column('city_code').doNothing()).execute();
      const r = await on(trx).selectFrom('pass_state').select('version').where('city_code', '=', cityCode).forUpdate().executeTakeFirstOrThrow();
      return Number(r.version);
    },

    /** Bumps the city's version (trust bundles change): in the same transaction as the change. */
    async bumpVersion(cityCode: string, now: Date, trx: Db): Promise<number> {
      const r = await on(trx)
        .insertInto('pass_state')
        .values({ city_code: cityCode, version: 1, updated_at: now })
        .onConflict((oc) => oc.column('city_code').doUpdateSet({ version: sql`pass_state.version + 1`, updated_at: now }))
        .returning('version')
        .executeTakeFirstOrThrow();
      return Number(r.version);
    },

    // ---------------- keys

    async keysOfCity(cityCode: string, trx?: Db): Promise<PublicKeyRow[]> {
      return on(trx).selectFrom('pass_keys').select(keyColumns).where('city_code', '=', cityCode).orderBy('created_at', 'desc').orderBy('kid').execute();
    },

    /** Keys that may be published: next, active, and retired since `retiredSince` (all cities, or one). */
    async publishedKeys(retiredSince: Date, cityCode?: string): Promise<PublicKeyRow[]> {
      let q = on()
        .selectFrom('pass_keys')
        .select(keyColumns)
        .where((eb) => eb.or([eb('status', 'in', ['next', 'active']), eb.and([eb('status', '=', 'retired'), eb('retired_at', '>=', retiredSince)])]));
      if (cityCode) q = q.where('city_code', '=', cityCode);
      return q.orderBy('city_code').orderBy('created_at', 'desc').orderBy('kid').execute();
    },

    async keyByKid(kid: string): Promise<PublicKeyRow | undefined> {
      return on().selectFrom('pass_keys').select(keyColumns).where('kid', '=', kid).executeTakeFirst();
    },

    async activeKey(cityCode: string, trx?: Db): Promise<PassKeyRow | undefined> {
      return on(trx).selectFrom('pass_keys').selectAll().where('city_code', '=', cityCode).where('status', '=', 'active').executeTakeFirst();
    },

    async insertKey(row: PassKeyRow, trx: Db): Promise<void> {
      await on(trx).insertInto('pass_keys').values(row).execute();
    },

    async setKeyStatus(kid: string, set: Partial<Pick<PassKeyRow, 'status' | 'activated_at' | 'retired_at' | 'revoked_at'>>, trx: Db): Promise<void> {
      await on(trx).updateTable('pass_keys').set(set).where('kid', '=', kid).execute();
    },

    /** Cities that have keys, with their active key's activation time (null: none active). */
    async keyedCities(): Promise<{ city_code: string; activated_at: Date | null }[]> {
      const r = await sql<{ city_code: string; activated_at: Date | null }>`
        select c.city_code, (select k.activated_at from pass_keys k where k.city_code = c.city_code and k.status = 'active') as activated_at
          from (select distinct city_code from pass_keys) c order by c.city_code`.execute(database);
      return r.rows;
    },

    /** Every private key, for re-encryption under a new PII key. */
    async privateKeys(trx?: Db): Promise<{ kid: string; private_key_enc: string }[]> {
      return on(trx).selectFrom('pass_keys').select(['kid', 'private_key_enc']).execute();
    },

    async setPrivateKey(kid: string, privateKeyEnc: string, trx?: Db): Promise<void> {
      await on(trx).updateTable('pass_keys').set({ private_key_enc: privateKeyEnc }).where('kid', '=', kid).execute();
    },

    // ---------------- passes

    /** The worker's pass that counts: the live one (active or frozen), else the latest revoked one. */
    async currentPass(workerId: string, trx?: Db, opts: { forUpdate?: boolean } = {}): Promise<PassRow | undefined> {
      let q = on(trx)
        .selectFrom('passes')
        .select(passColumns)
        .where('worker_id', '=', workerId)
        .orderBy(sql`case when status = 'revoked' then 1 else 0 end`)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(1);
      if (opts.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    async passByPseudonym(pseudonym: string): Promise<PassRow | undefined> {
      return on().selectFrom('passes').select(passColumns).where('pseudonym', '=', pseudonym).executeTakeFirst();
    },

    async passesByIds(ids: readonly string[]): Promise<PassRow[]> {
      if (ids.length === 0) return [];
      return on().selectFrom('passes').select(passColumns).where(sql<boolean>`id = any(${[...ids]}::uuid[])`).execute();
    },

    async passIdsOfWorker(workerId: string): Promise<string[]> {
      const rows = await on().selectFrom('passes').select('id').where('worker_id', '=', workerId).orderBy('created_at', 'desc').execute();
      return rows.map((r) => r.id);
    },

    /** Which of these status indices are taken in the city. */
    async usedIndices(cityCode: string, candidates: number[], trx?: Db): Promise<Set<number>> {
      if (candidates.length === 0) return new Set();
      const rows = await on(trx)
        .selectFrom('passes')
        .select('status_index')
        .where('city_code', '=', cityCode)
        .where(sql<boolean>`status_index = any(${candidates}::int[])`)
        .execute();
      return new Set(rows.map((r) => r.status_index));
    },

    /**
     * Inserts a pass unless a unique constraint stands in the way (its index or pseudonym is taken, or
     * the worker already has a live pass). Returns whether it was inserted.
     */
    async insertPassIfFree(row: PassRow, trx?: Db): Promise<boolean> {
      const r = await on(trx).insertInto('passes').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
      return r !== undefined;
    },

    async updatePass(id: string, set: Pick<PassRow, 'status' | 'reason' | 'note' | 'changed_by' | 'updated_at'>, trx: Db): Promise<void> {
      await on(trx).updateTable('passes').set(set).where('id', '=', id).execute();
    },

    /** Passes whose bit is set in the city's status list: frozen or revoked. */
    async refusedIndices(cityCode: string): Promise<{ status_index: number; reason: RevocationReason | null; status: PassStatus }[]> {
      return on()
        .selectFrom('passes')
        .select(['status_index', 'reason', 'status'])
        .where('city_code', '=', cityCode)
        .where('status', 'in', ['frozen', 'revoked'])
        .orderBy('status_index')
        .execute();
    },
  };
}
export type PassRepository = ReturnType<typeof createPassRepository>;
