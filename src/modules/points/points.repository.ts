import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export type AccountKind = 'worker' | 'sponsor' | 'system';

export interface AccountRow {
  id: string;
  city_code: string;
  kind: AccountKind;
  owner_id: string;
  balance: number;
  allow_negative: boolean;
  created_at: Date;
}

export interface TransactionRow {
  id: string;
  city_code: string;
  kind: string;
  reason: string;
  source_type: string | null;
  source_id: string | null;
  idempotency_key: string;
  request_hash: string;
  reverses: string | null;
  created_by: string | null;
  created_at: Date;
}

export interface EntryRow {
  id: number;
  transaction_id: string;
  account_id: string;
  amount: number;
  created_at: Date;
}

type Tables = {
  points_accounts: AccountRow;
  points_transactions: TransactionRow;
  points_entries: Omit<EntryRow, 'id'> & { id?: number };
};

/** The only code that touches the points tables. */
export function createPointsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    async ensureAccount(row: AccountRow, trx?: Db): Promise<void> {
      await on(trx).insertInto('points_accounts').values(row).onConflict((oc) => oc.columns(['city_code', 'kind', 'owner_id']).doNothing()).execute();
    },

    /** The accounts, locked for this transaction in id order (so two postings never deadlock). */
    async lockAccounts(cityCode: string, keys: { kind: AccountKind; ownerId: string }[], trx: Db): Promise<AccountRow[]> {
      if (!keys.length) return [];
      const rows = await sql<AccountRow>`
        select * from points_accounts
        where city_code = ${cityCode}
          and (kind, owner_id) in (${sql.join(keys.map((k) => sql`(${k.kind}, ${k.ownerId})`))})
        order by id
        for update`.execute(trx);
      return rows.rows;
    },

    async findAccount(cityCode: string, kind: AccountKind, ownerId: string, trx?: Db): Promise<AccountRow | undefined> {
      return on(trx).selectFrom('points_accounts').selectAll().where('city_code', '=', cityCode).where('kind', '=', kind).where('owner_id', '=', ownerId).executeTakeFirst();
    },

    async findAccountById(id: string, trx?: Db): Promise<AccountRow | undefined> {
      return on(trx).selectFrom('points_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findByKey(cityCode: string, key: string, trx?: Db): Promise<TransactionRow | undefined> {
      return on(trx).selectFrom('points_transactions').selectAll().where('city_code', '=', cityCode).where('idempotency_key', '=', key).executeTakeFirst();
    },

    async findTransaction(id: string, trx?: Db): Promise<TransactionRow | undefined> {
      return on(trx).selectFrom('points_transactions').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async reversalOf(transactionId: string, trx?: Db): Promise<TransactionRow | undefined> {
      return on(trx).selectFrom('points_transactions').selectAll().where('reverses', '=', transactionId).executeTakeFirst();
    },

    async entriesOf(transactionId: string, trx?: Db): Promise<EntryRow[]> {
      return (await on(trx).selectFrom('points_entries').selectAll().where('transaction_id', '=', transactionId).orderBy('id').execute()) as EntryRow[];
    },

    async insertTransaction(row: TransactionRow, trx: Db): Promise<void> {
      await on(trx).insertInto('points_transactions').values(row).execute();
    },

    async insertEntries(rows: Omit<EntryRow, 'id'>[], trx: Db): Promise<void> {
      if (rows.length) await on(trx).insertInto('points_entries').values(rows).execute();
    },

    async addToBalance(accountId: string, delta: number, trx: Db): Promise<void> {
      await sql`update points_accounts set balance = balance + ${delta} where id = ${accountId}`.execute(trx);
    },

    /** A worker's movements, newest first, with the transaction's reason and source. */
    async history(accountId: string, limit: number, offset: number) {
      const rows = await sql<{ id: number; amount: number; created_at: Date; transaction_id: string; kind: string; reason: string; source_type: string | null; source_id: string | null }>`
        select e.id, e.amount, e.created_at, t.id as transaction_id, t.kind, t.reason, t.source_type, t.source_id
        from points_entries e join points_transactions t on t.id = e.transaction_id
        where e.account_id = ${accountId}
        order by e.id desc
        limit ${limit} offset ${offset}`.execute(database);
      const total = await sql<{ n: number }>`select count(*)::int as n from points_entries where account_id = ${accountId}`.execute(database);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    /** Accounts whose stored balance differs from the sum of their entries, and unbalanced transactions. */
    async drift() {
      const accounts = await sql<{ id: string; balance: number; computed: number }>`
        select a.id, a.balance, coalesce(sum(e.amount), 0)::bigint as computed
        from points_accounts a left join points_entries e on e.account_id = a.id
        group by a.id, a.balance
        having a.balance <> coalesce(sum(e.amount), 0)`.execute(database);
      const transactions = await sql<{ transaction_id: string; total: number }>`
        select transaction_id, sum(amount)::bigint as total from points_entries group by transaction_id having sum(amount) <> 0`.execute(database);
      const counts = await sql<{ accounts: number; entries: number }>`
        select (select count(*)::int from points_accounts) as accounts, (select count(*)::int from points_entries) as entries`.execute(database);
      return { accounts: accounts.rows, transactions: transactions.rows, checked: counts.rows[0]! };
    },
  };
}
export type PointsRepository = ReturnType<typeof createPointsRepository>;
