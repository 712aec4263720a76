import ExcelJS from 'exceljs';
import type { Clock } from '../../shared/clock.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import type { ClawbackResult, DriftReport, LedgerEntry, LedgerSummary, LedgerTransaction, TransactionKind, TransactionsQuery } from '../../contracts/points.js';
import { AppError } from '../../shared/errors.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import type { EarningService, PointsWorkers } from './earning.service.js';
import { requireCityOperator } from './points.access.js';
import type { AccountKind, PointsRepository, TransactionRow } from './points.repository.js';
import { SYSTEM, workerAccount, type PointsService } from './points.service.js';
import { addMonths, monthRange, shanghaiDateTime, shanghaiMonth } from '../../shared/shanghai-time.js';

const SYSTEM_LABELS: Record<string, string> = { issuance: '系统·积分发行', redemption: '系统·兑换', expiry: '系统·过期' };
export const KIND_LABELS: Record<TransactionKind, string> = { award: '发放', budget: '赞助预算', redeem: '兑换', refund: '退回', clawback: '追回', expire: '过期', adjust: '调整' };
export const LEDGER_COLUMNS = ['时间（北京时间）', '交易编号', '类型', '事由', '来源', '账户', '积分'] as const;

type EntryWithAccount = Awaited<ReturnType<PointsRepository['entriesWithAccounts']>>[number];

/**
 * The city's books: the transactions list, clawbacks with a reason, the month's summary and its
 * XLSX export, the drift check, and point expiry (first in, first out). Only an operator of the
 * whole city reads and acts on the ledger.
 */
export function createLedgerService(deps: {
  repo: PointsRepository;
  points: PointsService;
  earning: Pick<EarningService, 'recordClawback' | 'settingsOf'>;
  workers: PointsWorkers;
  sponsors: { names(cityCode: string, ids: string[]): Promise<Map<string, string>> };
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
}) {
  const { repo, points, earning, workers, sponsors, audit, clock } = deps;

  /** Labels for accounts: masked workers, sponsor names, system purposes. */
  async function labeller(cityCode: string, entries: EntryWithAccount[], cache = new Map<string, string>()) {
    const sponsorIds = [...new Set(entries.filter((e) => e.kind === 'sponsor' && !cache.has(`sponsor:${e.owner_id}`)).map((e) => e.owner_id))];
    for (const [id, name] of await sponsors.names(cityCode, sponsorIds)) cache.set(`sponsor:${id}`, `赞助方 ${name}`);
    for (const e of entries) {
      const key = `${e.kind}:${e.owner_id}`;
      if (cache.has(key)) continue;
      if (e.kind === 'system') cache.set(key, SYSTEM_LABELS[e.owner_id] ?? `系统·${e.owner_id}`);
      else if (e.kind === 'worker') {
        const w = await workers.getWorkerSummary(e.owner_id);
        cache.set(key, w ? `骑手 ${w.nameMasked ?? ''} ${w.phoneMasked}`.replace(/\s+/g, ' ').trim() : `骑手 ${e.owner_id.slice(0, 8)}`);
      } else cache.set(key, `赞助方 ${e.owner_id.slice(0, 8)}`);
    }
    return (e: { kind: AccountKind; owner_id: string }) => cache.get(`${e.kind}:${e.owner_id}`)!;
  }

  const sourceText = (t: TransactionRow) => (t.source_type ? `${t.source_type}:${t.source_id}` : '');

  async function toTransactions(cityCode: string, rows: TransactionRow[]): Promise<LedgerTransaction[]> {
    const ids = rows.map((r) => r.id);
    const entries = await repo.entriesWithAccounts(ids);
    const reversals = await repo.reversalsOf(ids);
    const label = await labeller(cityCode, entries);
    const byTx = new Map<string, LedgerEntry[]>();
    for (const e of entries) {
      const list = byTx.get(e.transaction_id) ?? [];
      list.push({ account: { kind: e.kind, id: e.account_id, label: label(e) }, amount: e.amount });
      byTx.set(e.transaction_id, list);
    }
    return rows.map((t) => {
      const list = byTx.get(t.id) ?? [];
      return {
        id: t.id,
        at: t.created_at.toISOString(),
        kind: t.kind as TransactionKind,
        reason: t.reason,
        source: t.source_type ? { type: t.source_type, id: t.source_id! } : null,
        amount: list.reduce((s, e) => s + (e.amount > 0 ? e.amount : 0), 0),
        entries: list,
        createdBy: t.created_by,
        reverses: t.reverses,
        reversedBy: reversals.get(t.id) ?? null,
        canClawBack: t.kind === 'award' && !reversals.has(t.id),
      };
    });
  }

  async function summary(cityCode: string, month: string): Promise<LedgerSummary> {
    const { start, end } = monthRange(month);
    const { flows, transactions } = await repo.periodFlows(cityCode, start, end);
    const sum = (txKind: string, accountKind: AccountKind, sign: 'positive' | 'negative', owner?: string) =>
      flows.filter((f) => f.tx_kind === txKind && f.account_kind === accountKind && (owner === undefined || f.owner_id === owner)).reduce((s, f) => s + Math.abs(f[sign]), 0);
    const refunded = sum('refund', 'worker', 'positive');
    const now = clock.now();
    const balances = await repo.balancesAt(cityCode, end < now ? end : new Date(now.getTime() + 1));
    return {
      month,
      issued: sum('award', 'worker', 'positive'),
      budgeted: sum('budget', 'sponsor', 'positive'),
      redeemed: sum('redeem', 'worker', 'negative') - refunded,
      refunded,
      clawedBack: sum('clawback', 'worker', 'negative'),
      expired: sum('expire', 'worker', 'negative'),
      transactions,
      workerBalances: balances.worker,
      sponsorBalances: balances.sponsor,
    };
  }

  async function driftReport(): Promise<DriftReport> {
    const d = await points.drift();
    return { ok: d.accounts.length === 0 && d.unbalancedTransactions.length === 0, ...d, checkedAt: clock.now().toISOString() };
  }

  /**
   * Expires, for every worker of the city, the points earned in `month` and before that are still
   * held (first in, first out: spending uses the oldest points first). One posting per worker and
   * month (idempotent key), so a re-run or a second process posts nothing new.
   */
  async function expireMonth(cityCode: string, month: string): Promise<{ workers: number; points: number }> {
    const { end } = monthRange(month);
    let after = '';
    let n = 0;
    let total = 0;
    for (;;) {
      const page = await repo.expiryCandidates(cityCode, end, after, 500);
      for (const c of page) {
        const spent = Math.max(0, c.total - c.balance);
        const amount = Math.min(c.balance, Math.max(0, c.early - spent));
        if (amount <= 0) continue;
        try {
          const posted = await points.post({
            cityCode,
            kind: 'expire',
            reason: `积分过期（${month} 及以前获得）`,
            source: { type: 'expiry', id: month },
            idempotencyKey: `expire:${c.ownerId}:${month}`,
            lines: [
              { account: workerAccount(c.ownerId), amount: -amount },
              { account: SYSTEM.expiry, amount },
            ],
          });
          if (!posted.replayed) {
            n++;
            total += amount;
          }
        } catch (e) {
          // spent meanwhile: the next run sees the new balance
          if (!(e instanceof AppError && (e.code === 'points.insufficient_balance' || e.code === 'points.idempotency_conflict'))) throw e;
        }
      }
      if (page.length < 500) break;
      after = page[page.length - 1]!.ownerId;
    }
    return { workers: n, points: total };
  }

  return {
    summary,
    driftReport,
    expireMonth,

    /** The month whose points expire now under the city's rule (none when expiry is off). */
    async expireDue(cityCode: string): Promise<{ month: string; workers: number; points: number } | undefined> {
      const settings = await earning.settingsOf(cityCode);
      if (!settings.expiry.enabled) return undefined;
      // points earned in month M expire when month M + months + 1 begins
      const month = addMonths(shanghaiMonth(clock.now()), -(settings.expiry.months + 1));
      return { month, ...(await expireMonth(cityCode, month)) };
    },

    /** What expires next for one worker (the worker's page), when the city has an expiry rule. */
    async expiringFor(cityCode: string, workerId: string): Promise<{ points: number; at: string } | null> {
      const settings = await earning.settingsOf(cityCode);
      if (!settings.expiry.enabled) return null;
      const current = shanghaiMonth(clock.now());
      const month = addMonths(current, -settings.expiry.months);
      const [c] = await repo.expiryCandidates(cityCode, monthRange(month).end, '', 1, workerId);
      if (!c) return null;
      const amount = Math.min(c.balance, Math.max(0, c.early - Math.max(0, c.total - c.balance)));
      return amount > 0 ? { points: amount, at: monthRange(addMonths(current, 1)).start.toISOString() } : null;
    },

    async listTransactions(p: StaffPrincipal, q: TransactionsQuery, ctx: AuditContext): Promise<PageOf<LedgerTransaction>> {
      requireCityOperator(p, 'read the points ledger');
      let accountId: string | undefined;
      if (q.workerPhone) {
        const w = await workers.findWorkerByPhone(p.cityCode, q.workerPhone);
        await audit.record(ctx, { cityCode: p.cityCode, action: 'points.ledger_worker_lookup', targetKind: 'worker', targetId: w?.id, outcome: w ? 'success' : 'failure' });
        if (!w) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
        accountId = (await repo.findAccount(p.cityCode, 'worker', w.id))?.id;
        if (!accountId) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      }
      const range = q.month ? monthRange(q.month) : undefined;
      const { rows, total } = await repo.listTransactions(p.cityCode, { from: range?.start, to: range?.end, kind: q.kind, accountId, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      return { items: await toTransactions(p.cityCode, rows), total, page: q.page, pageSize: q.pageSize };
    },

    async monthSummary(p: StaffPrincipal, month?: string): Promise<LedgerSummary> {
      requireCityOperator(p, 'read the points ledger');
      return summary(p.cityCode, month ?? shanghaiMonth(clock.now()));
    },

    async drift(p: StaffPrincipal): Promise<DriftReport> {
      requireCityOperator(p, 'check the points ledger');
      return driftReport();
    },

    /** Takes an award back with a reason (never below zero: what the worker spent is the shortfall). */
    async clawback(p: StaffPrincipal, transactionId: string, reason: string, ctx: AuditContext): Promise<ClawbackResult> {
      requireCityOperator(p, 'claw back points');
      const original = await repo.findTransaction(transactionId);
      if (!original || original.city_code !== p.cityCode) throw new AppError('points.not_found', 'No such points transaction');
      if (original.kind !== 'award') throw new AppError('points.not_clawbackable', 'Only awards can be clawed back');
      const entries = await repo.entriesWithAccounts([original.id]);
      const workerEntry = entries.find((e) => e.kind === 'worker' && e.amount > 0);
      const r = await points.reverse({ cityCode: p.cityCode, transactionId, kind: 'clawback', reason: reason.trim(), idempotencyKey: `clawback:${transactionId}`, createdBy: p.id });
      if (workerEntry && !r.replayed) await earning.recordClawback(p.cityCode, workerEntry.owner_id, workerEntry.amount, original.created_at);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.clawback', targetKind: 'points_transaction', targetId: transactionId, detail: { reason, shortfall: r.shortfall, clawbackId: r.transactionId } });
      return { transactionId: r.transactionId, clawedBack: (workerEntry?.amount ?? 0) - r.shortfall, shortfall: r.shortfall };
    },

    /** The month's ledger as XLSX: sheet 台账 (one row per entry) and sheet 汇总 (totals and the drift check). */
    async exportMonth(p: StaffPrincipal, month: string, ctx: AuditContext): Promise<Buffer> {
      requireCityOperator(p, 'export the points ledger');
      const { start, end } = monthRange(month);
      const workbook = new ExcelJS.Workbook();
      workbook.created = clock.now();
      const sheet = workbook.addWorksheet('台账');
      sheet.columns = [
        { header: LEDGER_COLUMNS[0], key: 'at', width: 20 },
        { header: LEDGER_COLUMNS[1], key: 'id', width: 38 },
        { header: LEDGER_COLUMNS[2], key: 'kind', width: 8 },
        { header: LEDGER_COLUMNS[3], key: 'reason', width: 36 },
        { header: LEDGER_COLUMNS[4], key: 'source', width: 30 },
        { header: LEDGER_COLUMNS[5], key: 'account', width: 28 },
        { header: LEDGER_COLUMNS[6], key: 'amount', width: 10 },
      ];
      sheet.getRow(1).font = { bold: true };
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
      const cache = new Map<string, string>();
      let after: { at: Date; id: string } | undefined;
      let rows = 0;
      for (;;) {
        const txs = await repo.transactionsBetween(p.cityCode, start, end, after, 1000);
        if (!txs.length) break;
        const entries = await repo.entriesWithAccounts(txs.map((t) => t.id));
        const label = await labeller(p.cityCode, entries, cache);
        const byTx = new Map<string, EntryWithAccount[]>();
        for (const e of entries) byTx.set(e.transaction_id, [...(byTx.get(e.transaction_id) ?? []), e]);
        for (const t of txs) {
          for (const e of byTx.get(t.id) ?? []) {
            sheet.addRow({ at: shanghaiDateTime(t.created_at), id: t.id, kind: KIND_LABELS[t.kind as TransactionKind] ?? t.kind, reason: t.reason, source: sourceText(t), account: label(e), amount: e.amount });
            rows++;
          }
        }
        if (txs.length < 1000) break;
        const last = txs[txs.length - 1]!;
        after = { at: last.created_at, id: last.id };
      }
      const s = await summary(p.cityCode, month);
      const d = await driftReport();
      const sum = workbook.addWorksheet('汇总');
      sum.columns = [
        { header: '项目', key: 'item', width: 24 },
        { header: '数值', key: 'value', width: 28 },
      ];
      sum.getRow(1).font = { bold: true };
      const lines: [string, string | number][] = [
        ['月份', month],
        ['发放积分', s.issued],
        ['赞助预算注入', s.budgeted],
        ['兑换积分（扣除退回）', s.redeemed],
        ['退回积分', s.refunded],
        ['追回积分', s.clawedBack],
        ['过期积分', s.expired],
        ['交易笔数', s.transactions],
        ['骑手积分余额（月末）', s.workerBalances],
        ['赞助预算余额（月末）', s.sponsorBalances],
        ['对账检查', d.ok ? '平衡（差异 0）' : `不平衡：${d.accounts.length} 个账户，${d.unbalancedTransactions.length} 笔交易`],
        ['检查账户数', d.checkedAccounts],
        ['检查分录数', d.checkedEntries],
        ['导出时间（北京时间）', shanghaiDateTime(clock.now())],
      ];
      for (const [item, value] of lines) sum.addRow({ item, value });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.ledger_exported', targetKind: 'points_ledger', targetId: month, detail: { rows } });
      return Buffer.from(await workbook.xlsx.writeBuffer());
    },
  };
}
export type LedgerService = ReturnType<typeof createLedgerService>;
