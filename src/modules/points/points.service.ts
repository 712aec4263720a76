import crypto from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { AccountKind, AccountRow, PointsRepository, TransactionRow } from './points.repository.js';

/** An account by what it belongs to: a worker, a sponsor's budget, or a system purpose. */
export interface AccountRef {
  kind: AccountKind;
  ownerId: string;
}

export const SYSTEM = {
  /** Where awarded points come from (its balance is minus everything ever issued). */
  issuance: { kind: 'system', ownerId: 'issuance' } as AccountRef,
  /** Where redeemed points go. */
  redemption: { kind: 'system', ownerId: 'redemption' } as AccountRef,
  /** Where expired points go. */
  expiry: { kind: 'system', ownerId: 'expiry' } as AccountRef,
};
export const workerAccount = (workerId: string): AccountRef => ({ kind: 'worker', ownerId: workerId });
export const sponsorAccount = (sponsorId: string): AccountRef => ({ kind: 'sponsor', ownerId: sponsorId });

export type TransactionKind = 'award' | 'budget' | 'redeem' | 'refund' | 'clawback' | 'expire' | 'adjust';

export interface Posting {
  cityCode: string;
  kind: TransactionKind;
  reason: string;
  source?: { type: string; id: string };
  /** The caller's key: the same key and the same request post once; a different request → 422. */
  idempotencyKey: string;
  /** Entries; amounts are whole points and sum to zero. */
  lines: { account: AccountRef; amount: number }[];
  createdBy?: string;
  reverses?: string;
  /** The transaction's id, when the caller needs it before posting (default: a new one). */
  id?: string;
}

export interface Posted {
  transactionId: string;
  /** True when this call found the transaction already posted under its key (a retry). */
  replayed: boolean;
}

const accountKey = (a: AccountRef) => `${a.kind}:${a.ownerId}`;

function requestHash(p: Posting): string {
  const canonical = JSON.stringify([p.kind, p.reason, p.source ?? null, p.reverses ?? null, [...p.lines].map((l) => [accountKey(l.account), l.amount]).sort()]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
const isDeadlock = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '40P01';
const isCheckViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23514';

function positive(amount: number, field = 'amount') {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new AppError('points.invalid_amount', `${field} must be a positive whole number`, { errors: [{ field, message: 'must be a positive whole number' }] });
  }
}

/**
 * The points ledger (积分): double-entry postings with idempotency keys. Awards, redemptions, refunds,
 * clawbacks and budgets are all postings; balances are kept on the account rows inside the posting's
 * database transaction (accounts locked in id order) and the database refuses a negative balance, so
 * concurrent spending can never overdraw. `drift()` recomputes every balance from the entries.
 */
export function createPointsService(deps: { repo: PointsRepository; clock: Clock }) {
  const { repo, clock } = deps;

  const newAccount = (cityCode: string, account: AccountRef, now: Date): AccountRow => ({
    id: newId(),
    city_code: cityCode,
    kind: account.kind,
    owner_id: account.ownerId,
    balance: 0,
    allow_negative: account.kind === 'system',
    created_at: now,
  });

  /** Locks the accounts in id order (creating the missing ones first); rows by `kind:ownerId`. */
  async function lockAll(cityCode: string, accounts: AccountRef[], trx: Db): Promise<Map<string, AccountRow>> {
    let locked = await repo.lockAccounts(cityCode, accounts, trx);
    if (locked.length < accounts.length) {
      const have = new Set(locked.map((a) => `${a.kind}:${a.owner_id}`));
      const now = clock.now();
      await repo.ensureAccounts(accounts.filter((a) => !have.has(accountKey(a))).map((a) => newAccount(cityCode, a, now)), trx);
      locked = await repo.lockAccounts(cityCode, accounts, trx);
    }
    return new Map(locked.map((a) => [`${a.kind}:${a.owner_id}`, a]));
  }

  /**
   * Account ids never change and accounts are never deleted, so ids are remembered per process. Ids
   * of accounts created inside a caller's transaction are not remembered (it may still roll back).
   */
  const idCache = new Map<string, string>();
  const ID_CACHE_MAX = 200_000;
  const remember = (cityCode: string, kind: string, ownerId: string, id: string) => {
    if (idCache.size >= ID_CACHE_MAX) idCache.clear();
    idCache.set(`${cityCode}|${kind}:${ownerId}`, id);
  };

  /** The ids of the accounts (creating the missing ones), by `kind:ownerId`. */
  async function accountIds(cityCode: string, accounts: AccountRef[], trx?: Db): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const missing: AccountRef[] = [];
    for (const a of accounts) {
      const id = idCache.get(`${cityCode}|${accountKey(a)}`);
      if (id) out.set(accountKey(a), id);
      else missing.push(a);
    }
    if (!missing.length) return out;
    for (const r of await repo.findAccounts(cityCode, missing, trx)) {
      out.set(`${r.kind}:${r.owner_id}`, r.id);
      remember(cityCode, r.kind, r.owner_id, r.id);
    }
    const still = missing.filter((a) => !out.has(accountKey(a)));
    if (still.length) {
      const now = clock.now();
      await repo.ensureAccounts(still.map((a) => newAccount(cityCode, a, now)), trx);
      for (const r of await repo.findAccounts(cityCode, still, trx)) {
        out.set(`${r.kind}:${r.owner_id}`, r.id);
        if (!trx) remember(cityCode, r.kind, r.owner_id, r.id);
      }
    }
    return out;
  }

  const transactionRow = (p: Posting, hash: string, now: Date): TransactionRow => ({
    id: p.id ?? newId(),
    city_code: p.cityCode,
    kind: p.kind,
    reason: p.reason,
    source_type: p.source?.type ?? null,
    source_id: p.source?.id ?? null,
    idempotency_key: p.idempotencyKey,
    request_hash: hash,
    reverses: p.reverses ?? null,
    created_by: p.createdBy ?? null,
    created_at: now,
  });

  /**
   * The posting's writes: accounts resolved (ids remembered), then ONE statement that moves the
   * balances and writes the transaction and its entries — atomic by itself, or part of the caller's
   * transaction. The database refuses an overdraft (the balance CHECK) and a second posting under
   * the key; in the steady state an award is a single round trip.
   */
  async function write(p: Posting, hash: string, trx?: Db): Promise<Posted> {
    const byAccount = new Map<string, { account: AccountRef; amount: number }>();
    for (const l of p.lines) {
      const k = accountKey(l.account);
      const cur = byAccount.get(k);
      byAccount.set(k, { account: l.account, amount: (cur?.amount ?? 0) + l.amount });
    }
    const ids = await accountIds(p.cityCode, [...byAccount.values()].map((v) => v.account), trx);
    const tx = transactionRow(p, hash, clock.now());
    await repo.writePosting(
      tx,
      p.lines.map((l) => ({ account_id: ids.get(accountKey(l.account))!, amount: l.amount })),
      [...byAccount.values()].filter((v) => v.amount !== 0).map((v) => ({ id: ids.get(accountKey(v.account))!, delta: v.amount })),
      trx,
    );
    return { transactionId: tx.id, replayed: false };
  }

  /**
   * A posting inside a transaction the caller holds (e.g. a redemption that also takes stock): all or
   * nothing with the caller's other writes. A retried key returns the earlier posting. `fresh`: the
   * caller already knows the key is new (its own row under the same lock says so): skip the look-up.
   * An overdraft fails the caller's transaction (23514; callers map it to points.insufficient_balance).
   */
  async function postIn(p: Posting, trx: Db, opts: { fresh?: boolean } = {}): Promise<Posted> {
    if (p.lines.reduce((s, l) => s + l.amount, 0) !== 0) throw new Error('entries of a posting must sum to zero');
    const hash = requestHash(p);
    if (!opts.fresh) {
      const existing = await repo.findByKey(p.cityCode, p.idempotencyKey, trx);
      if (existing) return replay(existing, hash);
    }
    return write(p, hash, trx);
  }

  async function post(p: Posting): Promise<Posted> {
    if (!p.lines.length) throw new Error('a posting needs entries');
    for (const l of p.lines) if (!Number.isSafeInteger(l.amount) || l.amount === 0) throw new Error(`bad entry amount ${l.amount}`);
    if (p.lines.reduce((s, l) => s + l.amount, 0) !== 0) throw new Error('entries of a posting must sum to zero');
    const hash = requestHash(p);
    return new Promise<Posted>((resolve, reject) => {
      queue.push({ p, hash, resolve, reject });
      if (!flushing) {
        flushing = true;
        // a turn of the event loop lets the callers of this moment join the first batch
        setImmediate(() => void drain());
      }
    });
  }

  /** One posting on its own (a statement of its own): the path of a batch that failed. */
  async function postOne(p: Posting, hash: string): Promise<Posted> {
    // No look-up first: a retry is rare, and the key's uniqueness finds it (the write fails, nothing is kept).
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await write(p, hash);
        } catch (e) {
          // two postings updating the same accounts in another order (not ours: we update in id order)
          if (attempt < 3 && isDeadlock(e)) continue;
          throw e;
        }
      }
    } catch (e) {
      // posted before (a retry, maybe after the balance moved on), or concurrently: the earlier one stands
      const insufficient = isCheckViolation(e) || (e instanceof AppError && e.code === 'points.insufficient_balance');
      if (isUniqueViolation(e) || insufficient) {
        const earlier = await repo.findByKey(p.cityCode, p.idempotencyKey);
        if (earlier) return replay(earlier, hash);
      }
      if (isUniqueViolation(e) && p.reverses) throw new AppError('points.already_reversed', 'This transaction was already reversed');
      // the database's own guard against a negative balance
      if (isCheckViolation(e)) throw new AppError('points.insufficient_balance', 'Not enough points');
      throw e;
    }
  }

  /**
   * Group commit: postings made outside a caller's transaction queue here and are written together,
   * one statement per batch (one commit instead of one each); a caller's promise settles only after
   * its batch committed. A batch must be valid in any order, so a key already in the batch, or an
   * account that would be both debited and credited in it (a negative balance hidden by the sum),
   * waits for the next batch. A batch that fails (an overdraft, anything) is written again one
   * posting at a time, so each caller gets its own outcome.
   */
  interface Queued {
    p: Posting;
    hash: string;
    resolve: (r: Posted) => void;
    reject: (e: unknown) => void;
  }
  const BATCH_MAX = 200;
  let queue: Queued[] = [];
  let flushing = false;

  async function drain(): Promise<void> {
    try {
      while (queue.length) {
        const batch: Queued[] = [];
        const later: Queued[] = [];
        const keys = new Set<string>();
        const signs = new Map<string, number>();
        for (const q of queue) {
          if (batch.length >= BATCH_MAX) {
            later.push(q);
            continue;
          }
          const key = `${q.p.cityCode}|${q.p.idempotencyKey}`;
          const net = new Map<string, number>();
          for (const l of q.p.lines) if (l.account.kind !== 'system') net.set(accountKey(l.account), (net.get(accountKey(l.account)) ?? 0) + l.amount);
          const mixed = [...net].some(([k, v]) => v !== 0 && (signs.get(`${q.p.cityCode}|${k}`) ?? Math.sign(v)) !== Math.sign(v));
          if (keys.has(key) || mixed) {
            later.push(q);
            continue;
          }
          keys.add(key);
          for (const [k, v] of net) if (v !== 0) signs.set(`${q.p.cityCode}|${k}`, Math.sign(v));
          batch.push(q);
        }
        queue = later;
        // flush settles every caller itself; this only guards against a promise left hanging
        await flush(batch).catch((e: unknown) => batch.forEach((q) => q.reject(e)));
      }
    } finally {
      flushing = false;
      if (queue.length) {
        flushing = true;
        setImmediate(() => void drain());
      }
    }
  }

  async function flush(batch: Queued[]): Promise<void> {
    let inserted: Set<string> | undefined;
    let rows: TransactionRow[] = [];
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const built = await buildBatch(batch.map((q) => q.p), batch.map((q) => q.hash));
          rows = built.txs;
          inserted = await repo.writePostings(built.txs, built.entries);
          break;
        } catch (e) {
          if (attempt < 3 && isDeadlock(e)) continue;
          throw e;
        }
      }
    } catch {
      // each posting on its own, in order: an overdraft or a bad posting fails only its caller
      for (const q of batch) await postOne(q.p, q.hash).then(q.resolve, q.reject);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const q = batch[i]!;
      if (inserted.has(rows[i]!.id)) {
        q.resolve({ transactionId: rows[i]!.id, replayed: false });
        continue;
      }
      // its key was posted before: the earlier posting stands
      try {
        const earlier = await repo.findByKey(q.p.cityCode, q.p.idempotencyKey);
        q.resolve(earlier ? replay(earlier, q.hash) : await postOne(q.p, q.hash));
      } catch (e) {
        q.reject(e);
      }
    }
  }

  /** The rows of a batch: accounts resolved per city (ids remembered), one transaction per posting. */
  async function buildBatch(ps: Posting[], hashes: string[]) {
    const byCity = new Map<string, Map<string, AccountRef>>();
    for (const p of ps) {
      const m = byCity.get(p.cityCode) ?? new Map<string, AccountRef>();
      for (const l of p.lines) m.set(accountKey(l.account), l.account);
      byCity.set(p.cityCode, m);
    }
    const ids = new Map<string, Map<string, string>>();
    for (const [city, accounts] of byCity) ids.set(city, await accountIds(city, [...accounts.values()]));
    const now = clock.now();
    const txs: TransactionRow[] = [];
    const entries: { transaction_id: string; account_id: string; amount: number }[] = [];
    ps.forEach((p, i) => {
      const tx = transactionRow(p, hashes[i]!, now);
      txs.push(tx);
      for (const l of p.lines) entries.push({ transaction_id: tx.id, account_id: ids.get(p.cityCode)!.get(accountKey(l.account))!, amount: l.amount });
    });
    return { txs, entries };
  }

  function replay(existing: TransactionRow, hash: string): Posted {
    if (existing.request_hash !== hash) {
      throw new AppError('points.idempotency_conflict', 'This idempotency key was used for a different posting');
    }
    return { transactionId: existing.id, replayed: true };
  }

  async function balanceOf(cityCode: string, account: AccountRef): Promise<number> {
    const row = await repo.findAccount(cityCode, account.kind, account.ownerId);
    return row ? Number(row.balance) : 0;
  }

  /**
   * Creates missing accounts and locks them for the caller's transaction in one statement, in id
   * order (the order every posting locks in, so callers that read balances first never deadlock);
   * returns their balances by `kind:ownerId`.
   */
  async function lockBalances(cityCode: string, refs: AccountRef[], trx: Db): Promise<Map<string, number>> {
    const unique = [...new Map(refs.map((r) => [accountKey(r), r])).values()];
    const rows = await lockAll(cityCode, unique, trx);
    return new Map([...rows].map(([k, a]) => [k, Number(a.balance)]));
  }

  return {
    post,
    postIn,
    balanceOf,
    lockBalances,
    accountKey,
    /** Runs fn in one database transaction (for postIn with other writes of this module). */
    transaction: <T>(fn: (trx: Db) => Promise<T>) => repo.transaction(fn),

    /** Points to a worker, from the system's issuance or from a sponsor's budget. */
    async award(a: { cityCode: string; workerId: string; amount: number; reason: string; source?: { type: string; id: string }; idempotencyKey: string; from?: AccountRef; createdBy?: string }) {
      positive(a.amount);
      const from = a.from ?? SYSTEM.issuance;
      return post({
        cityCode: a.cityCode,
        kind: 'award',
        reason: a.reason,
        source: a.source,
        idempotencyKey: a.idempotencyKey,
        createdBy: a.createdBy,
        lines: [
          { account: from, amount: -a.amount },
          { account: workerAccount(a.workerId), amount: a.amount },
        ],
      });
    },

    /** A worker spends points (a redemption): refused with nothing changed if the balance is short. */
    async spend(a: { cityCode: string; workerId: string; amount: number; reason: string; source?: { type: string; id: string }; idempotencyKey: string }) {
      positive(a.amount);
      return post({
        cityCode: a.cityCode,
        kind: 'redeem',
        reason: a.reason,
        source: a.source,
        idempotencyKey: a.idempotencyKey,
        lines: [
          { account: workerAccount(a.workerId), amount: -a.amount },
          { account: SYSTEM.redemption, amount: a.amount },
        ],
      });
    },

    /**
     * Reverses a posting with a reason (a clawback of a fraudulent award, the refund of a cancelled
     * redemption). A worker's account is never taken below zero: what the worker no longer has is
     * reported as `shortfall` and left out of the reversal.
     */
    async reverse(r: { cityCode: string; transactionId: string; kind: 'clawback' | 'refund'; reason: string; idempotencyKey: string; createdBy?: string }): Promise<Posted & { shortfall: number }> {
      const original = await repo.findTransaction(r.transactionId);
      if (!original || original.city_code !== r.cityCode) throw new AppError('points.not_found', 'No such points transaction');
      const earlier = await repo.reversalOf(original.id);
      if (earlier) {
        if (earlier.idempotency_key === r.idempotencyKey) return { transactionId: earlier.id, replayed: true, shortfall: 0 };
        throw new AppError('points.already_reversed', 'This transaction was already reversed');
      }
      const entries = await repo.entriesOf(original.id);
      const accounts = new Map<string, AccountRef>();
      for (const e of entries) {
        if (accounts.has(e.account_id)) continue;
        const row = await repo.findAccountById(e.account_id);
        accounts.set(e.account_id, { kind: row!.kind, ownerId: row!.owner_id });
      }
      let shortfall = 0;
      const lines: { account: AccountRef; amount: number }[] = [];
      for (const e of entries) {
        const account = accounts.get(e.account_id)!;
        let amount = -Number(e.amount);
        if (account.kind === 'worker' && amount < 0) {
          const available = await balanceOf(r.cityCode, account);
          const take = Math.min(-amount, available);
          shortfall += -amount - take;
          amount = -take;
        }
        if (amount !== 0) lines.push({ account, amount });
      }
      // keep the reversal balanced: what a worker could not give back stays with the counter-account
      const sum = lines.reduce((s, l) => s + l.amount, 0);
      if (sum !== 0) {
        const counter = lines.find((l) => l.account.kind !== 'worker' && l.amount > 0);
        if (counter) counter.amount -= sum;
      }
      const effective = lines.filter((l) => l.amount !== 0);
      if (!effective.length) return { transactionId: original.id, replayed: false, shortfall };
      const posted = await post({ cityCode: r.cityCode, kind: r.kind, reason: r.reason, idempotencyKey: r.idempotencyKey, lines: effective, reverses: original.id, createdBy: r.createdBy, source: original.source_type ? { type: original.source_type, id: original.source_id! } : undefined });
      return { ...posted, shortfall };
    },

    /** A worker's balance and movements, newest first. */
    async history(cityCode: string, workerId: string, page = 1, pageSize = 20) {
      const account = await repo.findAccount(cityCode, 'worker', workerId);
      if (!account) return { balance: 0, items: [], total: 0, page, pageSize };
      const { rows, total } = await repo.history(account.id, pageSize, (page - 1) * pageSize);
      return {
        balance: Number(account.balance),
        items: rows.map((r) => ({ id: String(r.id), transactionId: r.transaction_id, amount: Number(r.amount), at: r.created_at.toISOString(), kind: r.kind, reason: r.reason, source: r.source_type ? { type: r.source_type, id: r.source_id! } : null })),
        total,
        page,
        pageSize,
      };
    },

    /** Recomputes every balance from the entries: zero drift means nothing is returned. */
    async drift() {
      const d = await repo.drift();
      return {
        accounts: d.accounts.map((a) => ({ id: a.id, stored: Number(a.balance), computed: Number(a.computed) })),
        unbalancedTransactions: d.transactions.map((t) => ({ id: t.transaction_id, total: Number(t.total) })),
        checkedAccounts: d.checked.accounts,
        checkedEntries: d.checked.entries,
      };
    },
  };
}
export type PointsService = ReturnType<typeof createPointsService>;
