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

  /** The posting's writes inside the caller's database transaction (accounts locked in id order). */
  async function postWithin(p: Posting, hash: string, trx: Db): Promise<Posted> {
    const now = clock.now();
    // merge lines per account, create missing accounts, then lock them all in id order
    const byAccount = new Map<string, { account: AccountRef; amount: number }>();
    for (const l of p.lines) {
      const k = accountKey(l.account);
      const cur = byAccount.get(k);
      byAccount.set(k, { account: l.account, amount: (cur?.amount ?? 0) + l.amount });
    }
    for (const { account } of byAccount.values()) {
      await repo.ensureAccount(
        { id: newId(), city_code: p.cityCode, kind: account.kind, owner_id: account.ownerId, balance: 0, allow_negative: account.kind === 'system', created_at: now },
        trx,
      );
    }
    const locked = await repo.lockAccounts(p.cityCode, [...byAccount.values()].map((v) => v.account), trx);
    const rowOf = new Map<string, AccountRow>(locked.map((a) => [`${a.kind}:${a.owner_id}`, a]));
    for (const { account, amount } of byAccount.values()) {
      const row = rowOf.get(accountKey(account))!;
      if (!row.allow_negative && Number(row.balance) + amount < 0) {
        throw new AppError('points.insufficient_balance', `Account ${accountKey(account)} has ${row.balance}, needs ${-amount}`);
      }
    }
    const tx: TransactionRow = {
      id: newId(),
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
    };
    await repo.insertTransaction(tx, trx);
    await repo.insertEntries(
      p.lines.map((l) => ({ transaction_id: tx.id, account_id: rowOf.get(accountKey(l.account))!.id, amount: l.amount, created_at: now })),
      trx,
    );
    for (const { account, amount } of byAccount.values()) if (amount !== 0) await repo.addToBalance(rowOf.get(accountKey(account))!.id, amount, trx);
    return { transactionId: tx.id, replayed: false };
  }

  /**
   * A posting inside a transaction the caller holds (e.g. a redemption that also takes stock): all or
   * nothing with the caller's other writes. A retried key returns the earlier posting.
   */
  async function postIn(p: Posting, trx: Db): Promise<Posted> {
    if (p.lines.reduce((s, l) => s + l.amount, 0) !== 0) throw new Error('entries of a posting must sum to zero');
    const hash = requestHash(p);
    const existing = await repo.findByKey(p.cityCode, p.idempotencyKey, trx);
    if (existing) return replay(existing, hash);
    return postWithin(p, hash, trx);
  }

  async function post(p: Posting): Promise<Posted> {
    if (!p.lines.length) throw new Error('a posting needs entries');
    for (const l of p.lines) if (!Number.isSafeInteger(l.amount) || l.amount === 0) throw new Error(`bad entry amount ${l.amount}`);
    if (p.lines.reduce((s, l) => s + l.amount, 0) !== 0) throw new Error('entries of a posting must sum to zero');
    const hash = requestHash(p);

    const existing = await repo.findByKey(p.cityCode, p.idempotencyKey);
    if (existing) return replay(existing, hash);

    try {
      return await repo.transaction((trx) => postWithin(p, hash, trx));
    } catch (e) {
      // the same key posted concurrently: the other one won, this is its retry
      if (isUniqueViolation(e)) {
        const winner = await repo.findByKey(p.cityCode, p.idempotencyKey);
        if (winner) return replay(winner, hash);
        if (p.reverses) throw new AppError('points.already_reversed', 'This transaction was already reversed');
      }
      // the database's own guard against a negative balance
      if (isCheckViolation(e)) throw new AppError('points.insufficient_balance', 'Not enough points');
      throw e;
    }
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

  return {
    post,
    postIn,
    balanceOf,
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
        items: rows.map((r) => ({ id: String(r.id), amount: Number(r.amount), at: r.created_at.toISOString(), kind: r.kind, reason: r.reason, source: r.source_type ? { type: r.source_type, id: r.source_id! } : null })),
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
