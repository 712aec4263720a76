import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { VerificationStatus } from '../../contracts/workers.js';

export interface WorkersTable {
  id: string;
  city_code: string;
  phone_enc: string;
  phone_hash: string;
  name_enc: string | null;
  id_number_enc: string | null;
  id_number_hash: string | null;
  industry: string | null;
  platform: string | null;
  station: string | null;
  area_code: string | null;
  verification_status: VerificationStatus;
  verified_at: Date | null;
  language: string;
  created_at: Date;
  updated_at: Date;
}

export type VerificationRowStatus = 'pending' | 'approved' | 'rejected' | 'superseded';

export interface WorkerVerificationsTable {
  id: string;
  city_code: string;
  worker_id: string;
  name_enc: string;
  id_number_enc: string;
  id_number_hash: string;
  industry: string;
  platform: string;
  station: string;
  area_code: string;
  status: VerificationRowStatus;
  reason: string | null;
  submitted_at: Date;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  reviewed_by_label: string | null;
}

export interface WorkerConsentsTable {
  id: string;
  city_code: string;
  worker_id: string;
  kind: string;
  version: string;
  accepted_at: Date;
  withdrawn_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface SmsCodesTable {
  id: string;
  city_code: string;
  phone_hash: string;
  code_hash: string;
  ip: string | null;
  created_at: Date;
  expires_at: Date;
  attempts: number;
  consumed_at: Date | null;
}

type Tables = {
  workers: WorkersTable;
  worker_verifications: WorkerVerificationsTable;
  worker_consents: WorkerConsentsTable;
  sms_codes: SmsCodesTable;
};

export type WorkerRow = Selectable<WorkersTable>;
export type VerificationRow = Selectable<WorkerVerificationsTable>;
/** A verification with the submitting worker's encrypted phone, for the review queue. */
export type VerificationWithPhone = VerificationRow & { phone_enc: string };
export type ConsentRow = Selectable<WorkerConsentsTable>;
export type SmsCodeRow = Selectable<SmsCodesTable>;

/** An area scope as a code prefix (GB/T 2260 codes nest by prefix). */
const prefixPattern = (code: string) => `${code.replace(/[%_\\]/g, '\\$&')}%`;

const workerColumns = [
  'id', 'city_code', 'phone_enc', 'phone_hash', 'name_enc', 'id_number_enc', 'id_number_hash', 'industry', 'platform',
  'station', 'area_code', 'verification_status', 'verified_at', 'language', 'created_at', 'updated_at',
] as const;

const verificationColumns = [
  'worker_verifications.id', 'worker_verifications.city_code', 'worker_verifications.worker_id', 'worker_verifications.name_enc',
  'worker_verifications.id_number_enc', 'worker_verifications.id_number_hash', 'worker_verifications.industry',
  'worker_verifications.platform', 'worker_verifications.station', 'worker_verifications.area_code', 'worker_verifications.status',
  'worker_verifications.reason', 'worker_verifications.submitted_at', 'worker_verifications.reviewed_at',
  'worker_verifications.reviewed_by', 'worker_verifications.reviewed_by_label',
] as const;

export interface WorkerListFilter {
  cityCode: string;
  /** Area prefix the rows must lie within. */
  areaPrefix: string;
  /** Also list workers with no area yet (unverified): only for a city-wide scope. */
  includeWithoutArea: boolean;
  phoneHash?: string;
  status?: VerificationStatus;
  industry?: string;
  limit: number;
  offset: number;
}

export interface VerificationListFilter {
  cityCode: string;
  areaPrefix: string;
  status: VerificationRowStatus | 'all';
  limit: number;
  offset: number;
}

/**
 * Every SQL statement on the workers module's tables. Methods that take part in a transaction accept
 * the transaction as their last argument; without it they run on the shared handle.
 */
export function createWorkersRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  return {
    /** Every encrypted personal-data field, for re-encryption under a new key. */
    async listEncryptedWorkers(trx: Db) {
      return on(trx).selectFrom('workers').select(['id', 'phone_enc', 'name_enc', 'id_number_enc']).orderBy('id').execute();
    },
    async listEncryptedVerifications(trx: Db) {
      return on(trx).selectFrom('worker_verifications').select(['id', 'name_enc', 'id_number_enc']).orderBy('id').execute();
    },
    async updateWorkerCiphertexts(
      id: string,
      v: { phone_enc: string; phone_hash: string; name_enc: string | null; id_number_enc: string | null; id_number_hash: string | null },
      trx: Db,
    ): Promise<void> {
      await on(trx).updateTable('workers').set(v).where('id', '=', id).execute();
    },
    async updateVerificationCiphertexts(id: string, v: { name_enc: string; id_number_enc: string; id_number_hash: string }, trx: Db): Promise<void> {
      await on(trx).updateTable('worker_verifications').set(v).where('id', '=', id).execute();
    },
    async deleteAllSmsCodes(trx: Db): Promise<void> {
      await on(trx).deleteFrom('sms_codes').execute();
    },

    /** Retention: SMS codes are only needed for rate limits (an hour) and the code's lifetime. */
    async purgeSmsCodes(before: Date): Promise<number> {
      const r = await on().deleteFrom('sms_codes').where('created_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    /** Serialises concurrent writers on one key (a phone, an IP, an ID number) until the transaction ends. */
    async lock(key: string, trx: Db): Promise<void> {
      await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
    },

    // ---- SMS codes ----

    async smsStats(q: { phoneHash: string; ip: string | null; since: Date }, trx?: Db) {
      const phone = await on(trx)
        .selectFrom('sms_codes')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest'), eb.fn.max('created_at').as('latest')])
        .where('phone_hash', '=', q.phoneHash)
        .where('created_at', '>', q.since)
        .executeTakeFirstOrThrow();
      const ip = q.ip
        ? await on(trx)
            .selectFrom('sms_codes')
            .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
            .where('ip', '=', q.ip)
            .where('created_at', '>', q.since)
            .executeTakeFirstOrThrow()
        : { n: 0, oldest: null };
      return {
        phoneCount: Number(phone.n),
        phoneOldest: phone.oldest as Date | null,
        phoneLatest: phone.latest as Date | null,
        ipCount: Number(ip.n),
        ipOldest: ip.oldest as Date | null,
      };
    },

    async deleteSmsCode(id: string): Promise<void> {
      await on().deleteFrom('sms_codes').where('id', '=', id).execute();
    },

    async insertSmsCode(row: SmsCodeRow, trx?: Db): Promise<void> {
      await on(trx).insertInto('sms_codes').values(row).execute();
    },

    async latestSmsCode(cityCode: string, phoneHash: string): Promise<SmsCodeRow | undefined> {
      return on()
        .selectFrom('sms_codes')
        .select(['id', 'city_code', 'phone_hash', 'code_hash', 'ip', 'created_at', 'expires_at', 'attempts', 'consumed_at'])
        .where('city_code', '=', cityCode)
        .where('phone_hash', '=', phoneHash)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** Counts one wrong guess; undefined when the code had already used up its attempts. */
    async addSmsAttempt(id: string, maxAttempts: number): Promise<number | undefined> {
      const r = await on()
        .updateTable('sms_codes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('attempts', '<', maxAttempts)
        .returning('attempts')
        .executeTakeFirst();
      return r?.attempts;
    },

    /** Marks a code used; false when another request consumed it first. */
    async consumeSmsCode(id: string, at: Date): Promise<boolean> {
      const r = await on()
        .updateTable('sms_codes')
        .set({ consumed_at: at })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    // ---- workers ----

    /** Inserts the worker unless one with that phone exists; returns the stored row either way. */
    async insertWorkerIfAbsent(row: WorkerRow, trx?: Db): Promise<{ worker: WorkerRow; created: boolean }> {
      const inserted = await on(trx)
        .insertInto('workers')
        .values(row)
        .onConflict((oc) => oc.columns(['city_code', 'phone_hash']).doNothing())
        .returning('id')
        .executeTakeFirst();
      const worker = await on(trx)
        .selectFrom('workers')
        .select(workerColumns)
        .where('city_code', '=', row.city_code)
        .where('phone_hash', '=', row.phone_hash)
        .executeTakeFirstOrThrow();
      return { worker, created: Boolean(inserted) };
    },

    async findWorker(id: string, trx?: Db, opts: { forUpdate?: boolean } = {}): Promise<WorkerRow | undefined> {
      let q = on(trx).selectFrom('workers').select(workerColumns).where('id', '=', id);
      if (opts.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    async findWorkerByPhoneHash(cityCode: string, phoneHash: string): Promise<WorkerRow | undefined> {
      return on().selectFrom('workers').select(workerColumns).where('city_code', '=', cityCode).where('phone_hash', '=', phoneHash).executeTakeFirst();
    },

    /** Another worker already holding this ID number, verified or waiting for review. */
    async idNumberHolder(cityCode: string, idNumberHash: string, exceptWorkerId: string, trx?: Db): Promise<string | undefined> {
      const verified = await on(trx)
        .selectFrom('workers')
        .select('id')
        .where('city_code', '=', cityCode)
        .where('id_number_hash', '=', idNumberHash)
        .where('id', '<>', exceptWorkerId)
        .executeTakeFirst();
      if (verified) return verified.id;
      const pending = await on(trx)
        .selectFrom('worker_verifications')
        .select('worker_id')
        .where('city_code', '=', cityCode)
        .where('id_number_hash', '=', idNumberHash)
        .where('status', '=', 'pending')
        .where('worker_id', '<>', exceptWorkerId)
        .executeTakeFirst();
      return pending?.worker_id;
    },

    async setWorkerStatus(id: string, status: VerificationStatus, at: Date, trx?: Db): Promise<void> {
      await on(trx).updateTable('workers').set({ verification_status: status, updated_at: at }).where('id', '=', id).execute();
    },

    /** A submission places the worker in the area they declared, so staff of that area can find them while it is reviewed. */
    async setWorkerPending(id: string, areaCode: string, at: Date, trx?: Db): Promise<void> {
      await on(trx).updateTable('workers').set({ verification_status: 'pending', area_code: areaCode, updated_at: at }).where('id', '=', id).execute();
    },

    /** Copies an approved verification's data onto the worker. */
    async applyApprovedVerification(workerId: string, v: VerificationRow, at: Date, trx?: Db): Promise<void> {
      await on(trx)
        .updateTable('workers')
        .set({
          name_enc: v.name_enc,
          id_number_enc: v.id_number_enc,
          id_number_hash: v.id_number_hash,
          industry: v.industry,
          platform: v.platform,
          station: v.station,
          area_code: v.area_code,
          verification_status: 'approved',
          verified_at: at,
          updated_at: at,
        })
        .where('id', '=', workerId)
        .execute();
    },

    async listWorkers(f: WorkerListFilter): Promise<{ rows: WorkerRow[]; total: number }> {
      let q = on()
        .selectFrom('workers')
        .where('city_code', '=', f.cityCode)
        .where((eb) =>
          f.includeWithoutArea
            ? eb.or([eb('area_code', 'like', prefixPattern(f.areaPrefix)), eb('area_code', 'is', null)])
            : eb('area_code', 'like', prefixPattern(f.areaPrefix)),
        );
      if (f.phoneHash) q = q.where('phone_hash', '=', f.phoneHash);
      if (f.status) q = q.where('verification_status', '=', f.status);
      if (f.industry) q = q.where('industry', '=', f.industry);
      const [rows, total] = await Promise.all([
        q.select(workerColumns).orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    // ---- verifications ----

    async insertVerification(row: VerificationRow, trx?: Db): Promise<void> {
      await on(trx).insertInto('worker_verifications').values(row).execute();
    },

    async latestVerification(workerId: string): Promise<VerificationRow | undefined> {
      return on()
        .selectFrom('worker_verifications')
        .select(verificationColumns)
        .where('worker_id', '=', workerId)
        .orderBy('submitted_at', 'desc')
        // A pending submission is always the newest; this settles ties within one clock tick.
        .orderBy(sql`status = 'pending'`, 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    async findVerification(id: string, trx?: Db, opts: { forUpdate?: boolean } = {}): Promise<VerificationWithPhone | undefined> {
      let q = on(trx)
        .selectFrom('worker_verifications')
        .innerJoin('workers', 'workers.id', 'worker_verifications.worker_id')
        .select([...verificationColumns, 'workers.phone_enc'])
        .where('worker_verifications.id', '=', id);
      if (opts.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    async listVerifications(f: VerificationListFilter): Promise<{ rows: VerificationWithPhone[]; total: number }> {
      let q = on()
        .selectFrom('worker_verifications')
        .innerJoin('workers', 'workers.id', 'worker_verifications.worker_id')
        .where('worker_verifications.city_code', '=', f.cityCode)
        .where('worker_verifications.area_code', 'like', prefixPattern(f.areaPrefix));
      if (f.status !== 'all') q = q.where('worker_verifications.status', '=', f.status);
      const [rows, total] = await Promise.all([
        q
          .select([...verificationColumns, 'workers.phone_enc'])
          // The queue: pending first, oldest first; decided ones after, newest first.
          .orderBy(sql`worker_verifications.status = 'pending'`, 'desc')
          .orderBy(sql`case when worker_verifications.status = 'pending' then worker_verifications.submitted_at end`, 'asc')
          .orderBy('worker_verifications.submitted_at', 'desc')
          .orderBy('worker_verifications.id')
          .limit(f.limit)
          .offset(f.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    async reviewVerification(
      id: string,
      review: { status: 'approved' | 'rejected'; reason: string | null; at: Date; by: string | null; byLabel: string | null },
      trx?: Db,
    ): Promise<void> {
      await on(trx)
        .updateTable('worker_verifications')
        .set({ status: review.status, reason: review.reason, reviewed_at: review.at, reviewed_by: review.by, reviewed_by_label: review.byLabel })
        .where('id', '=', id)
        .execute();
    },

    // ---- consents ----

    /** The consent of this kind in force (accepted and not withdrawn), newest first. */
    async activeConsent(workerId: string, kind: string): Promise<ConsentRow | undefined> {
      return on()
        .selectFrom('worker_consents')
        .select(['id', 'city_code', 'worker_id', 'kind', 'version', 'accepted_at', 'withdrawn_at', 'ip', 'user_agent'])
        .where('worker_id', '=', workerId)
        .where('kind', '=', kind)
        .where('withdrawn_at', 'is', null)
        .orderBy('accepted_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    async insertConsent(row: ConsentRow, trx?: Db): Promise<void> {
      await on(trx).insertInto('worker_consents').values(row).execute();
    },

    async withdrawConsents(workerId: string, kind: string, at: Date): Promise<number> {
      const r = await on()
        .updateTable('worker_consents')
        .set({ withdrawn_at: at })
        .where('worker_id', '=', workerId)
        .where('kind', '=', kind)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
export type WorkersRepository = ReturnType<typeof createWorkersRepository>;
