import type { StaffPrincipal, WorkerPrincipal } from '../../contracts/auth.js';
import {
  REPORT_DEFAULTS,
  type AdminReport,
  type BulkInput,
  type BulkResult,
  type CoHandlersInput,
  type ExtensionDecision,
  type ExtensionInput,
  type HandleInput,
  type ReportEvent,
  type ReportFeedback,
  type RoutingRule,
  type RoutingRuleInput,
  type TriageInput,
  type VerifyInput,
  type WorkOrder,
} from '../../contracts/reports.js';
import { AppError, invalid } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { maskName, maskPhone } from '../../shared/mask.js';
import type { Db } from '../../db/database.js';
import type { AuditContext } from '../audit/audit.service.js';
import type { NotifyInput } from '../notifications/notifications.service.js';
import { assertCanSee, canSeeReport, isLeadHandler, reportScope, type ReportScopeFacts } from './reports.access.js';
import type { ReportsModuleDeps } from './reports.module.js';
import type { ReportsService } from './reports.service.js';
import { matchRoutingRule, streetOf } from './routing.js';
import { createWorkflowRepository, type CategoryFacts, type NewEvent, type OrderPatch, type OrderRow, type ReportPatch, type RuleRow, type WfReportRow } from './workflow.repository.js';

export type AdminAction = AdminReport['actions'][number];

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** The safety net leaves a fresh report to the submit hook for this long before triaging it itself. */
const TRIAGE_GRACE_MS = 30_000;
const SWEEP_BATCH = 200;
const RUNNING = ['dispatched', 'acknowledged'] as const;
const isRunning = (s: string) => (RUNNING as readonly string[]).includes(s);

export const REPORTS_POINTS_JOB = 'reports.award_points';

/** 'YYYY-MM-DD HH:mm' on the Shanghai wall clock, for notification texts. */
export const shanghaiMinute = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

const workerLink = (id: string) => `/worker/reports/${id}`;
const staffLink = (id: string) => `/admin/reports/${id}`;
const photoUrl = (id: string) => `/api/reports/photos/${id}`;

const facts = (r: WfReportRow, o: OrderRow | undefined): ReportScopeFacts => ({
  cityCode: r.city_code,
  areaCode: r.area_code,
  departmentId: o?.department_id ?? r.department_id,
  coDepartmentIds: o?.co_department_ids ?? [],
});

/** Who may take an action at all (role, scope, lead department), whatever the report's state. */
const ROLE_MAY: Record<AdminAction, (p: StaffPrincipal, f: ReportScopeFacts) => boolean> = {
  triage: (p, f) => p.role === 'operator' && canSeeReport(p, f),
  acknowledge: isLeadHandler,
  return: isLeadHandler,
  extension: isLeadHandler,
  co_handlers: isLeadHandler,
  decide_extension: (p, f) => p.role === 'operator' && canSeeReport(p, f),
  // the lead or a co-handling department (协办) may report the result
  handle: (p, f) => (p.role === 'operator' || p.role === 'handler') && canSeeReport(p, f),
  verify: (p, f) => (p.role === 'operator' || p.role === 'grid_worker') && canSeeReport(p, f),
  // the ledger lets only operators of the whole city claw points back
  clawback: (p, f) => p.role === 'operator' && p.areaCode === p.cityCode && canSeeReport(p, f),
};

/** In which states an action makes sense (the lifecycle in src/contracts/reports.ts). */
const STATE_ALLOWS: Record<AdminAction, (r: WfReportRow, o: OrderRow | undefined) => boolean> = {
  triage: (r) => r.status === 'pending_triage' || isRunning(r.status),
  acknowledge: (r, o) => r.status === 'dispatched' && o?.status === 'dispatched',
  return: (r, o) => isRunning(r.status) && !!o && isRunning(o.status),
  extension: (r, o) => isRunning(r.status) && !!o && isRunning(o.status) && o.extension_status !== 'pending',
  co_handlers: (r, o) => isRunning(r.status) && !!o && isRunning(o.status),
  decide_extension: (r, o) => isRunning(r.status) && o?.extension_status === 'pending',
  handle: (r, o) => r.status === 'acknowledged' && o?.status === 'acknowledged',
  verify: (r) => r.status === 'handled',
  clawback: (r) => r.points_transaction_id !== null && r.clawed_back_at === null,
};
const ALL_ACTIONS = Object.keys(ROLE_MAY) as AdminAction[];

export function actionsFor(p: StaffPrincipal, r: WfReportRow, o: OrderRow | undefined): AdminAction[] {
  const f = facts(r, o);
  return ALL_ACTIONS.filter((a) => ROLE_MAY[a](p, f) && STATE_ALLOWS[a](r, o));
}

interface Step {
  report: ReportPatch;
  orders?: { id: string; patch: OrderPatch }[];
  newOrder?: OrderRow;
  events: NewEvent[];
  /** More writes in the same transaction (after the report's compare-and-set). */
  also?: (trx: Db) => Promise<void>;
}

/**
 * The workflow after capture: triage (分流) by routing rules or by hand, work orders with deadlines on
 * the working-day calendar (交办 / 签收 / 退回 / 延期 / 协办 / 处置), verification (核查) with points for
 * valid reports, the reporter's confirm/dispute, clawback, the staff detail view, reminders and
 * escalation (督办). Every transition runs in one transaction guarded by the report's `version`
 * (compare-and-set), writes its timeline events, and is audited; messages and points follow the commit.
 */
export function createWorkflowService(deps: ReportsModuleDeps & { reports: Pick<ReportsService, 'attachPhotos' | 'categoryOf'> }) {
  const { db, clock, calendar, audit, areas, staff, workers, notifications, earning, ledger, jobs, pii, reports } = deps;
  const repo = createWorkflowRepository(db);

  // Messages and follow-ups never undo a committed transition; a failure is logged, not thrown.
  const warn = (what: string, err: unknown) => console.error(`[reports.workflow] ${what}`, err);

  const tell = (items: NotifyInput[]) => notifications.notifyAll(items, 'reports.workflow');

  const toWorkers = (r: WfReportRow, ids: (string | null)[], kind: string, params: Record<string, string | number> = {}): NotifyInput[] =>
    [...new Set(ids.filter((x): x is string => !!x))].map((id) => ({ cityCode: r.city_code, recipientKind: 'worker', recipientId: id, kind, params: { code: r.code, ...params }, link: workerLink(r.id) }));

  const toStaff = (r: WfReportRow, ids: string[], kind: string, params: Record<string, string | number> = {}): NotifyInput[] =>
    [...new Set(ids)].map((id) => ({ cityCode: r.city_code, recipientKind: 'staff', recipientId: id, kind, params: { code: r.code, ...params }, link: staffLink(r.id) }));

  /** Handlers of a department whose area contains the report's. */
  async function handlersOf(r: WfReportRow, departmentIds: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const departmentId of departmentIds) {
      const list = await staff.accountsFor(r.city_code, { areaPrefix: r.city_code, role: 'handler', departmentId });
      ids.push(...list.filter((a) => r.area_code.startsWith(a.areaCode)).map((a) => a.id));
    }
    return ids;
  }

  async function staffInArea(r: WfReportRow, role: 'operator' | 'grid_worker'): Promise<string[]> {
    const list = await staff.accountsFor(r.city_code, { areaPrefix: r.city_code, role });
    return list.filter((a) => r.area_code.startsWith(a.areaCode)).map((a) => a.id);
  }

  async function categoryFacts(cityCode: string, code: string) {
    return (await repo.category(cityCode, code)) ?? { code, name_zh: code, points_rule: 'valid_report', deadline_working_days: REPORT_DEFAULTS.deadlineWorkingDays };
  }

  async function load(id: string): Promise<{ r: WfReportRow; o: OrderRow | undefined }> {
    const r = await repo.report(id);
    if (!r) throw new AppError('reports.not_found', 'No such report');
    return { r, o: await repo.currentOrder(id) };
  }

  /** Loads the report and checks the staff member may take this action now. */
  async function loadFor(p: StaffPrincipal, id: string, action: AdminAction) {
    reportScope(p);
    const { r, o } = await load(id);
    const f = facts(r, o);
    assertCanSee(p, f);
    if (!ROLE_MAY[action](p, f)) throw new AppError('auth.forbidden', `Your role (${p.role}) may not ${action.replace('_', ' ')} this report`);
    if (!STATE_ALLOWS[action](r, o)) throw new AppError('reports.invalid_state', `A report that is ${r.status} cannot take this action`);
    return { r, o };
  }

  /** Writes a transition atomically; fails with request.conflict when the report changed since it was read. */
  async function commit(r: WfReportRow, step: Step): Promise<void> {
    const now = clock.now();
    if (!step.orders?.length && !step.newOrder && !step.also && step.events.length) {
      // the report and its events only: one statement (atomic on its own)
      if (!(await repo.updateReportWithEvents(r.id, r.version, step.report, now, step.events))) throw new AppError('request.conflict', 'The report was changed meanwhile; reload it and try again');
      return;
    }
    if (!step.orders?.length && step.newOrder && !step.also) {
      // a first work order (triage by rule or by hand): one statement as well
      if (!(await repo.updateReportWithNewOrder(r.id, r.version, step.report, now, step.newOrder, step.events))) throw new AppError('request.conflict', 'The report was changed meanwhile; reload it and try again');
      return;
    }
    await repo.transaction(async (trx) => {
      // the compare-and-set first: it also takes the row lock, so concurrent transitions queue here
      const ok = await repo.updateReport(r.id, r.version, step.report, now, trx);
      if (!ok) throw new AppError('request.conflict', 'The report was changed meanwhile; reload it and try again');
      for (const o of step.orders ?? []) await repo.updateOrder(o.id, o.patch, trx);
      if (step.newOrder) await repo.insertOrder(step.newOrder, trx);
      await step.also?.(trx);
      await repo.insertEvents(step.events, trx);
    });
  }

  const event = (r: WfReportRow, type: NewEvent['type'], actor: { kind: NewEvent['actor_kind']; id: string | null }, isPublic: boolean, data: Record<string, unknown> = {}): NewEvent => ({
    report_id: r.id,
    at: clock.now(),
    type,
    actor_kind: actor.kind,
    actor_id: actor.id,
    public: isPublic,
    data,
  });
  const staffActor = (p: StaffPrincipal) => ({ kind: 'staff' as const, id: p.id });
  const SYSTEM = { kind: 'system' as const, id: null };

  const record = (ctx: AuditContext, r: WfReportRow, action: string, detail: Record<string, unknown> = {}) =>
    audit.record(ctx, { cityCode: r.city_code, action: `reports.${action}`, targetKind: 'report', targetId: r.id, detail: { code: r.code, ...detail } });

  const onTime = (r: WfReportRow, at: Date) => (r.deadline_at ? at.getTime() <= r.deadline_at.getTime() : null);

  // ---------------------------------------------------------------- dispatch (交办)

  async function dispatch(
    r: WfReportRow,
    o: OrderRow | undefined,
    target: { departmentId: string; streetCode: string | null; ruleId: string | null; by: 'rule' | 'staff'; actor: { kind: 'staff' | 'system'; id: string | null }; category?: string; note?: string },
    known?: CategoryFacts,
  ): Promise<void> {
    const names = await staff.departmentNames(r.city_code);
    const departmentName = names.get(target.departmentId);
    if (!departmentName) throw new AppError('reports.department_not_found', 'No such department in this city');
    const code = target.category ?? r.category_code;
    const category = known?.code === code ? known : await categoryFacts(r.city_code, code);
    const now = clock.now();
    const deadline = await calendar.deadlineAfter(now, category.deadline_working_days);
    const order: OrderRow = {
      id: newId(),
      report_id: r.id,
      city_code: r.city_code,
      department_id: target.departmentId,
      street_code: target.streetCode,
      co_department_ids: [],
      status: 'dispatched',
      current: true,
      dispatched_at: now,
      dispatched_by: target.actor.id ?? 'rule',
      deadline_at: deadline,
      acknowledged_at: null,
      acknowledged_by: null,
      returned_at: null,
      returned_by: null,
      return_reason: null,
      extension_days: null,
      extension_reason: null,
      extension_status: null,
      extension_requested_by: null,
      handled_at: null,
      handled_by: null,
      result: null,
      reminded_at: null,
      escalated_at: null,
    };
    const events = [
      event(r, 'routed', target.actor, true, {
        departmentId: target.departmentId,
        departmentName,
        streetCode: target.streetCode,
        ruleId: target.ruleId,
        by: target.by,
        deadlineAt: deadline.toISOString(),
        ...(target.category && target.category !== r.category_code ? { category: target.category, previousCategory: r.category_code } : {}),
        ...(target.note ? { note: target.note } : {}),
      }),
    ];
    await commit(r, {
      report: {
        status: 'dispatched',
        department_id: target.departmentId,
        street_code: target.streetCode,
        routing_rule_id: target.ruleId,
        deadline_at: deadline,
        category_code: category.code,
      },
      // a reassignment keeps the earlier order as history
      orders: o ? [{ id: o.id, patch: { status: 'superseded', current: false } }] : [],
      newOrder: order,
      events,
    });
    await tell(toStaff(r, await handlersOf(r, [target.departmentId]), 'reports.routed', { category: category.name_zh, deadline: shanghaiMinute(deadline) }));
  }

  /** 分流 by the routing rules. Acts only on a report nobody has decided about yet; safe to call twice. */
  async function triage(reportId: string, stored?: WfReportRow, category?: CategoryFacts): Promise<void> {
    // The row submit just inserted (version 1: no transition ever committed, so no decision and no
    // returned order) needs no reading back; anything else is read. Either way the compare-and-set in
    // commit() makes a concurrent triage (the safety net) lose cleanly.
    const fresh = stored !== undefined && stored.id === reportId && stored.status === 'pending_triage' && stored.version === 1;
    const r = fresh ? stored : await repo.report(reportId);
    if (!r || r.status !== 'pending_triage' || (!fresh && (await repo.hasTriageDecision(reportId)))) return;
    const [rules, excluded] = await Promise.all([repo.rules(r.city_code, { activeOnly: true }), fresh ? [] : repo.returnedDepartments(reportId)]);
    const rule = matchRoutingRule(
      rules.map((x) => ({ id: x.id, categoryCode: x.category_code, areaPrefix: x.area_prefix, departmentId: x.department_id, streetCode: x.street_code, priority: x.priority, active: x.active })),
      { category: r.category_code, areaCode: r.area_code },
      { excludeDepartmentIds: excluded },
    );
    try {
      if (rule) await dispatch(r, undefined, { departmentId: rule.departmentId, streetCode: streetOf(rule, r.area_code), ruleId: rule.id, by: 'rule', actor: SYSTEM }, fresh ? category : undefined);
      else await commit(r, { report: {}, events: [event(r, 'triage_needed', SYSTEM, false, { reason: 'no_rule' })] });
    } catch (e) {
      // another triage (the hook and the safety net) decided first
      if (e instanceof AppError && e.code === 'request.conflict') return;
      throw e;
    }
  }

  // ---------------------------------------------------------------- closing

  /** Closes as duplicate: merged into the original; the reporter follows the original from now on. */
  async function closeAsDuplicate(p: StaffPrincipal, r: WfReportRow, o: OrderRow | undefined, intoId: string | undefined, note: string | undefined, viaVerify: boolean) {
    if (!intoId || intoId === r.id) throw new AppError('reports.duplicate_target', 'Name the original report to merge into', { errors: [{ field: 'intoId', message: 'required' }] });
    const into = await repo.report(intoId);
    if (!into || into.city_code !== r.city_code) throw new AppError('reports.duplicate_target', 'No such original report', { errors: [{ field: 'intoId', message: 'not found' }] });
    if (into.outcome === 'duplicate') throw new AppError('reports.duplicate_target', 'That report is itself a duplicate; merge into its original', { errors: [{ field: 'intoId', message: 'is a duplicate' }] });
    if (!canSeeReport(p, facts(into, await repo.currentOrder(into.id)))) throw new AppError('reports.duplicate_target', 'The original is outside your scope', { errors: [{ field: 'intoId', message: 'out of scope' }] });
    const now = clock.now();
    const actor = staffActor(p);
    const events = [
      ...(viaVerify ? [event(r, 'verified', actor, true, { verdict: 'duplicate', note: note ?? null })] : []),
      event(r, 'merged', actor, true, { intoId: into.id, intoCode: into.code, ...(note && !viaVerify ? { note } : {}) }),
      event(r, 'closed', actor, true, { outcome: 'duplicate', onTime: onTime(r, now) }),
    ];
    let newFollower = false;
    await commit(r, {
      report: { status: 'closed', outcome: 'duplicate', merged_into: into.id, closed_at: now, closed_on_time: onTime(r, now) },
      orders: o && isRunning(o.status) ? [{ id: o.id, patch: { status: 'superseded', current: false } }] : [],
      events,
      also: async (trx) => {
        await repo.insertEvents([{ ...event(into, 'duplicate_merged_in', actor, false, { fromId: r.id, fromCode: r.code }) }], trx);
        if (r.reporter_worker_id && r.reporter_worker_id !== into.reporter_worker_id) newFollower = await repo.addFollower(into.id, r.reporter_worker_id, 'merged', now, trx);
      },
    });
    if (r.reporter_worker_id) await awardPoints(r.id, 'duplicate');
    await tell([
      ...toWorkers(r, [r.reporter_worker_id], 'reports.merged', { intoCode: into.code }),
      ...toWorkers(into, [into.reporter_worker_id, ...(await repo.followers(into.id))].filter((w) => w !== r.reporter_worker_id), 'reports.merged_in', { fromCode: r.code }),
    ]);
    return { into, newFollower };
  }

  async function closeAsInvalid(p: StaffPrincipal, r: WfReportRow, o: OrderRow | undefined, note: string | undefined, viaVerify: boolean) {
    const now = clock.now();
    const actor = staffActor(p);
    await commit(r, {
      report: { status: 'closed', outcome: 'invalid', closed_at: now, closed_on_time: onTime(r, now) },
      orders: o && isRunning(o.status) ? [{ id: o.id, patch: { status: 'superseded', current: false } }] : [],
      events: [...(viaVerify ? [event(r, 'verified', actor, true, { verdict: 'invalid', note: note ?? null })] : []), event(r, 'closed', actor, true, { outcome: 'invalid', onTime: onTime(r, now), ...(!viaVerify && note ? { note } : {}) })],
    });
    await tell(toWorkers(r, [r.reporter_worker_id], 'reports.closed_invalid'));
  }

  /**
   * Points for the reporter (after the commit; earning has its own transaction). The key makes it once
   * per report, so a reopened and re-closed report never earns twice. A failure is retried by a job.
   */
  async function awardPoints(reportId: string, kind: 'valid' | 'duplicate'): Promise<void> {
    try {
      await awardPointsNow(reportId, kind);
    } catch (e) {
      warn(`points for report ${reportId}; a job retries`, e);
      await jobs.enqueue(REPORTS_POINTS_JOB, { reportId, kind }, { uniqueKey: `${kind}:${reportId}` });
    }
  }

  async function awardPointsNow(reportId: string, kind: 'valid' | 'duplicate'): Promise<void> {
    const r = await repo.report(reportId);
    if (!r?.reporter_worker_id || r.clawed_back_at) return;
    const rule = kind === 'valid' ? (await categoryFacts(r.city_code, r.category_code)).points_rule : 'duplicate_report';
    const res = await earning.earn({
      cityCode: r.city_code,
      workerId: r.reporter_worker_id,
      rule,
      source: { type: 'report', id: r.id },
      idempotencyKey: `report-${kind}:${r.id}`,
      createdBy: 'reports',
    });
    if (res.replayed && r.points_transaction_id === res.transactionId) return;
    const now = clock.now();
    await repo.transaction(async (trx) => {
      const fresh = (await repo.report(r.id, trx, { forUpdate: true }))!;
      await repo.updateReport(r.id, fresh.version, { points_granted: res.granted, points_transaction_id: res.transactionId }, now, trx);
      if (res.granted > 0) await repo.insertEvents([event(r, 'points_awarded', SYSTEM, true, { points: res.granted, outcome: kind === 'valid' ? 'fixed' : 'duplicate', rule })], trx);
    });
    if (res.granted > 0) await tell(toWorkers(r, [r.reporter_worker_id], 'reports.points', { points: res.granted }));
  }

  // ---------------------------------------------------------------- the staff detail

  async function maskedReporter(r: WfReportRow): Promise<string | null> {
    if (r.reporter_worker_id) {
      const w = await workers.getWorkerSummary(r.reporter_worker_id);
      return w ? (w.nameMasked ?? w.phoneMasked) : null;
    }
    if (r.contact_enc) {
      try {
        const c = JSON.parse(pii.decrypt(r.contact_enc)) as { firstName?: string; lastName?: string; phone?: string; email?: string };
        const name = `${c.lastName ?? ''}${c.firstName ?? ''}`.trim();
        if (name) return maskName(name);
        if (c.phone) return maskPhone(c.phone);
        if (c.email) return `${c.email.slice(0, 1)}***@${c.email.split('@')[1] ?? ''}`;
      } catch (e) {
        warn(`contact of report ${r.id}`, e);
      }
    }
    return null;
  }

  async function view(p: StaffPrincipal, r: WfReportRow, o: OrderRow | undefined): Promise<AdminReport> {
    const [orders, events, photos, duplicates, depts, reporterMasked] = await Promise.all([
      repo.orders(r.id),
      repo.events(r.id),
      repo.photos(r.id),
      repo.duplicatesOf(r.id),
      staff.departmentNames(r.city_code),
      maskedReporter(r),
    ]);
    const areaCodes = [r.area_code, ...orders.map((x) => x.street_code).filter((x): x is string => !!x)];
    const [areaNames, staffNames, mergedInto] = await Promise.all([
      areas.names(areaCodes),
      staff.getStaffNames(events.filter((e) => e.actor_kind === 'staff' && e.actor_id).map((e) => e.actor_id!)),
      r.merged_into ? repo.report(r.merged_into) : Promise.resolve(undefined),
    ]);
    const workerNames = new Map<string, string | null>();
    for (const id of new Set(events.filter((e) => e.actor_kind === 'worker' && e.actor_id).map((e) => e.actor_id!))) {
      const w = await workers.getWorkerSummary(id);
      workerNames.set(id, w ? (w.nameMasked ?? w.phoneMasked) : null);
    }
    const now = clock.now();
    const timeline: ReportEvent[] = events.map((e) => ({
      id: String(e.id),
      at: e.at.toISOString(),
      type: e.type,
      actor: {
        kind: e.actor_kind,
        name: e.actor_kind === 'staff' ? (staffNames.get(e.actor_id ?? '') ?? null) : e.actor_kind === 'worker' ? (workerNames.get(e.actor_id ?? '') ?? null) : null,
      },
      public: e.public,
      data: e.data,
    }));
    const toOrder = (x: OrderRow): WorkOrder => ({
      id: x.id,
      departmentId: x.department_id,
      departmentName: depts.get(x.department_id) ?? x.department_id,
      streetCode: x.street_code,
      streetName: x.street_code ? (areaNames.get(x.street_code) ?? null) : null,
      coDepartments: x.co_department_ids.map((id) => ({ id, name: depts.get(id) ?? id })),
      status: x.status,
      current: x.current,
      dispatchedAt: x.dispatched_at.toISOString(),
      deadlineAt: x.deadline_at.toISOString(),
      acknowledgedAt: x.acknowledged_at?.toISOString() ?? null,
      returnedAt: x.returned_at?.toISOString() ?? null,
      returnReason: x.return_reason,
      extension: x.extension_status ? { days: x.extension_days ?? 0, reason: x.extension_reason ?? '', status: x.extension_status } : null,
      handledAt: x.handled_at?.toISOString() ?? null,
      result: x.result,
    });
    const before = photos.find((x) => x.kind === 'before');
    return {
      id: r.id,
      code: r.code,
      category: r.category_code,
      description: r.description,
      status: r.status,
      outcome: r.outcome,
      source: r.source,
      lon: r.lon,
      lat: r.lat,
      address: r.address,
      areaCode: r.area_code,
      areaName: areaNames.get(r.area_code) ?? r.area_code,
      departmentId: r.department_id,
      departmentName: r.department_id ? (depts.get(r.department_id) ?? null) : null,
      deadlineAt: r.deadline_at?.toISOString() ?? null,
      overdue: !!r.deadline_at && isRunning(r.status) && r.deadline_at.getTime() < now.getTime(),
      flags: r.flags,
      followerCount: r.follower_count,
      submittedAt: r.submitted_at.toISOString(),
      closedAt: r.closed_at?.toISOString() ?? null,
      reporterMasked,
      photoUrl: before ? photoUrl(before.id) : null,
      campaignId: r.campaign_id,
      tags: r.tags,
      accuracyM: r.accuracy_m,
      locationSource: r.location_source,
      photos: photos.map((x) => ({ id: x.id, kind: x.kind, url: photoUrl(x.id), width: x.width, height: x.height })),
      timeline,
      orders: orders.map(toOrder),
      mergedInto: mergedInto ? { id: mergedInto.id, code: mergedInto.code } : null,
      duplicates,
      feedback: r.feedback,
      pointsGranted: r.points_granted,
      clawedBack: r.clawed_back_at !== null,
      routingRuleId: r.routing_rule_id,
      actions: actionsFor(p, r, o),
    };
  }

  /** The fresh detail after an action (the action itself is audited). */
  async function fresh(p: StaffPrincipal, id: string): Promise<AdminReport> {
    const { r, o } = await load(id);
    return view(p, r, o);
  }

  // ---------------------------------------------------------------- routing rules

  function requireOperator(p: StaffPrincipal) {
    if (p.role !== 'operator') throw new AppError('auth.forbidden', 'Only operators manage routing rules');
  }

  async function toRule(rows: RuleRow[]): Promise<RoutingRule[]> {
    if (!rows.length) return [];
    const [depts, names] = await Promise.all([staff.departmentNames(rows[0]!.city_code), areas.names(rows.map((x) => x.area_prefix))]);
    return rows.map((x) => ({
      id: x.id,
      category: x.category_code,
      areaPrefix: x.area_prefix,
      areaName: names.get(x.area_prefix) ?? x.area_prefix,
      departmentId: x.department_id,
      departmentName: depts.get(x.department_id) ?? x.department_id,
      streetCode: x.street_code,
      priority: x.priority,
      active: x.active,
      note: x.note,
      updatedAt: x.updated_at.toISOString(),
    }));
  }

  async function checkRuleInput(p: StaffPrincipal, input: RoutingRuleInput): Promise<void> {
    if (!input.areaPrefix.startsWith(p.areaCode)) throw new AppError('areas.out_of_scope', 'The area is outside your scope', { errors: [{ field: 'areaPrefix', message: 'outside your area' }] });
    const area = await areas.find(input.areaPrefix);
    if (!area || !input.areaPrefix.startsWith(p.cityCode)) throw invalid('areaPrefix', 'not an area of this city');
    if (input.streetCode) {
      const street = await areas.find(input.streetCode);
      if (!street || !input.streetCode.startsWith(p.cityCode)) throw invalid('streetCode', 'not a street of this city');
    }
    if (input.category !== null && !(await reports.categoryOf(p.cityCode, input.category))) {
      throw new AppError('reports.category_not_found', 'No such category', { errors: [{ field: 'category', message: 'not found' }] });
    }
    const dept = (await staff.departmentsOf(p.cityCode)).find((d) => d.id === input.departmentId);
    if (!dept || !dept.active) throw new AppError('reports.department_not_found', 'No such department', { errors: [{ field: 'departmentId', message: 'not found' }] });
  }

  async function ruleInScope(p: StaffPrincipal, id: string): Promise<RuleRow> {
    requireOperator(p);
    const row = await repo.rule(id);
    if (!row || row.city_code !== p.cityCode) throw new AppError('reports.rule_not_found', 'No such routing rule');
    if (!row.area_prefix.startsWith(p.areaCode)) throw new AppError('areas.out_of_scope', 'The rule is outside your area');
    return row;
  }

  // ---------------------------------------------------------------- the service

  const service = {
    triage,

    /** The safety net: triages reports the submit hook never got to. Returns how many it looked at. */
    async triagePending(): Promise<number> {
      const ids = await repo.undecided(new Date(clock.now().getTime() - TRIAGE_GRACE_MS), SWEEP_BATCH);
      for (const id of ids) {
        try {
          await triage(id);
        } catch (e) {
          warn(`triage ${id}`, e);
        }
      }
      return ids.length;
    },

    async detail(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<AdminReport> {
      reportScope(p);
      const { r, o } = await load(id);
      assertCanSee(p, facts(r, o));
      await record(ctx, r, 'viewed');
      return view(p, r, o);
    },

    /** 分流 by hand (operator): dispatch (or reassign) to a department, or close as duplicate / invalid. */
    async triageByHand(p: StaffPrincipal, id: string, input: TriageInput, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'triage');
      if (input.action === 'dispatch') {
        if (input.category && !(await repo.category(r.city_code, input.category))) {
          throw new AppError('reports.category_not_found', 'No such category', { errors: [{ field: 'category', message: 'not found' }] });
        }
        if (input.streetCode && !(await areas.find(input.streetCode))) throw invalid('streetCode', 'not an area of this city');
        await dispatch(r, o, {
          departmentId: input.departmentId,
          streetCode: input.streetCode ?? streetOf(null, r.area_code),
          ruleId: null,
          by: 'staff',
          actor: staffActor(p),
          category: input.category,
          note: input.note,
        });
        await record(ctx, r, 'dispatched', { departmentId: input.departmentId, reassigned: !!o });
      } else if (input.action === 'duplicate') {
        const { into } = await closeAsDuplicate(p, r, o, input.intoId, input.note, false);
        await record(ctx, r, 'merged', { intoId: into.id, at: 'triage' });
      } else {
        await closeAsInvalid(p, r, o, input.note, false);
        await record(ctx, r, 'closed_invalid', { at: 'triage', note: input.note });
      }
      return fresh(p, id);
    },

    /** 签收 */
    async acknowledge(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'acknowledge');
      const now = clock.now();
      await commit(r, {
        report: { status: 'acknowledged' },
        orders: [{ id: o!.id, patch: { status: 'acknowledged', acknowledged_at: now, acknowledged_by: p.id } }],
        events: [event(r, 'acknowledged', staffActor(p), true, { departmentId: o!.department_id })],
      });
      await record(ctx, r, 'acknowledged');
      return fresh(p, id);
    },

    /**
     * 退回 (jurisdiction disputed): the order is kept as returned history; the report goes back to the
     * human triage queue (never auto-routed to this department again) and operators are told.
     */
    async returnReport(p: StaffPrincipal, id: string, reason: string, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'return');
      const text = reason.trim();
      if (text.length < 2) throw new AppError('reports.reason_required', 'Say why the report is returned', { errors: [{ field: 'reason', message: 'required' }] });
      const now = clock.now();
      await commit(r, {
        report: { status: 'pending_triage', department_id: null, street_code: null, routing_rule_id: null, deadline_at: null },
        orders: [{ id: o!.id, patch: { status: 'returned', current: false, returned_at: now, returned_by: p.id, return_reason: text } }],
        events: [event(r, 'returned', staffActor(p), true, { reason: text, departmentId: o!.department_id }), event(r, 'triage_needed', SYSTEM, false, { reason: 'returned' })],
      });
      await record(ctx, r, 'returned', { departmentId: o!.department_id, reason: text });
      await tell(toStaff(r, await staffInArea(r, 'operator'), 'reports.returned', { reason: text }));
      return fresh(p, id);
    },

    /** 延期申请: more working days, decided by an operator. */
    async requestExtension(p: StaffPrincipal, id: string, input: ExtensionInput, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'extension');
      const reason = input.reason.trim();
      if (reason.length < 2) throw new AppError('reports.reason_required', 'Say why more time is needed', { errors: [{ field: 'reason', message: 'required' }] });
      await commit(r, {
        report: {},
        orders: [{ id: o!.id, patch: { extension_days: input.days, extension_reason: reason, extension_status: 'pending', extension_requested_by: p.id } }],
        events: [event(r, 'extension_requested', staffActor(p), false, { days: input.days, reason })],
      });
      await record(ctx, r, 'extension_requested', { days: input.days });
      await tell(toStaff(r, await staffInArea(r, 'operator'), 'reports.extension_requested', { days: input.days }));
      return fresh(p, id);
    },

    /** Approved: the deadline moves by that many working days from the current deadline. */
    async decideExtension(p: StaffPrincipal, id: string, input: ExtensionDecision, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'decide_extension');
      const days = o!.extension_days ?? 0;
      const deadline = input.approved ? await calendar.deadlineAfter(o!.deadline_at, days) : o!.deadline_at;
      await commit(r, {
        report: input.approved ? { deadline_at: deadline } : {},
        // a new deadline gets its own reminder
        orders: [{ id: o!.id, patch: input.approved ? { extension_status: 'approved', deadline_at: deadline, reminded_at: null } : { extension_status: 'rejected' } }],
        events: [event(r, 'extension_decided', staffActor(p), input.approved, { approved: input.approved, days, deadlineAt: deadline.toISOString(), note: input.note ?? null })],
      });
      await record(ctx, r, 'extension_decided', { approved: input.approved, days });
      if (o!.extension_requested_by) {
        await tell(toStaff(r, [o!.extension_requested_by], input.approved ? 'reports.extension_approved' : 'reports.extension_rejected', { days, deadline: shanghaiMinute(deadline) }));
      }
      return fresh(p, id);
    },

    /** 协办: departments that help; they see the report and may report the result. */
    async addCoHandlers(p: StaffPrincipal, id: string, input: CoHandlersInput, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'co_handlers');
      const depts = new Map((await staff.departmentsOf(r.city_code)).filter((d) => d.active).map((d) => [d.id, d]));
      for (const d of input.departmentIds) {
        if (!depts.has(d)) throw new AppError('reports.department_not_found', 'No such department', { errors: [{ field: 'departmentIds', message: `${d} not found` }] });
      }
      const added = [...new Set(input.departmentIds)].filter((d) => d !== o!.department_id && !o!.co_department_ids.includes(d));
      if (added.length) {
        await commit(r, {
          report: {},
          orders: [{ id: o!.id, patch: { co_department_ids: [...o!.co_department_ids, ...added] } }],
          events: [event(r, 'co_handlers_added', staffActor(p), false, { departmentIds: added })],
        });
        await record(ctx, r, 'co_handlers_added', { departmentIds: added });
        await tell(toStaff(r, await handlersOf(r, added), 'reports.co_handling'));
      }
      return fresh(p, id);
    },

    /** 处置: the result and after-photos; then it waits for verification. */
    async handle(p: StaffPrincipal, id: string, input: HandleInput, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'handle');
      const result = input.result.trim();
      if (result.length < 2) throw invalid('result', 'describe what was done');
      const now = clock.now();
      await commit(r, {
        report: { status: 'handled', handled_at: now },
        orders: [{ id: o!.id, patch: { status: 'handled', handled_at: now, handled_by: p.id, result } }],
        events: [event(r, 'handled', staffActor(p), true, { result, photoIds: input.photoIds })],
        also: (trx) => reports.attachPhotos(r.id, input.photoIds, 'after', { kind: 'staff', id: p.id }, trx),
      });
      await record(ctx, r, 'handled', { photos: input.photoIds.length });
      await tell([
        ...toWorkers(r, [r.reporter_worker_id, ...(await repo.followers(r.id))], 'reports.handled'),
        ...toStaff(r, await staffInArea(r, 'grid_worker'), 'reports.to_verify'),
      ]);
      return fresh(p, id);
    },

    /** 核查: valid → closed/fixed with points; invalid; duplicate (merged); not fixed → back to the handler. */
    async verify(p: StaffPrincipal, id: string, input: VerifyInput, ctx: AuditContext): Promise<AdminReport> {
      const { r, o } = await loadFor(p, id, 'verify');
      const note = input.note?.trim() || undefined;
      const actor = staffActor(p);
      const now = clock.now();
      switch (input.verdict) {
        case 'valid': {
          const inTime = onTime(r, now);
          await commit(r, {
            report: { status: 'closed', outcome: 'fixed', closed_at: now, closed_on_time: inTime, feedback: null, feedback_deadline: new Date(now.getTime() + REPORT_DEFAULTS.feedbackDays * DAY) },
            events: [event(r, 'verified', actor, true, { verdict: 'valid', note: note ?? null }), event(r, 'closed', actor, true, { outcome: 'fixed', onTime: inTime })],
          });
          await record(ctx, r, 'verified', { verdict: 'valid', onTime: inTime });
          await tell(toWorkers(r, [r.reporter_worker_id, ...(await repo.followers(r.id))], 'reports.closed'));
          await awardPoints(r.id, 'valid');
          break;
        }
        case 'invalid':
          await closeAsInvalid(p, r, o, note, true);
          await record(ctx, r, 'verified', { verdict: 'invalid' });
          break;
        case 'duplicate': {
          const { into } = await closeAsDuplicate(p, r, o, input.intoId, note, true);
          await record(ctx, r, 'verified', { verdict: 'duplicate', intoId: into.id });
          break;
        }
        case 'not_fixed':
          await commit(r, {
            report: { status: 'acknowledged', handled_at: null },
            orders: o ? [{ id: o.id, patch: { status: 'acknowledged', handled_at: null, handled_by: null } }] : [],
            events: [event(r, 'verified', actor, true, { verdict: 'not_fixed', note: note ?? null })],
          });
          await record(ctx, r, 'verified', { verdict: 'not_fixed' });
          if (o) await tell(toStaff(r, await handlersOf(r, [o.department_id]), 'reports.not_fixed', { note: note ?? '' }));
          break;
      }
      return fresh(p, id);
    },

    /** The report proved fraudulent: its points back (the ledger's clawback) and the flag. */
    async clawback(p: StaffPrincipal, id: string, reason: string, ctx: AuditContext): Promise<AdminReport> {
      const { r } = await loadFor(p, id, 'clawback');
      const text = reason.trim();
      if (text.length < 2) throw new AppError('reports.reason_required', 'Say why the points are taken back', { errors: [{ field: 'reason', message: 'required' }] });
      const res = await ledger.clawback(p, r.points_transaction_id!, text, ctx);
      await commit(r, {
        report: { clawed_back_at: clock.now(), flags: r.flags.includes('fraud') ? r.flags : [...r.flags, 'fraud'] },
        events: [event(r, 'points_clawed_back', staffActor(p), false, { points: res.clawedBack, shortfall: res.shortfall, reason: text })],
      });
      await record(ctx, r, 'clawed_back', { points: res.clawedBack, transactionId: res.transactionId });
      return fresh(p, id);
    },

    /**
     * The reporter confirms, or disputes within the feedback window. A dispute reopens the report:
     * back to the same department as acknowledged, with a fresh deadline of the category's working days
     * from now (the old one has usually passed) watched again by reminders and escalation; the points
     * stay (the problem was real), and the reporter may give feedback again after the next close.
     */
    async feedback(w: WorkerPrincipal, reportId: string, input: ReportFeedback, ctx: AuditContext): Promise<void> {
      const { r, o } = await load(reportId);
      if (r.reporter_worker_id !== w.id || r.city_code !== w.cityCode) throw new AppError('reports.not_found', 'No such report');
      const now = clock.now();
      if (r.status !== 'closed' || r.outcome !== 'fixed' || r.feedback !== null || !r.feedback_deadline || now.getTime() >= r.feedback_deadline.getTime()) {
        throw new AppError('reports.feedback_closed', 'Feedback on this report is closed');
      }
      const actor = { kind: 'worker' as const, id: w.id };
      if (input.feedback === 'confirmed') {
        await commit(r, { report: { feedback: 'confirmed' }, events: [event(r, 'confirmed', actor, true)] });
        await audit.record(ctx, { cityCode: r.city_code, action: 'reports.confirmed', targetKind: 'report', targetId: r.id });
        return;
      }
      const reason = input.reason?.trim() ?? '';
      if (reason.length < 2) throw new AppError('reports.reason_required', 'Say what is still wrong', { errors: [{ field: 'reason', message: 'required' }] });
      const category = await categoryFacts(r.city_code, r.category_code);
      const deadline = await calendar.deadlineAfter(now, category.deadline_working_days);
      await commit(r, {
        report: {
          feedback: 'disputed',
          status: 'acknowledged',
          outcome: null,
          closed_at: null,
          closed_on_time: null,
          handled_at: null,
          deadline_at: deadline,
          reopen_count: r.reopen_count + 1,
          flags: r.flags.includes('reopened') ? r.flags : [...r.flags, 'reopened'],
        },
        orders: o ? [{ id: o.id, patch: { status: 'acknowledged', handled_at: null, handled_by: null, deadline_at: deadline, reminded_at: null, escalated_at: null } }] : [],
        events: [event(r, 'disputed', actor, true, { reason }), event(r, 'reopened', SYSTEM, true, { deadlineAt: deadline.toISOString() })],
      });
      await audit.record(ctx, { cityCode: r.city_code, action: 'reports.disputed', targetKind: 'report', targetId: r.id });
      if (o) await tell(toStaff(r, await handlersOf(r, [o.department_id]), 'reports.reopened', { deadline: shanghaiMinute(deadline) }));
    },

    /** Acknowledge or dispatch many at once; each report succeeds or fails on its own. */
    async bulk(p: StaffPrincipal, input: BulkInput, ctx: AuditContext): Promise<BulkResult> {
      reportScope(p);
      if (input.action === 'dispatch' && !input.departmentId) throw invalid('departmentId', 'required to dispatch');
      const result: BulkResult = { done: [], failed: [] };
      for (const id of [...new Set(input.reportIds)]) {
        try {
          if (input.action === 'acknowledge') await service.acknowledge(p, id, ctx);
          else await service.triageByHand(p, id, { action: 'dispatch', departmentId: input.departmentId! }, ctx);
          result.done.push(id);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          result.failed.push({ id, code: e.code });
        }
      }
      return result;
    },

    // ---------------- deadlines (jobs)

    /** Reminds the department REPORT_DEFAULTS.reminderHoursBefore hours before a deadline, once per order and deadline. */
    async remindDue(): Promise<number> {
      const now = clock.now();
      const due = await repo.dueForReminder(now, new Date(now.getTime() + REPORT_DEFAULTS.reminderHoursBefore * HOUR), SWEEP_BATCH);
      let n = 0;
      for (const o of due) {
        const r = await repo.report(o.report_id);
        if (!r) continue;
        const marked = await repo.transaction(async (trx) => {
          if (!(await repo.markOrder(o.id, 'reminded_at', now, trx))) return false;
          await repo.insertEvents([event(r, 'reminded', SYSTEM, false, { deadlineAt: o.deadline_at.toISOString() })], trx);
          return true;
        });
        if (!marked) continue;
        n++;
        await tell(toStaff(r, await handlersOf(r, [o.department_id]), 'reports.reminder', { deadline: shanghaiMinute(o.deadline_at) }));
      }
      return n;
    },

    /** 督办: a running order past its deadline goes to the operators over the report's area, once. */
    async escalateDue(): Promise<number> {
      const now = clock.now();
      const due = await repo.dueForEscalation(now, SWEEP_BATCH);
      let n = 0;
      for (const o of due) {
        const r = await repo.report(o.report_id);
        if (!r) continue;
        const operators = await staffInArea(r, 'operator');
        const marked = await repo.transaction(async (trx) => {
          if (!(await repo.markOrder(o.id, 'escalated_at', now, trx))) return false;
          await repo.addFlag(r.id, 'escalated', now, trx);
          await repo.insertEvents([event(r, 'escalated', SYSTEM, false, { deadlineAt: o.deadline_at.toISOString(), departmentId: o.department_id, to: operators.length })], trx);
          return true;
        });
        if (!marked) continue;
        n++;
        const depts = await staff.departmentNames(r.city_code);
        await tell([
          ...toStaff(r, operators, 'reports.escalated', { deadline: shanghaiMinute(o.deadline_at), department: depts.get(o.department_id) ?? '' }),
          ...toStaff(r, await handlersOf(r, [o.department_id]), 'reports.overdue', { deadline: shanghaiMinute(o.deadline_at) }),
        ]);
      }
      return n;
    },

    /** The retry of an award that failed after its report was closed. */
    awardPointsNow,

    // ---------------- routing rules (operators)

    async listRules(p: StaffPrincipal): Promise<RoutingRule[]> {
      requireOperator(p);
      return toRule(await repo.rules(p.cityCode));
    },

    async createRule(p: StaffPrincipal, input: RoutingRuleInput, ctx: AuditContext): Promise<RoutingRule> {
      requireOperator(p);
      await checkRuleInput(p, input);
      const now = clock.now();
      const row: RuleRow = {
        id: newId(),
        city_code: p.cityCode,
        category_code: input.category,
        area_prefix: input.areaPrefix,
        department_id: input.departmentId,
        street_code: input.streetCode ?? null,
        priority: input.priority,
        active: input.active,
        note: input.note?.trim() ?? '',
        created_at: now,
        updated_at: now,
        updated_by: p.id,
      };
      await repo.insertRule(row);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.rule_created', targetKind: 'report_routing_rule', targetId: row.id, detail: { ...input } });
      return (await toRule([row]))[0]!;
    },

    async updateRule(p: StaffPrincipal, id: string, input: RoutingRuleInput, ctx: AuditContext): Promise<RoutingRule> {
      await ruleInScope(p, id);
      await checkRuleInput(p, input);
      await repo.updateRule(id, {
        category_code: input.category,
        area_prefix: input.areaPrefix,
        department_id: input.departmentId,
        street_code: input.streetCode ?? null,
        priority: input.priority,
        active: input.active,
        note: input.note?.trim() ?? '',
        updated_at: clock.now(),
        updated_by: p.id,
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.rule_updated', targetKind: 'report_routing_rule', targetId: id, detail: { ...input } });
      return (await toRule([(await repo.rule(id))!]))[0]!;
    },

    /** Reports keep the id of the rule that routed them (their 'routed' events too), so deleting is safe. */
    async deleteRule(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<void> {
      const row = await ruleInScope(p, id);
      await repo.deleteRule(id);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.rule_deleted', targetKind: 'report_routing_rule', targetId: id, detail: { areaPrefix: row.area_prefix, category: row.category_code, departmentId: row.department_id } });
    },

    /** For seeds: a rule without a principal (the demo city). */
    async seedRule(cityCode: string, input: RoutingRuleInput): Promise<string> {
      const now = clock.now();
      const id = newId();
      await repo.insertRule({ id, city_code: cityCode, category_code: input.category, area_prefix: input.areaPrefix, department_id: input.departmentId, street_code: input.streetCode ?? null, priority: input.priority, active: input.active, note: input.note ?? '', created_at: now, updated_at: now, updated_by: null });
      return id;
    },
    async ruleCount(cityCode: string): Promise<number> {
      return (await repo.rules(cityCode)).length;
    },
  };
  return service;
}
export type WorkflowService = ReturnType<typeof createWorkflowService>;
