import crypto from 'node:crypto';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  CAMPAIGN_DEFAULTS,
  type AdminReportSummary,
  type Campaign,
  type CampaignCandidate,
  type CampaignDetail,
  type CampaignInput,
  type CampaignOption,
  type CampaignPermissions,
  type CampaignStatus,
  type Cluster,
  type MetricsQuery,
  type MetricsRow,
  type ReportMetrics,
} from '../../contracts/reports.js';
import type { Db } from '../../db/database.js';
import type { AuditContext } from '../audit/audit.service.js';
import { AppError, invalid } from '../../shared/errors.js';
import type { NotifyInput } from '../notifications/notifications.service.js';
import { canSeeReport, REPORT_STAFF_ROLES, reportScope } from './reports.access.js';
import {
  createCampaignsRepository,
  type CampaignRow,
  type CampaignWithCounts,
  type ClusterCandidateRow,
  type MetricsAggregateRow,
  type ReportScopeFilter,
  type ReportSummaryRow,
  type ScopedReportRow,
} from './campaigns.repository.js';
import { shanghaiDay, startOfShanghaiDay } from '../../shared/shanghai-time.js';
import type { ReportsModuleDeps } from './reports.module.js';
import type { ReportsService } from './reports.service.js';

const DAY_MS = 86_400_000;
const validDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';

/** Campaigns looked at per run of a deadline sweep (the next run takes the rest). */
const SWEEP_BATCH = 200;
/** At most this many candidates (reports that could join a campaign) or campaign options are listed. */
const PICK_LIMIT = 50;
/** Candidates outside the campaign's area are listed within the category's cluster radius of its centre (or this). */
const DEFAULT_NEAR_M = 300;
const campaignLink = (id: string) => `/admin/reports?tab=campaigns&campaign=${id}`;

/** At most this many reports are considered for clusters per request (the newest windows are small). */
const CLUSTER_CANDIDATE_LIMIT = 5000;
const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (WGS-84 coordinates on a sphere; plenty for a few hundred metres). */
export function haversineM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Greedy clustering of one category's reports: repeatedly take the report with the most unclaimed
 * reports within `radiusM` (ties: the earliest), and if that makes at least `min`, claim them as one
 * cluster. Every report of a cluster lies within radiusM of its seed; a report joins one cluster at most.
 */
export function greedyClusters<T extends { lon: number; lat: number }>(points: T[], radiusM: number, min: number): T[][] {
  const n = points.length;
  const near: number[][] = points.map(() => []);
  for (let i = 0; i < n; i++) {
    near[i]!.push(i);
    for (let j = i + 1; j < n; j++) {
      if (haversineM(points[i]!, points[j]!) <= radiusM) {
        near[i]!.push(j);
        near[j]!.push(i);
      }
    }
  }
  const claimed = new Array<boolean>(n).fill(false);
  const clusters: T[][] = [];
  for (;;) {
    let best = -1;
    let bestCount = 0;
    for (let i = 0; i < n; i++) {
      if (claimed[i]) continue;
      const count = near[i]!.filter((j) => !claimed[j]).length;
      if (count > bestCount) {
        best = i;
        bestCount = count;
      }
    }
    if (best < 0 || bestCount < min) break;
    const members = near[best]!.filter((j) => !claimed[j]).sort((a, b) => a - b);
    for (const j of members) claimed[j] = true;
    clusters.push(members.map((j) => points[j]!));
  }
  return clusters;
}

/** The deepest administrative level (community 12, street 9, district 6, city 4 digits) all codes share. */
export function commonArea(codes: string[]): string {
  let prefix = codes[0] ?? '';
  for (const c of codes) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  for (const len of [12, 9, 6, 4]) if (prefix.length >= len) return prefix.slice(0, len);
  return prefix;
}

export const clusterKey = (ids: string[]) => crypto.createHash('sha256').update([...ids].sort().join(',')).digest('hex').slice(0, 24);

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Campaigns (专项治理): reports of one category that cluster in one place (N within D metres in T days,
 * per category) become a campaign with an owner and a deadline, tracked to its end; and the reports
 * metrics for the console and the dashboard.
 */
export function createCampaignsService(deps: ReportsModuleDeps & { reports: ReportsService }) {
  const { clock, calendar, audit, areas, staff, workers, notifications } = deps;
  const repo = createCampaignsRepository(deps.db);

  const hasReportRole = (p: StaffPrincipal) => (REPORT_STAFF_ROLES as readonly string[]).includes(p.role);
  const isOwner = (p: StaffPrincipal, c: Pick<CampaignRow, 'city_code' | 'owner_staff_id'>) => p.cityCode === c.city_code && p.id === c.owner_staff_id;
  const campaignScopeOk = (p: StaffPrincipal, c: Pick<CampaignRow, 'city_code' | 'area_code' | 'owner_staff_id'>) =>
    isOwner(p, c) || (hasReportRole(p) && p.cityCode === c.city_code && (c.area_code.startsWith(p.areaCode) || p.areaCode.startsWith(c.area_code)));
  const over = (p: StaffPrincipal, c: Pick<CampaignRow, 'city_code' | 'area_code'>, role: 'operator' | 'grid_worker') =>
    p.role === role && p.cityCode === c.city_code && c.area_code.startsWith(p.areaCode);

  /**
   * Who may do what with a campaign, whatever its state: the owner — any member of staff, often a
   * handler or a grid worker, not an operator — closes it and logs progress; operators over its area
   * add reports, log progress and close it; grid workers over its area log progress.
   */
  const roleMay = (p: StaffPrincipal, c: CampaignRow): CampaignPermissions => ({
    close: isOwner(p, c) || over(p, c, 'operator'),
    addReports: over(p, c, 'operator'),
    note: isOwner(p, c) || over(p, c, 'operator') || over(p, c, 'grid_worker'),
  });
  /** What the staff member may do now (the detail carries it; the screens show only these). */
  const permissions = (p: StaffPrincipal, c: CampaignRow): CampaignPermissions => {
    const may = roleMay(p, c);
    const open = c.status === 'open';
    return { close: open && may.close, addReports: open && may.addReports, note: open && may.note };
  };

  /** The campaign, if the staff member may see it: one in, over or covering their area, or their own. */
  async function visibleCampaign(p: StaffPrincipal, id: string): Promise<CampaignWithCounts> {
    const c = UUID.test(id) ? await repo.campaign(id) : undefined;
    if (c && isOwner(p, c)) return c;
    reportScope(p);
    if (!c || !campaignScopeOk(p, c)) throw new AppError('reports.campaign_not_found', 'No such campaign in your scope');
    return c;
  }

  /** The campaign for adding reports: refuses others than operators over its area, and ended campaigns. */
  async function campaignToAddTo(p: StaffPrincipal, id: string): Promise<CampaignWithCounts> {
    const c = await visibleCampaign(p, id);
    if (!roleMay(p, c).addReports) throw new AppError('auth.forbidden', 'Only operators over its area add reports to a campaign');
    if (c.status !== 'open') throw new AppError('reports.campaign_closed', 'The campaign has ended');
    return c;
  }

  // Messages never undo what was decided; a failure is logged, not thrown (the mark stays: sent at most once).
  const tell = (items: NotifyInput[]) => notifications.notifyAll(items, 'reports.campaigns');
  const params = (c: CampaignWithCounts) => ({ title: c.title, deadline: c.deadline, count: c.report_count, closed: c.closed_report_count });
  const toOwner = (c: CampaignWithCounts, kind: string): NotifyInput => ({
    cityCode: c.city_code,
    recipientKind: 'staff',
    recipientId: c.owner_staff_id,
    kind,
    params: params(c),
    link: campaignLink(c.id),
  });

  async function toCampaigns(rows: CampaignWithCounts[]): Promise<Campaign[]> {
    const [owners, areaNames] = await Promise.all([staff.getStaffNames(rows.map((r) => r.owner_staff_id)), areas.names(rows.map((r) => r.area_code))]);
    const today = shanghaiDay(clock.now());
    return rows.map((c) => ({
      id: c.id,
      code: c.code,
      title: c.title,
      category: c.category_code,
      areaCode: c.area_code,
      areaName: areaNames.get(c.area_code) ?? c.area_code,
      description: c.description,
      owner: { id: c.owner_staff_id, name: owners.get(c.owner_staff_id) ?? '' },
      deadline: c.deadline,
      status: c.status,
      overdue: c.status === 'open' && c.deadline < today,
      reportCount: c.report_count,
      closedReportCount: c.closed_report_count,
      summary: c.summary,
      remindWorkingDays: c.remind_working_days,
      createdAt: iso(c.created_at)!,
      closedAt: iso(c.closed_at),
    }));
  }

  async function toSummaries(cityCode: string, rows: ReportSummaryRow[]): Promise<AdminReportSummary[]> {
    const [departments, areaNames] = await Promise.all([staff.departmentsOf(cityCode), areas.names(rows.map((r) => r.area_code))]);
    const deptNames = new Map(departments.map((d) => [d.id, d.nameZh]));
    const reporters = new Map<string, string | null>();
    for (const id of new Set(rows.map((r) => r.reporter_worker_id).filter((v): v is string => v !== null))) {
      const w = await workers.getWorkerSummary(id);
      reporters.set(id, w ? (w.nameMasked ?? w.phoneMasked) : null);
    }
    const now = clock.now().getTime();
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      category: r.category_code,
      description: r.description,
      status: r.status,
      outcome: r.outcome,
      source: r.source,
      lon: Number(r.lon),
      lat: Number(r.lat),
      address: r.address,
      areaCode: r.area_code,
      areaName: areaNames.get(r.area_code) ?? r.area_code,
      departmentId: r.department_id,
      departmentName: r.department_id ? (deptNames.get(r.department_id) ?? null) : null,
      deadlineAt: iso(r.deadline_at),
      overdue: r.deadline_at !== null && new Date(r.deadline_at).getTime() < now && (r.status === 'dispatched' || r.status === 'acknowledged'),
      flags: r.flags,
      followerCount: r.follower_count,
      submittedAt: iso(r.submitted_at)!,
      closedAt: iso(r.closed_at),
      reporterMasked: r.reporter_worker_id ? (reporters.get(r.reporter_worker_id) ?? null) : null,
      photoUrl: r.first_photo_id ? `/api/reports/photos/${r.first_photo_id}` : null,
      campaignId: r.campaign_id,
    }));
  }

  async function detail(p: StaffPrincipal, id: string): Promise<CampaignDetail> {
    const c = await visibleCampaign(p, id);
    const [campaign] = await toCampaigns([c]);
    // the owner answers for all its reports; others see those in their scope
    const rows = await repo.campaignReports(c.id, isOwner(p, c) ? null : reportScope(p));
    const notes = await repo.notes(c.id);
    const names = await staff.getStaffNames(notes.map((n) => n.staff_id));
    return {
      ...campaign!,
      reports: await toSummaries(c.city_code, rows),
      notes: notes.map((n) => ({ id: n.id, at: iso(n.at)!, staffName: names.get(n.staff_id) ?? '', note: n.note })),
      may: permissions(p, c),
    };
  }

  /** The reports exist, are in the staff member's scope, of the campaign's category and in no campaign yet. */
  async function checkReports(p: StaffPrincipal, ids: string[], category: string): Promise<ScopedReportRow[]> {
    if (ids.length === 0) return [];
    const bad = ids.filter((id) => !UUID.test(id));
    if (bad.length > 0) throw new AppError('reports.not_found', `No such report: ${bad[0]}`);
    const rows = await repo.reportsForScopeCheck(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const r = byId.get(id);
      if (!r) throw new AppError('reports.not_found', `No such report: ${id}`);
      const facts = { cityCode: r.city_code, areaCode: r.area_code, departmentId: r.department_id, coDepartmentIds: r.co_department_ids ?? [] };
      if (!canSeeReport(p, facts)) throw new AppError('reports.not_in_scope', `Report ${id} is outside your scope`);
      if (r.campaign_id !== null) throw new AppError('reports.invalid_state', `Report ${id} is already in a campaign`, { errors: [{ field: 'reportIds', message: `${id} is already in a campaign` }] });
      if (r.category_code !== category) {
        throw new AppError('reports.campaign_category_mismatch', `Report ${id} is of category ${r.category_code}, the campaign of ${category}`, {
          errors: [{ field: 'reportIds', message: `${id} is of another category` }],
        });
      }
    }
    return rows;
  }

  async function attach(trx: Db, p: StaffPrincipal, c: { id: string; title: string }, ids: string[], at: Date) {
    const attached = await repo.attachReports(c.id, ids, at, trx);
    // a concurrent request put one of them into another campaign since the check
    if (attached.length !== ids.length) throw new AppError('reports.invalid_state', 'A report joined another campaign meanwhile');
    await repo.insertEvents(
      ids.map((reportId) => ({ reportId, at, actorId: p.id, data: { campaignId: c.id, campaignTitle: c.title } })),
      'campaign_added',
      trx,
    );
  }

  async function metrics(cityCode: string, query: MetricsQuery): Promise<ReportMetrics> {
    const today = shanghaiDay(clock.now());
    const to = query.to ?? today;
    const from = query.from ?? `${addMonths(today.slice(0, 7), -11)}-01`;
    if (!validDay(from)) throw invalid('from', 'not a date');
    if (!validDay(to)) throw invalid('to', 'not a date');
    if (from > to) throw invalid('from', 'after to');
    const areaPrefix = query.areaCode ?? cityCode;
    if (!areaPrefix.startsWith(cityCode)) throw new AppError('reports.not_in_scope', 'That area is not in your city');
    const range = { cityCode, areaPrefix, from: startOfShanghaiDay(from), to: new Date(startOfShanghaiDay(to).getTime() + DAY_MS) };
    const [grouped, [total]] = await Promise.all([repo.metrics({ ...range, groupBy: query.groupBy }), repo.metrics({ ...range, groupBy: null })]);

    const labels = await labelsFor(cityCode, query.groupBy, grouped.map((r) => r.key));
    let rows = grouped.map((r) => toMetricsRow(r, labels));
    if (query.groupBy === 'month') {
      // every month of the range, empty ones too (a chart needs the gaps)
      const byKey = new Map(rows.map((r) => [r.key, r]));
      rows = [];
      for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addMonths(m, 1)) rows.push(byKey.get(m) ?? toMetricsRow(emptyAggregate(m), labels));
    } else {
      rows.sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
    }
    return { groupBy: query.groupBy, from, to, rows, total: toMetricsRow({ ...(total ?? emptyAggregate(null)), key: 'total' }, new Map([['total', '合计']])) };
  }

  async function labelsFor(cityCode: string, groupBy: MetricsQuery['groupBy'], keys: (string | null)[]): Promise<Map<string, string>> {
    const codes = keys.filter((k): k is string => k !== null);
    switch (groupBy) {
      case 'category':
        return repo.categoryNames(cityCode);
      case 'department': {
        const departments = await staff.departmentsOf(cityCode);
        return new Map([...departments.map((d) => [d.id, d.nameZh] as [string, string]), [NO_DEPARTMENT, '未交办']]);
      }
      case 'area':
        return areas.names(codes);
      case 'month':
        return new Map(codes.map((m) => [m, m]));
    }
  }

  return {
    greedyClusters,

    /** Clusters in the staff member's scope, largest first. */
    async clusters(p: StaffPrincipal): Promise<Cluster[]> {
      const scope: ReportScopeFilter = reportScope(p);
      const categories = await repo.clusterCategories(p.cityCode);
      const candidates = await repo.clusterCandidates(scope, clock.now(), CLUSTER_CANDIDATE_LIMIT);
      const byCategory = new Map<string, ClusterCandidateRow[]>();
      for (const r of candidates) {
        const list = byCategory.get(r.category_code) ?? [];
        list.push({ ...r, lon: Number(r.lon), lat: Number(r.lat) });
        byCategory.set(r.category_code, list);
      }

      const found: Omit<Cluster, 'areaName'>[] = [];
      for (const cat of categories) {
        for (const members of greedyClusters(byCategory.get(cat.code) ?? [], cat.cluster_radius_m, cat.cluster_min)) {
          const ids = members.map((m) => m.id);
          const times = members.map((m) => new Date(m.submitted_at).getTime());
          found.push({
            key: clusterKey(ids),
            category: cat.code,
            areaCode: commonArea(members.map((m) => m.area_code)),
            centerLon: round(members.reduce((s, m) => s + m.lon, 0) / members.length, 6),
            centerLat: round(members.reduce((s, m) => s + m.lat, 0) / members.length, 6),
            radiusM: cat.cluster_radius_m,
            days: cat.cluster_days,
            reportIds: ids,
            count: ids.length,
            firstAt: new Date(Math.min(...times)).toISOString(),
            lastAt: new Date(Math.max(...times)).toISOString(),
          });
        }
      }
      const names = await areas.names(found.map((c) => c.areaCode));
      return found
        .map((c) => ({ ...c, areaName: names.get(c.areaCode) ?? c.areaCode }))
        .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
    },

    async list(p: StaffPrincipal, q: { status?: CampaignStatus; page?: number; pageSize?: number }): Promise<PageOf<Campaign>> {
      reportScope(p);
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const { rows, total } = await repo.listCampaigns({ cityCode: p.cityCode, areaCode: p.areaCode, ownerStaffId: p.id, status: q.status, limit: pageSize, offset: (page - 1) * pageSize });
      return { items: await toCampaigns(rows), total, page, pageSize };
    },

    detail,

    /** Operators open a campaign for reports in their scope (usually a cluster's). */
    async create(p: StaffPrincipal, input: CampaignInput, ctx: AuditContext): Promise<CampaignDetail> {
      reportScope(p);
      if (p.role !== 'operator') throw new AppError('auth.forbidden', 'Only operators open campaigns');
      if (!input.areaCode.startsWith(p.areaCode)) throw new AppError('reports.not_in_scope', 'That area is outside your scope');
      if (!(await areas.find(input.areaCode))) throw invalid('areaCode', 'no such area');
      if (!(await repo.categoryNames(p.cityCode)).has(input.category)) throw new AppError('reports.category_not_found', `No category ${input.category}`);
      const owner = UUID.test(input.ownerStaffId)
        ? (await staff.accountsFor(p.cityCode, { areaPrefix: p.cityCode })).find((a) => a.id === input.ownerStaffId)
        : undefined;
      if (!owner) throw invalid('ownerStaffId', 'no such active staff account in this city');
      if (!validDay(input.deadline)) throw invalid('deadline', 'not a date');
      if (input.deadline < shanghaiDay(clock.now())) throw invalid('deadline', 'in the past');
      const ids = [...new Set(input.reportIds)];
      const reports = await checkReports(p, ids, input.category);
      const coords = reports.length > 0 ? { lon: round(mean(reports.map((r) => Number(r.lon))), 6), lat: round(mean(reports.map((r) => Number(r.lat))), 6) } : null;
      const now = clock.now();
      const yymmdd = shanghaiDay(now).slice(2).replaceAll('-', '');
      let id = '';
      for (let attempt = 0; ; attempt++) {
        try {
          id = await repo.transaction(async (trx) => {
            const n = await repo.codesLike(`ZX${yymmdd}`, trx);
            const row: CampaignRow = {
              id: crypto.randomUUID(),
              city_code: p.cityCode,
              code: `ZX${yymmdd}${String(n + 1).padStart(2, '0')}`,
              title: input.title,
              category_code: input.category,
              area_code: input.areaCode,
              description: input.description ?? '',
              owner_staff_id: owner.id,
              deadline: input.deadline,
              status: 'open',
              summary: null,
              center_lon: coords?.lon ?? null,
              center_lat: coords?.lat ?? null,
              created_at: now,
              created_by: p.id,
              closed_at: null,
              closed_by: null,
              remind_working_days: input.remindWorkingDays ?? CAMPAIGN_DEFAULTS.remindWorkingDays,
              reminded_at: null,
              escalated_at: null,
            };
            await repo.insertCampaign(row, trx);
            if (ids.length > 0) await attach(trx, p, row, ids, now);
            return row.id;
          });
          break;
        } catch (e) {
          // two campaigns opened in the same moment took the same code: take the next one
          if (!isUniqueViolation(e) || attempt >= 4) throw e;
        }
      }
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'reports.campaign_created',
        targetKind: 'report_campaign',
        targetId: id,
        detail: {
          title: input.title,
          category: input.category,
          areaCode: input.areaCode,
          ownerStaffId: owner.id,
          deadline: input.deadline,
          remindWorkingDays: input.remindWorkingDays ?? CAMPAIGN_DEFAULTS.remindWorkingDays,
          reports: ids.length,
        },
      });
      if (owner.id !== p.id) {
        // the owner learns of it in the console inbox; the campaign stands even if this fails
        await notifications
          .notify({
            cityCode: p.cityCode,
            recipientKind: 'staff',
            recipientId: owner.id,
            kind: 'reports.campaign_assigned',
            params: { title: input.title, deadline: input.deadline, count: ids.length },
            link: campaignLink(id),
          })
          .catch(() => undefined);
      }
      return detail(p, id);
    },

    async addReports(p: StaffPrincipal, id: string, reportIds: string[], ctx: AuditContext): Promise<CampaignDetail> {
      const c = await campaignToAddTo(p, id);
      const ids = [...new Set(reportIds)];
      await checkReports(p, ids, c.category_code);
      await repo.transaction(async (trx) => {
        const locked = await repo.lockCampaign(c.id, trx);
        if (locked?.status !== 'open') throw new AppError('reports.campaign_closed', 'The campaign has ended');
        await attach(trx, p, c, ids, clock.now());
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.campaign_reports_added', targetKind: 'report_campaign', targetId: c.id, detail: { reportIds: ids } });
      return detail(p, c.id);
    },

    async addNote(p: StaffPrincipal, id: string, note: string, ctx: AuditContext): Promise<CampaignDetail> {
      const c = await visibleCampaign(p, id);
      // the owner, operators in scope and the grid workers who check the reports write the progress log
      if (!roleMay(p, c).note) throw new AppError('auth.forbidden', 'You may not add notes to this campaign');
      if (c.status !== 'open') throw new AppError('reports.campaign_closed', 'The campaign has ended');
      const text = note.trim();
      if (text.length === 0) throw invalid('note', 'empty');
      await repo.transaction((trx) => repo.insertNote({ id: crypto.randomUUID(), campaign_id: c.id, at: clock.now(), staff_id: p.id, note: text }, trx));
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.campaign_note_added', targetKind: 'report_campaign', targetId: c.id });
      return detail(p, c.id);
    },

    async close(p: StaffPrincipal, id: string, summary: string, ctx: AuditContext): Promise<CampaignDetail> {
      const c = await visibleCampaign(p, id);
      if (!roleMay(p, c).close) throw new AppError('auth.forbidden', 'Only the owner or an operator closes a campaign');
      const text = summary.trim();
      if (text.length < 2) throw invalid('summary', 'write what was done');
      await repo.transaction(async (trx) => {
        const locked = await repo.lockCampaign(c.id, trx);
        if (locked?.status !== 'open') throw new AppError('reports.campaign_closed', 'The campaign has ended');
        await repo.closeCampaign(c.id, text, clock.now(), p.id, trx);
      });
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'reports.campaign_closed',
        targetKind: 'report_campaign',
        targetId: c.id,
        detail: { reports: c.report_count, closedReports: c.closed_report_count, overdue: c.deadline < shanghaiDay(clock.now()) },
      });
      return detail(p, c.id);
    },

    /**
     * Reports that could join the campaign (for operators over its area, while it is open): open
     * reports of its category in their scope and in no campaign, inside its area or within the
     * category's cluster radius of its centre, nearest first; q searches code, description, address.
     */
    async candidates(p: StaffPrincipal, id: string, q: { q?: string } = {}): Promise<CampaignCandidate[]> {
      const c = await campaignToAddTo(p, id);
      const category = (await repo.clusterCategories(c.city_code)).find((x) => x.code === c.category_code);
      const center = c.center_lon !== null && c.center_lat !== null ? { lon: c.center_lon, lat: c.center_lat } : null;
      const rows = await repo.candidates({
        scope: reportScope(p),
        category: c.category_code,
        areaCode: c.area_code,
        center,
        radiusM: category?.cluster_radius_m ?? DEFAULT_NEAR_M,
        q: q.q,
        limit: PICK_LIMIT,
      });
      const summaries = await toSummaries(c.city_code, rows);
      return summaries.map((r, i) => ({ ...r, distanceM: rows[i]!.distance_m === null ? null : Math.round(rows[i]!.distance_m!) }));
    },

    /**
     * Open campaigns a report may join (for operators who may see it, while it is in no campaign):
     * of its category, inside the operator's area; the ones whose area holds the report first, then
     * the nearest; q searches title and code.
     */
    async options(p: StaffPrincipal, reportId: string, q: { q?: string } = {}): Promise<CampaignOption[]> {
      reportScope(p);
      if (p.role !== 'operator') throw new AppError('auth.forbidden', 'Only operators add reports to a campaign');
      const [r] = UUID.test(reportId) ? await repo.reportsForScopeCheck([reportId]) : [];
      if (!r) throw new AppError('reports.not_found', 'No such report');
      if (!canSeeReport(p, { cityCode: r.city_code, areaCode: r.area_code, departmentId: r.department_id, coDepartmentIds: r.co_department_ids ?? [] })) {
        throw new AppError('reports.not_in_scope', 'This report is outside your scope');
      }
      if (r.campaign_id !== null) return [];
      const rows = await repo.openCampaignsFor({ cityCode: p.cityCode, areaPrefix: p.areaCode, category: r.category_code, q: q.q, lon: Number(r.lon), lat: Number(r.lat), limit: PICK_LIMIT });
      const campaigns = await toCampaigns(rows);
      return campaigns
        .map((c, i) => ({ ...c, coversReport: r.area_code.startsWith(c.areaCode), distanceM: rows[i]!.distance_m === null ? null : Math.round(rows[i]!.distance_m!) }))
        .sort((a, b) => Number(b.coversReport) - Number(a.coversReport) || (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity));
    },

    // ---------------- deadlines (jobs)

    /**
     * Reminds each open campaign's owner once, `remind_working_days` working days (on the holiday
     * calendar) before its deadline. The mark is written before the message is sent, in its own
     * transaction, so a second runner or a restart never sends it again.
     */
    async remindDue(): Promise<number> {
      const now = clock.now();
      const today = shanghaiDay(now);
      let n = 0;
      for (const c of await repo.dueForReminder(today, SWEEP_BATCH)) {
        const left = await calendar.workingDaysBetween(now, startOfShanghaiDay(c.deadline));
        if (left > c.remind_working_days) continue;
        const marked = await repo.transaction((trx) => repo.markCampaign(c.id, 'reminded_at', now, trx));
        if (!marked) continue;
        n++;
        await tell([toOwner(c, 'reports.campaign_due_soon')]);
      }
      return n;
    },

    /**
     * 督办: an open campaign past its deadline is told once to its owner and to the operators over its
     * area (city, district, street), with the progress so far.
     */
    async escalateDue(): Promise<number> {
      const now = clock.now();
      let n = 0;
      for (const c of await repo.dueForEscalation(shanghaiDay(now), SWEEP_BATCH)) {
        const marked = await repo.transaction((trx) => repo.markCampaign(c.id, 'escalated_at', now, trx));
        if (!marked) continue;
        n++;
        const operators = (await staff.accountsFor(c.city_code, { areaPrefix: c.city_code, role: 'operator' }))
          .filter((a) => c.area_code.startsWith(a.areaCode) && a.id !== c.owner_staff_id)
          .map((a) => a.id);
        const owner = (await staff.getStaffNames([c.owner_staff_id])).get(c.owner_staff_id) ?? '';
        await tell([toOwner(c, 'reports.campaign_overdue'), ...operators.map((id) => ({ ...toOwner(c, 'reports.campaign_escalated'), recipientId: id, params: { ...params(c), owner } }))]);
      }
      return n;
    },

    /** Metrics for staff: operators and grid workers, inside their area. */
    async metricsFor(p: StaffPrincipal, query: MetricsQuery): Promise<ReportMetrics> {
      if (p.role !== 'operator' && p.role !== 'grid_worker') throw new AppError('auth.forbidden', 'Metrics are for operators and grid workers');
      const areaCode = query.areaCode ?? p.areaCode;
      if (!areaCode.startsWith(p.areaCode)) throw new AppError('reports.not_in_scope', 'That area is outside your scope');
      return metrics(p.cityCode, { ...query, areaCode });
    },

    /** Metrics of a city (or one of its areas) without a principal: the dashboard. */
    metrics,
  };
}
export type CampaignsService = ReturnType<typeof createCampaignsService>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_DEPARTMENT = 'none';

function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + delta;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

const emptyAggregate = (key: string | null): MetricsAggregateRow => ({ key, received: 0, closed: 0, valid: 0, median_hours: null, closed_on_time: 0, on_time_known: 0 });

function toMetricsRow(r: MetricsAggregateRow, labels: Map<string, string>): MetricsRow {
  const key = r.key ?? NO_DEPARTMENT;
  return {
    key,
    label: labels.get(key) ?? key,
    received: r.received,
    closed: r.closed,
    valid: r.valid,
    validShare: r.closed > 0 ? round(r.valid / r.closed, 4) : null,
    medianHoursToClose: r.median_hours === null ? null : round(Number(r.median_hours), 1),
    closedOnTime: r.closed_on_time,
    onTimeShare: r.on_time_known > 0 ? round(r.closed_on_time / r.on_time_known, 4) : null,
  };
}
