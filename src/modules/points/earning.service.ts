import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../db/database.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  DEFAULT_SETTINGS,
  earningRuleCodes,
  RULE_CODE_PATTERN,
  type EarningRule,
  type EarningRuleInput,
  type EarnOutcome,
  type Leaderboard,
  type LeaderboardEntry,
  type Partner,
  type PartnerStatus,
  type PointsSettings,
} from '../../contracts/points.js';
import { AppError } from '../../shared/errors.js';
import { newId, sha256Hex } from '../../shared/ids.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { EarningRepository, EarningRow, RuleRow, StatsRow } from './earning.repository.js';
import { requireCityOperator, requireOperatorFor } from './points.access.js';
import { SYSTEM, sponsorAccount, workerAccount, type AccountRef, type PointsService } from './points.service.js';
import { shanghaiDay, shanghaiMonth } from '../../shared/shanghai-time.js';

/** What the points module needs to know about a worker (the workers module's summary). */
export interface PointsWorkerSummary {
  id: string;
  cityCode: string;
  phoneMasked: string;
  nameMasked: string | null;
  verificationStatus: string;
  areaCode: string | null;
}
export interface PointsWorkers {
  getWorkerSummary(id: string): Promise<PointsWorkerSummary | undefined>;
  findWorkerByPhone(cityCode: string, phone: string): Promise<PointsWorkerSummary | undefined>;
}

/** The built-in earning rules (an operator's row for the same code replaces its default). */
export const DEFAULT_RULES: Record<(typeof earningRuleCodes)[number], Omit<RuleRow, 'city_code' | 'updated_at' | 'updated_by' | 'code'>> = {
  valid_report: { title: '随手拍有效上报', points_per_unit: 10, unit: '次', daily_cap: 50, monthly_cap: 300, active: true, sponsor_id: null },
  duplicate_report: { title: '随手拍重复上报（已合并）', points_per_unit: 2, unit: '次', daily_cap: 10, monthly_cap: 60, active: true, sponsor_id: null },
  volunteer_hour: { title: '志愿服务', points_per_unit: 20, unit: '小时', daily_cap: 160, monthly_cap: 800, active: true, sponsor_id: null },
  activity_attendance: { title: '参加活动', points_per_unit: 10, unit: '次', daily_cap: 30, monthly_cap: 200, active: true, sponsor_id: null },
  course_completion: { title: '完成课程', points_per_unit: 5, unit: '节', daily_cap: 30, monthly_cap: 300, active: true, sponsor_id: null },
  honour: { title: '微光榜好人好事', points_per_unit: 100, unit: '次', daily_cap: null, monthly_cap: null, active: true, sponsor_id: null },
  good_deed: { title: '好人好事', points_per_unit: 30, unit: '次', daily_cap: null, monthly_cap: 150, active: true, sponsor_id: null },
};
const isBuiltIn = (code: string): code is keyof typeof DEFAULT_RULES => code in DEFAULT_RULES;

export interface EarnInput {
  cityCode: string;
  workerId: string;
  /** An earning rule code (valid_report, volunteer_hour …). */
  rule: string;
  /** Reports, hours, attendances …; default 1. */
  units?: number;
  source: { type: string; id: string };
  /** The caller's key: the same key earns once (a retry returns the first outcome). */
  idempotencyKey: string;
  /** The history line; default: the rule's title. */
  reason?: string;
  /** Staff id or module name, for the ledger. */
  createdBy?: string;
}

export interface EarnResult {
  /** granted: all of it; partial: cut by a cap; capped: nothing (cap reached); inactive: the rule is off or unknown. */
  outcome: EarnOutcome;
  rule: string;
  requested: number;
  granted: number;
  transactionId: string | null;
  /** True when this key had earned before (nothing new happened). */
  replayed: boolean;
}

const SETTINGS_TTL_MS = 5_000;
const AREA_TTL_MS = 10 * 60_000;
const AREA_CACHE_MAX = 100_000;

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';

function mergeSettings(stored: unknown): PointsSettings {
  const s = (stored ?? {}) as Partial<PointsSettings>;
  return {
    expiry: { ...DEFAULT_SETTINGS.expiry, ...(s.expiry ?? {}) },
    pickupWindowDays: s.pickupWindowDays ?? DEFAULT_SETTINGS.pickupWindowDays,
    leaderboardSize: s.leaderboardSize ?? DEFAULT_SETTINGS.leaderboardSize,
    partner: { ...DEFAULT_SETTINGS.partner, ...(s.partner ?? {}) },
  };
}

const meetsThresholds = (s: Pick<StatsRow, 'lifetime_earned' | 'approved_stories' | 'valid_reports'>, t: PointsSettings['partner']) =>
  t.enabled && Number(s.lifetime_earned) >= t.minLifetimePoints && s.approved_stories >= t.minApprovedStories && s.valid_reports >= t.minValidReports;

/**
 * Earning points by the city's rules (积分规则) — THE entry point for other modules (reports,
 * activities, courses, the pass, honours): `earn()` applies the rule's points per unit and its daily
 * and monthly caps per worker (Shanghai calendar), posts the award from the rule's sponsor budget
 * while it lasts (else from issuance), and keeps the roll-ups the leaderboard and the 城市合伙人 title
 * read. A cap never fails the caller: the award is cut or skipped and the outcome says so.
 */
export function createEarningService(deps: {
  repo: EarningRepository;
  points: PointsService;
  clock: Clock;
  workers: Pick<PointsWorkers, 'getWorkerSummary'>;
  areas: Pick<AreasService, 'find'>;
  audit: Pick<AuditService, 'record'>;
  sponsors: { names(cityCode: string, ids: string[]): Promise<Map<string, string>> };
}) {
  const { repo, points, clock, workers, areas, audit, sponsors } = deps;
  const settingsCache = new Map<string, { value: PointsSettings; at: number }>();
  const areaCache = new Map<string, { areaCode: string | null; at: number }>();

  async function settingsOf(cityCode: string): Promise<PointsSettings> {
    const hit = settingsCache.get(cityCode);
    const nowMs = Date.now();
    if (hit && nowMs - hit.at < SETTINGS_TTL_MS) return hit.value;
    const value = mergeSettings((await repo.settings(cityCode))?.settings);
    settingsCache.set(cityCode, { value, at: nowMs });
    return value;
  }

  /** The worker's area (districts rank the leaderboard); cached, it rarely changes. */
  async function areaOf(workerId: string): Promise<string | null> {
    const hit = areaCache.get(workerId);
    const nowMs = Date.now();
    if (hit && nowMs - hit.at < AREA_TTL_MS) return hit.areaCode;
    const areaCode = (await workers.getWorkerSummary(workerId))?.areaCode ?? null;
    if (areaCache.size >= AREA_CACHE_MAX) areaCache.clear();
    areaCache.set(workerId, { areaCode, at: nowMs });
    return areaCode;
  }

  async function ruleOf(cityCode: string, code: string, trx?: Db): Promise<RuleRow | undefined> {
    const row = await repo.rule(cityCode, code, trx);
    if (row) return row;
    if (isBuiltIn(code)) return { ...DEFAULT_RULES[code], code, city_code: cityCode, updated_at: new Date(0), updated_by: null };
    return undefined;
  }

  const toResult = (row: EarningRow, replayed: boolean): EarnResult => ({
    outcome: row.outcome,
    rule: row.rule_code,
    requested: row.requested,
    granted: row.granted,
    transactionId: row.transaction_id,
    replayed,
  });

  const earnHash = (e: EarnInput, units: number) => sha256Hex(JSON.stringify([e.workerId, e.rule, units, e.source.type, e.source.id]));

  function replay(row: EarningRow, hash: string): EarnResult {
    if (row.request_hash !== hash) throw new AppError('points.idempotency_conflict', 'This idempotency key was used for a different award');
    return toResult(row, true);
  }

  /** Grants the title if the worker's totals meet the city's thresholds (once; a revoked title stays revoked). */
  async function grantIfEligible(stats: StatsRow, settings: PointsSettings, trx?: Db): Promise<boolean> {
    if (!meetsThresholds(stats, settings.partner)) return false;
    return repo.grantPartner(
      {
        city_code: stats.city_code,
        worker_id: stats.worker_id,
        area_code: stats.area_code,
        status: 'active',
        granted_at: clock.now(),
        stats: { lifetimePoints: Number(stats.lifetime_earned), approvedStories: stats.approved_stories, validReports: stats.valid_reports },
        revoked_at: null,
        revoked_by: null,
        revoke_reason: null,
      },
      trx,
    );
  }

  async function earn(e: EarnInput): Promise<EarnResult> {
    const units = e.units ?? 1;
    if (!Number.isSafeInteger(units) || units <= 0) {
      throw new AppError('points.invalid_amount', 'units must be a positive whole number', { errors: [{ field: 'units', message: 'must be a positive whole number' }] });
    }
    if (!new RegExp(RULE_CODE_PATTERN).test(e.rule)) throw new AppError('points.rule_not_found', `No earning rule ${e.rule}`);
    const hash = earnHash(e, units);
    const [settings, areaCode] = await Promise.all([settingsOf(e.cityCode), areaOf(e.workerId)]);
    const now = clock.now();
    const day = shanghaiDay(now);
    const month = shanghaiMonth(now);
    try {
      // In the steady state: the worker's lock, one read, the posting (lock + write), one write of the roll-ups.
      return await repo.transaction(async (trx) => {
        await repo.lockWorker(e.workerId, trx);
        const read = await repo.readForEarn({ cityCode: e.cityCode, key: e.idempotencyKey, workerId: e.workerId, ruleCode: e.rule, month, day }, trx);
        if (read.earning) return replay(read.earning, hash);
        const rule = read.rule ?? (isBuiltIn(e.rule) ? { ...DEFAULT_RULES[e.rule], code: e.rule, city_code: e.cityCode, updated_at: new Date(0), updated_by: null } : undefined);
        const requested = rule?.active ? rule.points_per_unit * units : 0;
        let granted = requested;
        if (requested > 0 && rule) {
          if (rule.daily_cap !== null) granted = Math.min(granted, rule.daily_cap - read.soFar.day);
          if (rule.monthly_cap !== null) granted = Math.min(granted, rule.monthly_cap - read.soFar.month);
          granted = Math.max(0, granted);
        }
        const outcome: EarnOutcome = requested === 0 ? 'inactive' : granted === requested ? 'granted' : granted > 0 ? 'partial' : 'capped';
        const reason = e.reason?.trim() || (rule ? (units > 1 ? `${rule.title} ×${units}${rule.unit}` : rule.title) : e.rule);

        let transactionId: string | null = null;
        const lines: { account: AccountRef; amount: number }[] = [];
        if (granted > 0) {
          const to = workerAccount(e.workerId);
          if (rule!.sponsor_id) {
            // from the sponsor's budget while it lasts, the rest from issuance (all accounts locked at once)
            const sponsor = sponsorAccount(rule!.sponsor_id);
            const balances = await points.lockBalances(e.cityCode, [sponsor, SYSTEM.issuance, to], trx);
            const fromSponsor = Math.min(granted, Math.max(0, balances.get(points.accountKey(sponsor)) ?? 0));
            if (fromSponsor > 0) lines.push({ account: sponsor, amount: -fromSponsor });
            if (granted - fromSponsor > 0) lines.push({ account: SYSTEM.issuance, amount: -(granted - fromSponsor) });
          } else {
            lines.push({ account: SYSTEM.issuance, amount: -granted });
          }
          lines.push({ account: to, amount: granted });
          transactionId = newId();
        }
        const row: EarningRow = {
          id: newId(),
          city_code: e.cityCode,
          worker_id: e.workerId,
          rule_code: e.rule,
          units,
          requested,
          granted,
          outcome,
          reason,
          source_type: e.source.type,
          source_id: e.source.id,
          idempotency_key: e.idempotencyKey,
          request_hash: hash,
          transaction_id: transactionId,
          day,
          month,
          created_at: now,
        };
        const reports = e.rule === 'valid_report' && outcome !== 'inactive' ? units : 0;
        const stats = await repo.recordEarning(
          row,
          granted > 0 ? { district_code: areaCode ? areaCode.slice(0, 6) : null, points: granted } : null,
          granted > 0 || reports > 0 ? { area_code: areaCode, earned: granted, reports } : null,
          trx,
        );
        if (stats) await grantIfEligible(stats, settings, trx);
        // the posting last: the shared issuance account is then held only until the commit
        if (transactionId) {
          await points.postIn(
            { id: transactionId, cityCode: e.cityCode, kind: 'award', reason, source: e.source, idempotencyKey: `earn:${e.idempotencyKey}`, createdBy: e.createdBy, lines },
            trx,
            { fresh: true },
          );
        }
        return toResult(row, false);
      });
    } catch (err) {
      // the same key earned concurrently: the other call won, this is its retry
      if (isUniqueViolation(err)) {
        const winner = await repo.earningByKey(e.cityCode, e.idempotencyKey);
        if (winner) return replay(winner, hash);
      }
      throw err;
    }
  }

  async function toRule(row: RuleRow, names: Map<string, string>, customised: boolean): Promise<EarningRule> {
    return {
      code: row.code,
      title: row.title,
      pointsPerUnit: row.points_per_unit,
      unit: row.unit,
      dailyCap: row.daily_cap,
      monthlyCap: row.monthly_cap,
      active: row.active,
      sponsor: row.sponsor_id ? { id: row.sponsor_id, name: names.get(row.sponsor_id) ?? row.sponsor_id } : null,
      builtIn: isBuiltIn(row.code),
      customised,
      updatedAt: customised ? row.updated_at.toISOString() : null,
    };
  }

  async function listRules(cityCode: string): Promise<EarningRule[]> {
    const rows = await repo.rules(cityCode);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const all: { row: RuleRow; customised: boolean }[] = earningRuleCodes.map((code) => {
      const row = byCode.get(code);
      return row ? { row, customised: true } : { row: { ...DEFAULT_RULES[code], code, city_code: cityCode, updated_at: new Date(0), updated_by: null }, customised: false };
    });
    for (const r of rows) if (!isBuiltIn(r.code)) all.push({ row: r, customised: true });
    const names = await sponsors.names(cityCode, all.map((a) => a.row.sponsor_id).filter((x): x is string => !!x));
    return Promise.all(all.map((a) => toRule(a.row, names, a.customised)));
  }

  async function summaryMasked(workerId: string): Promise<{ name: string; phone: string; areaCode: string | null }> {
    const w = await workers.getWorkerSummary(workerId);
    return { name: w?.nameMasked ?? w?.phoneMasked ?? '***', phone: w?.phoneMasked ?? '***', areaCode: w?.areaCode ?? null };
  }

  async function toPartner(row: { worker_id: string; area_code: string | null; status: PartnerStatus; granted_at: Date; revoked_at: Date | null; revoke_reason: string | null; city_code: string }, stats: StatsRow | undefined): Promise<Partner> {
    const w = await summaryMasked(row.worker_id);
    const area = row.area_code ? await areas.find(row.area_code) : undefined;
    return {
      workerId: row.worker_id,
      workerNameMasked: w.name,
      workerPhoneMasked: w.phone,
      areaName: area?.name ?? null,
      status: row.status,
      grantedAt: row.granted_at.toISOString(),
      revokedAt: row.revoked_at?.toISOString() ?? null,
      revokeReason: row.revoke_reason,
      stats: { lifetimePoints: Number(stats?.lifetime_earned ?? 0), approvedStories: stats?.approved_stories ?? 0, validReports: stats?.valid_reports ?? 0 },
    };
  }

  return {
    earn,
    settingsOf,
    ruleOf,
    listRules,

    async saveRule(p: StaffPrincipal, code: string, input: EarningRuleInput, ctx: AuditContext): Promise<EarningRule> {
      requireCityOperator(p, 'change earning rules');
      if (!new RegExp(RULE_CODE_PATTERN).test(code)) {
        throw new AppError('request.invalid', 'rule: 2–40 lower-case letters, digits and _', { errors: [{ field: 'params.rule', message: 'must be 2–40 lower-case letters, digits and _, starting with a letter', rule: 'pattern' }] });
      }
      if (input.sponsorId && !(await sponsors.names(p.cityCode, [input.sponsorId])).has(input.sponsorId)) throw new AppError('points.sponsor_not_found', 'No such sponsor');
      if (input.dailyCap !== null && input.monthlyCap !== null && input.dailyCap > input.monthlyCap) {
        throw new AppError('request.invalid', 'dailyCap: more than the monthly cap', { errors: [{ field: 'dailyCap', message: 'must not exceed the monthly cap' }] });
      }
      const before = await ruleOf(p.cityCode, code);
      await repo.upsertRule({
        city_code: p.cityCode,
        code,
        title: input.title.trim(),
        points_per_unit: input.pointsPerUnit,
        unit: input.unit.trim(),
        daily_cap: input.dailyCap,
        monthly_cap: input.monthlyCap,
        active: input.active,
        sponsor_id: input.sponsorId,
        updated_at: clock.now(),
        updated_by: p.id,
      });
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'points.rule_saved',
        targetKind: 'points_rule',
        targetId: code,
        detail: { before: before ? { pointsPerUnit: before.points_per_unit, dailyCap: before.daily_cap, monthlyCap: before.monthly_cap, active: before.active, sponsorId: before.sponsor_id } : null, after: input },
      });
      return (await listRules(p.cityCode)).find((r) => r.code === code)!;
    },

    /** For the demo seed: a rule as given (no person acted, so no audit). */
    async seedRule(cityCode: string, code: keyof typeof DEFAULT_RULES, patch: Partial<Pick<RuleRow, 'sponsor_id' | 'points_per_unit' | 'daily_cap' | 'monthly_cap' | 'active'>>): Promise<void> {
      if (await repo.rule(cityCode, code)) return;
      await repo.upsertRule({ ...DEFAULT_RULES[code], ...patch, code, city_code: cityCode, updated_at: clock.now(), updated_by: 'seed' });
    },

    async saveSettings(p: StaffPrincipal, input: PointsSettings, ctx: AuditContext): Promise<PointsSettings> {
      requireCityOperator(p, 'change points settings');
      const before = await settingsOf(p.cityCode);
      const value = mergeSettings(input);
      await repo.saveSettings({ city_code: p.cityCode, settings: value, updated_at: clock.now(), updated_by: p.id });
      settingsCache.delete(p.cityCode);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.settings_saved', targetKind: 'points_settings', targetId: p.cityCode, detail: { before, after: value } });
      return value;
    },

    // ---------------- roll-ups for the worker's page and the honours

    async earnedInMonth(cityCode: string, workerId: string, month: string): Promise<number> {
      return Number((await repo.monthlyOf(cityCode, month, workerId))?.points ?? 0);
    },
    statsOf: (cityCode: string, workerId: string) => repo.statsOf(cityCode, workerId),

    /** Counts an approved 微光榜 story towards the title (inside the approval's transaction: only `trx` is used). */
    async recordApprovedStory(cityCode: string, workerId: string, areaCode: string | null, trx: Db): Promise<StatsRow> {
      return repo.addStats({ city_code: cityCode, worker_id: workerId, area_code: areaCode, earned: 0, stories: 1, reports: 0, at: clock.now() }, trx);
    },

    /** A clawed-back award no longer counts: off the month's leaderboard and the lifetime total. */
    async recordClawback(cityCode: string, workerId: string, amount: number, awardedAt: Date): Promise<void> {
      if (amount <= 0) return;
      await repo.transaction(async (trx) => {
        await repo.addMonthly({ city_code: cityCode, month: shanghaiMonth(awardedAt), worker_id: workerId, district_code: null, points: -amount }, trx);
        await repo.addStats({ city_code: cityCode, worker_id: workerId, area_code: null, earned: -amount, stories: 0, reports: 0, at: clock.now() }, trx);
      });
    },

    /** Grants the title if the worker meets the thresholds now (after a story's approval). */
    async evaluatePartner(cityCode: string, workerId: string): Promise<boolean> {
      const stats = await repo.statsOf(cityCode, workerId);
      return stats ? grantIfEligible(stats, await settingsOf(cityCode)) : false;
    },

    /** The daily sweep: grants the title to everyone meeting the (possibly changed) thresholds. */
    async evaluatePartners(cityCode: string): Promise<number> {
      const settings = await settingsOf(cityCode);
      if (!settings.partner.enabled) return 0;
      let granted = 0;
      for (;;) {
        const batch = await repo.partnerCandidates(cityCode, { points: settings.partner.minLifetimePoints, stories: settings.partner.minApprovedStories, reports: settings.partner.minValidReports }, 500);
        if (!batch.length) break;
        for (const s of batch) if (await grantIfEligible(s, settings)) granted++;
        if (batch.length < 500) break;
      }
      return granted;
    },

    cities: () => repo.cities(),

    // ---------------- 城市合伙人

    /** Whether the worker holds the 城市合伙人 title (granted and not revoked). The pass shows it. */
    async isCityPartner(workerId: string): Promise<boolean> {
      return (await repo.partnerAnyCity(workerId))?.status === 'active';
    },
    async partnerOf(cityCode: string, workerId: string) {
      return repo.partner(cityCode, workerId);
    },
    activePartners: (cityCode: string, workerIds: string[]) => repo.activePartners(cityCode, workerIds),

    async listPartners(p: StaffPrincipal, q: { status?: PartnerStatus; page: number; pageSize: number }): Promise<PageOf<Partner>> {
      const { rows, total } = await repo.partners(p.cityCode, { status: q.status, areaPrefix: p.areaCode, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      const stats = new Map((await repo.statsMany(p.cityCode, rows.map((r) => r.worker_id))).map((s) => [s.worker_id, s]));
      return { items: await Promise.all(rows.map((r) => toPartner(r, stats.get(r.worker_id)))), total, page: q.page, pageSize: q.pageSize };
    },

    async revokePartner(p: StaffPrincipal, workerId: string, reason: string, ctx: AuditContext): Promise<Partner> {
      const row = await repo.transaction(async (trx) => {
        const current = await repo.partner(p.cityCode, workerId, trx);
        if (!current) throw new AppError('points.partner_not_found', 'This worker holds no 城市合伙人 title');
        requireOperatorFor(p, current.city_code, current.area_code, 'revoke titles');
        if (current.status === 'revoked') throw new AppError('points.partner_revoked', 'The title was already revoked');
        const patch = { revoked_at: clock.now(), revoked_by: p.id, revoke_reason: reason.trim() };
        await repo.revokePartner(p.cityCode, workerId, patch, trx);
        return { ...current, status: 'revoked' as const, ...patch };
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.partner_revoked', targetKind: 'worker', targetId: workerId, detail: { reason: row.revoke_reason } });
      return toPartner(row, await repo.statsOf(p.cityCode, workerId));
    },

    // ---------------- the monthly leaderboard per district

    async leaderboard(viewer: { id: string; cityCode: string }, q: { month?: string; areaCode?: string; rankOnly?: boolean }): Promise<Leaderboard> {
      const month = q.month ?? shanghaiMonth(clock.now());
      const own = await areaOf(viewer.id);
      const districtCode = q.areaCode ?? (own ? own.slice(0, 6) : null);
      const mine = Number((await repo.monthlyOf(viewer.cityCode, month, viewer.id))?.points ?? 0);
      if (!districtCode) return { month, district: null, items: [], me: { rank: null, points: mine }, participants: 0 };
      const district = await areas.find(districtCode);
      if (!district || !districtCode.startsWith(viewer.cityCode)) throw new AppError('areas.not_found', `No district ${districtCode}`);
      const settings = await settingsOf(viewer.cityCode);
      const top = q.rankOnly ? [] : await repo.leaderboard(viewer.cityCode, month, districtCode, settings.leaderboardSize);
      const partners = await repo.activePartners(viewer.cityCode, top.map((r) => r.worker_id));
      const items: LeaderboardEntry[] = [];
      for (let i = 0; i < top.length; i++) {
        const r = top[i]!;
        const prev = items[i - 1];
        const rank = prev && prev.points === Number(r.points) ? prev.rank : i + 1;
        const w = await workers.getWorkerSummary(r.worker_id);
        items.push({ rank, nameMasked: w?.nameMasked ?? w?.phoneMasked ?? '***', points: Number(r.points), me: r.worker_id === viewer.id, cityPartner: partners.has(r.worker_id) });
      }
      const inDistrict = own?.startsWith(districtCode) ?? false;
      const { above, participants } = await repo.rankOf(viewer.cityCode, month, districtCode, mine);
      return { month, district: { code: districtCode, name: district.name }, items, me: { rank: inDistrict && mine > 0 ? above + 1 : null, points: mine }, participants };
    },

    /** For tests and the daily sweep: forget cached worker areas and settings. */
    forgetCaches() {
      areaCache.clear();
      settingsCache.clear();
    },
  };
}
export type EarningService = ReturnType<typeof createEarningService>;

