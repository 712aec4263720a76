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

    /** The ids of some accounts (those that exist), without locking them. */
    async findAccounts(cityCode: string, keys: { kind: AccountKind; ownerId: string }[], trx?: Db): Promise<Pick<AccountRow, 'id' | 'kind' | 'owner_id'>[]> {
      if (!keys.length) return [];
      const rows = await sql<Pick<AccountRow, 'id' | 'kind' | 'owner_id'>>`
        select id, kind, owner_id from points_accounts
        where city_code = ${cityCode} and (kind, owner_id) in (${sql.join(keys.map((k) => sql`(${k.kind}, ${k.ownerId})`))})`.execute(trx ?? database);
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

    /** Creates the accounts that do not exist yet (one statement). */
    async ensureAccounts(rows: AccountRow[], trx?: Db): Promise<void> {
      if (rows.length) await on(trx).insertInto('points_accounts').values(rows).onConflict((oc) => oc.columns(['city_code', 'kind', 'owner_id']).doNothing()).execute();
    },

    /**
     * A posting's writes in ONE statement (one round trip, atomic on its own): the balance changes
     * (account rows updated in id order, so two postings never wait on each other in a cycle), the
     * transaction and its entries. The balance CHECK refuses an overdraft (23514) and the key's
     * uniqueness a second posting (23505), failing the whole statement.
     */
    async writePosting(tx: TransactionRow, entries: { account_id: string; amount: number }[], deltas: { id: string; delta: number }[], trx?: Db): Promise<void> {
      const sorted = [...deltas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await sql`
        with t as (
          insert into points_transactions (id, city_code, kind, reason, source_type, source_id, idempotency_key, request_hash, reverses, created_by, created_at)
          values (${tx.id}, ${tx.city_code}, ${tx.kind}, ${tx.reason}, ${tx.source_type}, ${tx.source_id}, ${tx.idempotency_key}, ${tx.request_hash}, ${tx.reverses}, ${tx.created_by}, ${tx.created_at})
          returning id
        ), e as (
          insert into points_entries (transaction_id, account_id, amount, created_at)
          select t.id, u.account_id, u.amount, ${tx.created_at}::timestamptz
          from t, unnest(${entries.map((x) => x.account_id)}::uuid[], ${entries.map((x) => x.amount)}::bigint[]) with ordinality as u(account_id, amount, n)
          order by u.n
        )
        update points_accounts a set balance = a.balance + d.delta
        from (select * from unnest(${sorted.map((x) => x.id)}::uuid[], ${sorted.map((x) => x.delta)}::bigint[]) as u(id, delta) order by u.id) as d
        where a.id = d.id`.execute(trx ?? database);
    },

    /**
     * Many postings' writes in ONE statement (group commit): the transactions (a key already posted is
     * skipped, not an error), the entries of those inserted, and each account's balance moved once by
     * the sum of its deltas (rows updated in id order). The balance CHECK fails the whole statement.
     * Returns the ids of the transactions inserted.
     */
    async writePostings(txs: TransactionRow[], entries: { transaction_id: string; account_id: string; amount: number }[], trx?: Db): Promise<Set<string>> {
      const col = <K extends keyof TransactionRow>(k: K) => txs.map((t) => t[k]);
      const r = await sql<{ id: string }>`
        with t as (
          insert into points_transactions (id, city_code, kind, reason, source_type, source_id, idempotency_key, request_hash, reverses, created_by, created_at)
          select u.id, u.city_code, u.kind, u.reason, u.source_type, u.source_id, u.idempotency_key, u.request_hash, u.reverses, u.created_by, u.created_at
          from unnest(${col('id')}::uuid[], ${col('city_code')}::text[], ${col('kind')}::text[], ${col('reason')}::text[], ${col('source_type')}::text[], ${col('source_id')}::text[],
                      ${col('idempotency_key')}::text[], ${col('request_hash')}::text[], ${col('reverses')}::uuid[], ${col('created_by')}::text[], ${col('created_at')}::timestamptz[])
            with ordinality as u(id, city_code, kind, reason, source_type, source_id, idempotency_key, request_hash, reverses, created_by, created_at, n)
          order by u.n
          on conflict (city_code, idempotency_key) do nothing
          returning id, created_at
        ), x as (
          select x.transaction_id, x.account_id, x.amount, x.n, t.created_at
          from unnest(${entries.map((e) => e.transaction_id)}::uuid[], ${entries.map((e) => e.account_id)}::uuid[], ${entries.map((e) => e.amount)}::bigint[])
            with ordinality as x(transaction_id, account_id, amount, n)
          join t on t.id = x.transaction_id
        ), e as (
          insert into points_entries (transaction_id, account_id, amount, created_at)
          select transaction_id, account_id, amount, created_at from x order by n
        ), b as (
          update points_accounts a set balance = a.balance + d.delta
          from (select account_id as id, sum(amount)::bigint as delta from x group by account_id having sum(amount) <> 0 order by account_id) as d
          where a.id = d.id
        )
        select id from t`.execute(trx ?? database);
      return new Set(r.rows.map((x) => x.id));
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

    /** Balance, money in and money out of some accounts of one kind. */
    async flowsOf(cityCode: string, kind: AccountKind, ownerIds: string[]) {
      if (!ownerIds.length) return [];
      const r = await sql<{ owner_id: string; balance: number; credits: number; debits: number }>`
        select a.owner_id, a.balance,
          coalesce(sum(e.amount) filter (where e.amount > 0), 0)::bigint as credits,
          coalesce(-sum(e.amount) filter (where e.amount < 0), 0)::bigint as debits
        from points_accounts a left join points_entries e on e.account_id = a.id
        where a.city_code = ${cityCode} and a.kind = ${kind} and a.owner_id in (${sql.join(ownerIds)})
        group by a.owner_id, a.balance`.execute(database);
      return r.rows.map((x) => ({ ownerId: x.owner_id, balance: Number(x.balance), credits: Number(x.credits), debits: Number(x.debits) }));
    },

    // ---------------- the admin ledger, the export and expiry

    /** A city's transactions, newest first, optionally of one month, one kind, one account. */
    async listTransactions(cityCode: string, q: { from?: Date; to?: Date; kind?: string; accountId?: string; limit: number; offset: number }) {
      const where = [sql`t.city_code = ${cityCode}`];
      if (q.from) where.push(sql`t.created_at >= ${q.from}`);
      if (q.to) where.push(sql`t.created_at < ${q.to}`);
      if (q.kind) where.push(sql`t.kind = ${q.kind}`);
      if (q.accountId) where.push(sql`exists (select 1 from points_entries x where x.transaction_id = t.id and x.account_id = ${q.accountId})`);
      const cond = sql.join(where, sql` and `);
      const rows = await sql<TransactionRow>`
        select t.* from points_transactions t where ${cond} order by t.created_at desc, t.id limit ${q.limit} offset ${q.offset}`.execute(database);
      const total = await sql<{ n: number }>`select count(*)::int as n from points_transactions t where ${cond}`.execute(database);
      return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
    },

    /** A month's transactions in time order (the export), in pages. */
    async transactionsBetween(cityCode: string, from: Date, to: Date, after: { at: Date; id: string } | undefined, limit: number): Promise<TransactionRow[]> {
      const cursor = after ? sql`and (t.created_at, t.id) > (${after.at}, ${after.id})` : sql``;
      const r = await sql<TransactionRow>`
        select t.* from points_transactions t
        where t.city_code = ${cityCode} and t.created_at >= ${from} and t.created_at < ${to} ${cursor}
        order by t.created_at, t.id limit ${limit}`.execute(database);
      return r.rows;
    },

    /** Entries of some transactions with their accounts. */
    async entriesWithAccounts(transactionIds: string[]) {
      if (!transactionIds.length) return [];
      const r = await sql<{ transaction_id: string; amount: number; account_id: string; kind: AccountKind; owner_id: string }>`
        select e.transaction_id, e.amount, a.id as account_id, a.kind, a.owner_id
        from points_entries e join points_accounts a on a.id = e.account_id
        where e.transaction_id in (${sql.join(transactionIds)}) order by e.id`.execute(database);
      return r.rows.map((x) => ({ ...x, amount: Number(x.amount) }));
    },

    async reversalsOf(transactionIds: string[]): Promise<Map<string, string>> {
      if (!transactionIds.length) return new Map();
      const r = await sql<{ id: string; reverses: string }>`select id, reverses from points_transactions where reverses in (${sql.join(transactionIds)})`.execute(database);
      return new Map(r.rows.map((x) => [x.reverses, x.id]));
    },

    /** Sums of a period's entries by transaction kind and account kind/owner (the summary). */
    async periodFlows(cityCode: string, from: Date, to: Date) {
      const r = await sql<{ tx_kind: string; account_kind: AccountKind; owner_id: string; positive: number; negative: number; n: number }>`
        select t.kind as tx_kind, a.kind as account_kind, case when a.kind = 'system' then a.owner_id else '' end as owner_id,
          coalesce(sum(e.amount) filter (where e.amount > 0), 0)::bigint as positive,
          coalesce(sum(e.amount) filter (where e.amount < 0), 0)::bigint as negative,
          count(distinct t.id)::int as n
        from points_transactions t join points_entries e on e.transaction_id = t.id join points_accounts a on a.id = e.account_id
        where t.city_code = ${cityCode} and t.created_at >= ${from} and t.created_at < ${to}
        group by 1, 2, 3`.execute(database);
      const count = await sql<{ n: number }>`
        select count(*)::int as n from points_transactions where city_code = ${cityCode} and created_at >= ${from} and created_at < ${to}`.execute(database);
      return { flows: r.rows.map((x) => ({ ...x, positive: Number(x.positive), negative: Number(x.negative) })), transactions: Number(count.rows[0]?.n ?? 0) };
    },

    /** Worker and sponsor balances as they stood at an instant. */
    async balancesAt(cityCode: string, at: Date): Promise<{ worker: number; sponsor: number }> {
      const r = await sql<{ kind: AccountKind; total: number }>`
        select a.kind, coalesce(sum(e.amount), 0)::bigint as total
        from points_accounts a join points_entries e on e.account_id = a.id
        where a.city_code = ${cityCode} and a.kind in ('worker', 'sponsor') and e.created_at < ${at}
        group by a.kind`.execute(database);
      const by = new Map(r.rows.map((x) => [x.kind, Number(x.total)]));
      return { worker: by.get('worker') ?? 0, sponsor: by.get('sponsor') ?? 0 };
    },

    /**
     * For expiry (first in, first out): per worker account with a positive balance, its balance, the
     * points awarded before `before`, and all points ever awarded. Keyset pages by owner id.
     */
    async expiryCandidates(cityCode: string, before: Date, afterOwner: string, limit: number, ownerId?: string) {
      const one = ownerId ? sql`and a.owner_id = ${ownerId}` : sql``;
      const r = await sql<{ owner_id: string; balance: number; early: number; total: number }>`
        with page as (
          select id, owner_id, balance from points_accounts a
          where a.city_code = ${cityCode} and a.kind = 'worker' and a.balance > 0 and a.owner_id > ${afterOwner} ${one}
          order by a.owner_id limit ${limit}
        )
        select p.owner_id, p.balance,
          coalesce(sum(e.amount) filter (where t.kind = 'award' and e.amount > 0 and e.created_at < ${before}), 0)::bigint as early,
          coalesce(sum(e.amount) filter (where t.kind = 'award' and e.amount > 0), 0)::bigint as total
        from page p
        left join points_entries e on e.account_id = p.id
        left join points_transactions t on t.id = e.transaction_id
        group by p.owner_id, p.balance order by p.owner_id`.execute(database);
      return r.rows.map((x) => ({ ownerId: x.owner_id, balance: Number(x.balance), early: Number(x.early), total: Number(x.total) }));
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
