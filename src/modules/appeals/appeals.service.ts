import ExcelJS from 'exceljs';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { Storage } from '../../platform/storage/storage.js';
import type { WorkCalendar } from '../../platform/calendar/calendar.js';
import type { Principal, StaffPrincipal, WorkerPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import type { FieldError } from '../../contracts/errors.js';
import {
  APPEAL_DEFAULTS,
  APPEAL_EXPORT_MAX_ROWS,
  appealTypes,
  type AgreementInput,
  type AppealEventType,
  type AppealIntake,
  type AppealRule,
  type AppealRuleInput,
  type AppealSettings,
  type AppealStatus,
  type AppealSubmit,
  type AppealSummary,
  type AppealType,
  type AppealView,
  type AssigneeAdd,
  type AssigneeRole,
  type CaseAddAppeals,
  type CaseClose,
  type CaseCreate,
  type CaseListItem,
  type CaseListQuery,
  type CaseMemberAdd,
  type CollectiveCase,
  type Evidence,
  type EvidenceQuery,
  type ExportQuery,
  type MetricsQuery,
  type MetricsRow,
  type MineQuery,
  type PaymentInput,
  type Rating,
  type Referral,
  type Reopen,
  type Resolve,
  type ReturnVisit,
  type SessionInput,
  type StaffAppealView,
  type StaffListQuery,
} from '../../contracts/appeals.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { StaffService } from '../staff/staff.service.js';
import type { WorkersService } from '../workers/workers.service.js';
import type { NotificationsService, NotifyInput } from '../notifications/notifications.service.js';
import { AppError } from '../../shared/errors.js';
import { newId, sha256Hex } from '../../shared/ids.js';
import { normalisePhone } from '../../shared/phone.js';
import { maskName, maskPhone } from '../../shared/mask.js';
import { checkUscc, usccProblemMessages } from '../../shared/uscc.js';
import { monthRange, shanghaiDateTime, shanghaiDay } from '../../shared/shanghai-time.js';
import { createAppealsRepository, type AppealRow, type AssigneeRow, type EvidenceRow, type NewEventRow, type RuleRow, type SettingsRow } from './appeals.repository.js';
import { assertCanSee, assertCanWork, INTAKE_ROLES, isSupervisor, notFound, type AppealAccessFacts } from './appeals.access.js';
import { canReopen, currentDeadline, matchAppealRule, nextStatus, OPEN_STATUSES, type AppealAction } from './appeals.state.js';
import { sniffEvidence } from './evidence.js';

export interface AppealsServiceDeps {
  db: Db;
  clock: Clock;
  pii: PiiCipher;
  storage: Storage;
  calendar: Pick<WorkCalendar, 'deadlineAfter'>;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'find' | 'names'>;
  staff: Pick<StaffService, 'getStaffNames' | 'departmentsOf' | 'accountsFor'>;
  workers: Pick<WorkersService, 'getWorkerSummary' | 'findWorkerByPhone'>;
  notifications: Pick<NotificationsService, 'notify' | 'notifyAll'>;
}

const HOUR = 3600_000;
const SWEEP_BATCH = 200;
const SYSTEM = { kind: 'system' as const, id: null };
/** Events the worker sees on their timeline; the rest (reminders, escalations, notes) are internal. */
const PUBLIC_EVENTS = new Set<AppealEventType>([
  'submitted',
  'linked',
  'assigned',
  'acknowledged',
  'started',
  'mediation_started',
  'mediation_ended',
  'mediation_session',
  'agreement',
  'payment',
  'referred',
  'resolved',
  'return_visit',
  'rated',
  'closed',
  'reopened',
  'evidence_added',
  'case_joined',
  'case_left',
  'case_closed',
]);

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const shanghaiMinute = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
const workerLink = (id: string) => `/worker/appeals/${id}`;
const staffLink = (id: string) => `/admin/appeals/${id}`;
const normaliseRespondent = (name: string) => name.replace(/[\s\u3000]/g, '').replace(/（/g, '(').replace(/）/g, ')').toLowerCase();

type Actor = { kind: 'worker' | 'staff' | 'system'; id: string | null };
const actorOf = (p: Principal): Actor => ({ kind: p.kind, id: p.id });

/**
 * 诉求: intake (app, hotline, walk-in), "1+2+3" assignment by rules, deadlines on the working-day
 * calendar with reminders and 督办, the evidence locker, the state machine with return visit,
 * satisfaction and one reopen, mediation (sessions, agreement, payments → recovered), referral,
 * collective cases (专班), privacy by assignment and supervision scope (every staff read audited), metrics.
 * Every transition locks the appeal row, checks the state table and writes its timeline events in one
 * transaction; messages follow the commit and never undo it.
 */
export function createAppealsService(deps: AppealsServiceDeps) {
  const { db, clock, pii, storage, calendar, audit, areas, staff, workers, notifications } = deps;
  const repo = createAppealsRepository(db);

  const tell = (items: NotifyInput[]) => notifications.notifyAll(items, 'appeals');
  const toStaff = (a: AppealRow, ids: readonly string[], kind: string, params: Record<string, string | number> = {}): NotifyInput[] =>
    [...new Set(ids)].map((id) => ({ cityCode: a.city_code, recipientKind: 'staff', recipientId: id, kind, params: { code: a.code, ...params }, link: staffLink(a.id) }));
  const toWorker = (a: AppealRow, kind: string, params: Record<string, string | number> = {}): NotifyInput[] =>
    a.worker_id ? [{ cityCode: a.city_code, recipientKind: 'worker', recipientId: a.worker_id, kind, params: { code: a.code, ...params }, link: workerLink(a.id) }] : [];

  const event = (a: { id: string }, type: AppealEventType, actor: Actor, data: Record<string, unknown> = {}, at = clock.now()): NewEventRow => ({
    appeal_id: a.id,
    at,
    type,
    actor_kind: actor.kind,
    actor_id: actor.id,
    public: PUBLIC_EVENTS.has(type),
    data: JSON.stringify(data),
  });

  // ---------------- settings and deadlines ----------------

  function settingsOf(row: SettingsRow | undefined): AppealSettings {
    const days = { ...APPEAL_DEFAULTS.resolveDays } as Record<AppealType, number>;
    for (const t of appealTypes) {
      const v = row?.resolve_days?.[t];
      if (typeof v === 'number') days[t] = v;
    }
    return {
      ackHours: row?.ack_hours ?? APPEAL_DEFAULTS.ackHours,
      ackRemindHoursBefore: row?.ack_remind_hours_before ?? APPEAL_DEFAULTS.ackRemindHoursBefore,
      resolveRemindHoursBefore: row?.resolve_remind_hours_before ?? APPEAL_DEFAULTS.resolveRemindHoursBefore,
      resolveDays: days,
    };
  }
  const settingsFor = async (cityCode: string, trx?: Db) => settingsOf(await repo.settings(cityCode, trx));

  async function deadlinesFor(cityCode: string, type: AppealType, from: Date): Promise<{ ack: Date; resolve: Date }> {
    const s = await settingsFor(cityCode);
    return { ack: new Date(from.getTime() + s.ackHours * HOUR), resolve: await calendar.deadlineAfter(from, s.resolveDays[type]) };
  }

  // ---------------- access ----------------

  async function factsOf(a: AppealRow, trx?: Db): Promise<AppealAccessFacts & { assignees: AssigneeRow[] }> {
    const [assignees, members] = await Promise.all([repo.assignees(a.id, trx), a.case_id ? repo.caseMemberIds(a.case_id, trx) : Promise.resolve([])]);
    return {
      cityCode: a.city_code,
      areaCode: a.area_code,
      workerId: a.worker_id,
      recordedBy: a.recorded_by,
      assigneeIds: assignees.map((x) => x.staff_id),
      caseMemberIds: members,
      assignees,
    };
  }

  async function loadVisible(p: Principal, id: string): Promise<AppealRow> {
    const a = await repo.appeal(id);
    if (!a) throw notFound();
    assertCanSee(p, await factsOf(a));
    return a;
  }

  // ---------------- validation ----------------

  async function validateCommon(cityCode: string, input: { respondent: { uscc?: string }; areaCode?: string }, errors: FieldError[]): Promise<void> {
    if (input.respondent.uscc) {
      const c = checkUscc(input.respondent.uscc);
      if (!c.ok) errors.push({ field: 'respondent.uscc', message: usccProblemMessages[c.problem], code: 'appeals.invalid_uscc' });
    }
    if (input.areaCode !== undefined) {
      const area = input.areaCode.startsWith(cityCode) ? await areas.find(input.areaCode) : undefined;
      if (!area) errors.push({ field: 'areaCode', message: 'not an area of this city', code: 'appeals.invalid_area' });
    }
  }
  const reject = (errors: FieldError[]) => {
    if (errors.length) throw new AppError('request.invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  };

  // ---------------- intake ----------------

  async function create(
    base: {
      cityCode: string;
      channel: AppealRow['channel'];
      workerId: string | null;
      submitterKey: string;
      clientId: string | null;
      callerPhone: string | null;
      callerName: string | null;
      recordedBy: string | null;
      input: Pick<AppealSubmit, 'type' | 'description' | 'respondent' | 'amountClaimedFen'>;
      areaCode: string;
    },
    actor: Actor,
    ctx: AuditContext,
  ): Promise<{ row: AppealRow; created: boolean }> {
    const { input } = base;
    const sameContent = (r: AppealRow) => r.type === input.type && r.description === input.description && r.respondent_name === input.respondent.name && r.amount_claimed_fen === (input.amountClaimedFen ?? 0);
    if (base.clientId) {
      const prior = await repo.byClientId(base.submitterKey, base.clientId);
      if (prior) {
        if (!sameContent(prior)) throw new AppError('appeals.client_id_conflict', 'This clientId was used for a different appeal');
        return { row: prior, created: false };
      }
    }
    const now = clock.now();
    const deadlines = await deadlinesFor(base.cityCode, input.type, now);
    const rules = await repo.rules(base.cityCode, true);
    const rule = matchAppealRule(
      rules.map((r) => ({ ...r, areaPrefix: r.area_prefix })),
      { type: input.type, areaCode: base.areaCode },
    );
    const id = newId();
    try {
      const row = await repo.transaction(async (trx) => {
        const code = `SQ${shanghaiDay(now).slice(2).replace(/-/g, '')}${String(await repo.nextCodeNumber(trx)).padStart(5, '0')}`;
        await repo.insertAppeal(
          {
            id,
            city_code: base.cityCode,
            code,
            type: input.type,
            channel: base.channel,
            worker_id: base.workerId,
            submitter_key: base.submitterKey,
            client_id: base.clientId,
            caller_phone_enc: base.callerPhone ? pii.encrypt(base.callerPhone) : null,
            caller_phone_hash: base.callerPhone ? pii.blindIndex(base.callerPhone) : null,
            caller_name_enc: base.callerName ? pii.encrypt(base.callerName) : null,
            recorded_by: base.recordedBy,
            respondent_kind: input.respondent.kind,
            respondent_name: input.respondent.name.trim(),
            respondent_uscc: input.respondent.uscc ?? null,
            amount_claimed_fen: input.amountClaimedFen ?? 0,
            description: input.description.trim(),
            area_code: base.areaCode,
            status: 'submitted',
            rule_id: rule?.id ?? null,
            department_id: rule?.department_id ?? null,
            case_id: null,
            submitted_at: now,
            ack_deadline_at: deadlines.ack,
            resolve_deadline_at: deadlines.resolve,
            acknowledged_at: null,
            resolved_at: null,
            closed_at: null,
            resolved_on_time: null,
            outcome: null,
            resolution: null,
            referral_kind: null,
            referral_ref: null,
            return_visit_method: null,
            return_visit_at: null,
            satisfaction: null,
            satisfaction_reason: null,
            ack_reminded_at: null,
            ack_escalated_at: null,
            resolve_reminded_at: null,
            resolve_escalated_at: null,
            updated_at: now,
          },
          trx,
        );
        const events: NewEventRow[] = [event({ id }, 'submitted', actor, { channel: base.channel, type: input.type, ackBy: deadlines.ack.toISOString(), resolveBy: deadlines.resolve.toISOString() }, now)];
        if (rule) {
          for (const [role, staffId] of [
            ['station_head', rule.station_head_id],
            ['street_officer', rule.street_officer_id],
            ['industry_officer', rule.industry_officer_id],
          ] as const) {
            if (!staffId) continue;
            if (await repo.addAssignee({ id: newId(), appeal_id: id, staff_id: staffId, role, added_at: now, added_by: 'rule' }, trx)) {
              events.push(event({ id }, 'assigned', SYSTEM, { staffId, role, ruleId: rule.id }, now));
            }
          }
        }
        await repo.insertEvents(events, trx);
        return (await repo.appeal(id, trx))!;
      });
      await audit.record(ctx, { cityCode: base.cityCode, action: 'appeals.submit', targetKind: 'appeal', targetId: id, detail: { channel: base.channel, type: input.type } });
      const leads = [rule?.station_head_id, rule?.street_officer_id, rule?.industry_officer_id].filter((x): x is string => !!x);
      await tell(toStaff(row, leads, 'appeals.assigned', { deadline: shanghaiMinute(row.ack_deadline_at) }));
      return { row, created: true };
    } catch (e) {
      // two retries racing on one clientId: the loser returns the winner's appeal
      if (base.clientId && (e as { code?: string }).code === '23505') {
        const prior = await repo.byClientId(base.submitterKey, base.clientId);
        if (prior && sameContent(prior)) return { row: prior, created: false };
        if (prior) throw new AppError('appeals.client_id_conflict', 'This clientId was used for a different appeal');
      }
      throw e;
    }
  }

  // ---------------- views ----------------

  async function names(ids: string[]): Promise<Map<string, string>> {
    return ids.length ? staff.getStaffNames(ids) : new Map();
  }

  async function contactOf(a: AppealRow): Promise<{ phoneMasked: string | null; nameMasked: string | null; phone: string | null }> {
    if (a.caller_phone_enc) {
      const phone = pii.decrypt(a.caller_phone_enc);
      return { phoneMasked: maskPhone(phone), nameMasked: a.caller_name_enc ? maskName(pii.decrypt(a.caller_name_enc)) : null, phone };
    }
    if (a.worker_id) {
      const w = await workers.getWorkerSummary(a.worker_id);
      return { phoneMasked: w?.phoneMasked ?? null, nameMasked: w?.nameMasked ?? null, phone: null };
    }
    return { phoneMasked: null, nameMasked: null, phone: null };
  }

  const evidenceUrl = (appealId: string, evidenceId: string, staffSide: boolean) => `/api/${staffSide ? 'admin/' : ''}appeals/${appealId}/evidence/${evidenceId}`;
  const toEvidence = (e: EvidenceRow, staffSide: boolean, staffNames: Map<string, string> = new Map()): Evidence => ({
    id: e.id,
    kind: e.kind,
    contentType: e.content_type,
    sizeBytes: e.size_bytes,
    sha256: e.sha256,
    note: e.note,
    takenAt: iso(e.taken_at),
    uploadedAt: e.uploaded_at.toISOString(),
    uploaderKind: e.uploader_kind,
    uploadedBy: staffSide && e.uploader_kind === 'staff' ? (staffNames.get(e.uploader_id) ?? '') : null,
    url: evidenceUrl(e.appeal_id, e.id, staffSide),
  });

  function deadlinesView(a: AppealRow) {
    const due = currentDeadline({ status: a.status, ackDeadlineAt: a.ack_deadline_at, resolveDeadlineAt: a.resolve_deadline_at });
    return { acknowledgeBy: a.ack_deadline_at.toISOString(), resolveBy: a.resolve_deadline_at.toISOString(), overdue: due !== null && due.getTime() < clock.now().getTime() };
  }

  async function view(a: AppealRow, assignees: AssigneeRow[], staffSide: boolean): Promise<AppealView> {
    const [events, evidence, sessions, agreement, payments, areaNames] = await Promise.all([
      repo.events(a.id, !staffSide),
      repo.evidence(a.id),
      repo.sessions(a.id),
      repo.agreement(a.id),
      repo.payments(a.id),
      areas.names([a.area_code]),
    ]);
    const staffNames = await names([...assignees.map((x) => x.staff_id), ...(staffSide ? evidence.filter((e) => e.uploader_kind === 'staff').map((e) => e.uploader_id) : [])]);
    return {
      id: a.id,
      code: a.code,
      type: a.type,
      channel: a.channel,
      status: a.status,
      description: a.description,
      respondent: { kind: a.respondent_kind, name: a.respondent_name, uscc: a.respondent_uscc },
      amountClaimedFen: a.amount_claimed_fen,
      recoveredFen: a.recovered_fen,
      areaCode: a.area_code,
      areaName: areaNames.get(a.area_code) ?? a.area_code,
      submittedAt: a.submitted_at.toISOString(),
      deadlines: deadlinesView(a),
      acknowledgedAt: iso(a.acknowledged_at),
      resolvedAt: iso(a.resolved_at),
      closedAt: iso(a.closed_at),
      outcome: a.outcome,
      resolution: a.resolution,
      referral: a.referral_kind ? { kind: a.referral_kind, reference: a.referral_ref ?? '' } : null,
      satisfaction: a.satisfaction,
      satisfactionReason: a.satisfaction_reason,
      canRate: a.status === 'resolved' && a.worker_id !== null,
      canReopen: canReopen({ status: a.status, satisfaction: a.satisfaction, reopenCount: a.reopen_count }, APPEAL_DEFAULTS.reopenLimit),
      caseId: a.case_id,
      assignees: assignees.map((x) => ({ staffId: x.staff_id, role: x.role, displayName: staffNames.get(x.staff_id) ?? '', addedAt: x.added_at.toISOString() })),
      evidence: evidence.map((e) => toEvidence(e, staffSide, staffNames)),
      mediation: {
        sessions: sessions.map((s) => ({ id: s.id, heldAt: s.held_at.toISOString(), place: s.place, participants: s.participants, notes: staffSide ? s.notes : '' })),
        agreement: agreement ? { totalFen: agreement.total_fen, instalments: agreement.instalments, terms: agreement.terms, signedOn: agreement.signed_on } : null,
        payments: payments.map((x) => ({ id: x.id, amountFen: x.amount_fen, paidOn: x.paid_on, note: x.note })),
      },
      timeline: events.map((e) => ({ id: e.id, at: e.at.toISOString(), type: e.type, actorKind: e.actor_kind, data: e.data })),
    };
  }

  async function staffView(a: AppealRow, assignees: AssigneeRow[]): Promise<StaffAppealView> {
    const v = await view(a, assignees, true);
    return { ...v, workerId: a.worker_id, contact: await contactOf(a), departmentId: a.department_id, recordedBy: a.recorded_by, reopenCount: a.reopen_count, version: a.version };
  }

  async function summaries(rows: AppealRow[]): Promise<AppealSummary[]> {
    const out: AppealSummary[] = [];
    const areaNames = await areas.names([...new Set(rows.map((r) => r.area_code))]);
    for (const a of rows) {
      const c = await contactOf(a);
      out.push({
        id: a.id,
        code: a.code,
        type: a.type,
        channel: a.channel,
        status: a.status,
        respondentName: a.respondent_name,
        amountClaimedFen: a.amount_claimed_fen,
        recoveredFen: a.recovered_fen,
        areaCode: a.area_code,
        areaName: areaNames.get(a.area_code) ?? a.area_code,
        submittedAt: a.submitted_at.toISOString(),
        deadlines: deadlinesView(a),
        phoneMasked: c.phoneMasked,
        nameMasked: c.nameMasked,
        caseId: a.case_id,
      });
    }
    return out;
  }

  // ---------------- transitions ----------------

  interface Step {
    action?: AppealAction;
    set?: (a: AppealRow, now: Date) => Promise<Partial<AppealRow>> | Partial<AppealRow>;
    check?: (a: AppealRow) => void;
    events: (a: AppealRow, now: Date) => NewEventRow[];
    also?: (a: AppealRow, trx: Db, now: Date) => Promise<void>;
    /** The worker acts (rate, reopen) instead of staff. */
    byWorker?: boolean;
    notify?: (before: AppealRow, after: AppealRow) => NotifyInput[];
  }

  async function transition(p: Principal, id: string, auditAction: string, step: Step, ctx: AuditContext): Promise<AppealRow> {
    const now = clock.now();
    const after = await repo.transaction(async (trx) => {
      const a = await repo.appealForUpdate(id, trx);
      if (!a) throw notFound();
      const facts = await factsOf(a, trx);
      if (step.byWorker && p.kind === 'worker') assertCanSee(p, facts);
      else assertCanWork(p, facts);
      step.check?.(a);
      let status = a.status;
      if (step.action) {
        const to = nextStatus(a.status, step.action);
        if (!to) throw new AppError('appeals.invalid_state', `Cannot ${step.action.replace('_', ' ')} an appeal that is ${a.status}`);
        status = to;
      }
      const fields = (await step.set?.(a, now)) ?? {};
      const set = { ...fields, status: step.action ? status : (fields.status ?? a.status), updated_at: now };
      await repo.updateAppeal(a.id, set, trx);
      await step.also?.(a, trx, now);
      await repo.insertEvents(step.events(a, now), trx);
      return { before: a, after: (await repo.appeal(a.id, trx))! };
    });
    await audit.record(ctx, { cityCode: after.after.city_code, action: auditAction, targetKind: 'appeal', targetId: id });
    if (step.notify) await tell(step.notify(after.before, after.after));
    return after.after;
  }

  async function freshStaff(p: StaffPrincipal, id: string): Promise<StaffAppealView> {
    const a = (await repo.appeal(id))!;
    return staffView(a, await repo.assignees(id));
  }

  // ---------------- jobs ----------------

  async function operatorsOver(a: AppealRow): Promise<string[]> {
    const list = await staff.accountsFor(a.city_code, { areaPrefix: a.city_code, role: 'operator' });
    return list.filter((x) => a.area_code.startsWith(x.areaCode)).map((x) => x.id);
  }

  async function remindDue(): Promise<number> {
    const now = clock.now();
    const settings = new Map<string, AppealSettings>();
    const s = async (city: string) => {
      if (!settings.has(city)) settings.set(city, await settingsFor(city));
      return settings.get(city)!;
    };
    let n = 0;
    for (const a of await repo.dueForAckReminder(now, SWEEP_BATCH)) {
      if (a.ack_deadline_at.getTime() - now.getTime() > (await s(a.city_code)).ackRemindHoursBefore * HOUR) continue;
      const ok = await repo.transaction(async (trx) => {
        if (!(await repo.markOnce(a.id, 'ack_reminded_at', now, trx))) return false;
        await repo.insertEvents([event(a, 'ack_reminded', SYSTEM, { deadlineAt: a.ack_deadline_at.toISOString() }, now)], trx);
        return true;
      });
      if (!ok) continue;
      n++;
      await tell(toStaff(a, (await repo.assignees(a.id)).map((x) => x.staff_id), 'appeals.ack_reminder', { deadline: shanghaiMinute(a.ack_deadline_at) }));
    }
    for (const a of await repo.openForResolveReminder(now, SWEEP_BATCH)) {
      if (a.resolve_deadline_at.getTime() - now.getTime() > (await s(a.city_code)).resolveRemindHoursBefore * HOUR) continue;
      const ok = await repo.transaction(async (trx) => {
        if (!(await repo.markOnce(a.id, 'resolve_reminded_at', now, trx))) return false;
        await repo.insertEvents([event(a, 'resolve_reminded', SYSTEM, { deadlineAt: a.resolve_deadline_at.toISOString() }, now)], trx);
        return true;
      });
      if (!ok) continue;
      n++;
      await tell(toStaff(a, (await repo.assignees(a.id)).map((x) => x.staff_id), 'appeals.resolve_reminder', { deadline: shanghaiMinute(a.resolve_deadline_at) }));
    }
    return n;
  }

  /** 督办: past the acknowledge or the resolve deadline → the operators over the area (and the assignees), once each. */
  async function escalateDue(): Promise<number> {
    const now = clock.now();
    let n = 0;
    const run = async (rows: AppealRow[], column: 'ack_escalated_at' | 'resolve_escalated_at', type: 'ack_escalated' | 'resolve_escalated', deadline: (a: AppealRow) => Date) => {
      for (const a of rows) {
        const ops = await operatorsOver(a);
        const ok = await repo.transaction(async (trx) => {
          if (!(await repo.markOnce(a.id, column, now, trx))) return false;
          await repo.insertEvents([event(a, type, SYSTEM, { deadlineAt: deadline(a).toISOString(), to: ops.length }, now)], trx);
          return true;
        });
        if (!ok) continue;
        n++;
        const assigned = (await repo.assignees(a.id)).map((x) => x.staff_id);
        await tell([
          ...toStaff(a, ops, 'appeals.escalated', { deadline: shanghaiMinute(deadline(a)), step: type === 'ack_escalated' ? 'acknowledge' : 'resolve' }),
          ...toStaff(a, assigned.filter((x) => !ops.includes(x)), 'appeals.overdue', { deadline: shanghaiMinute(deadline(a)) }),
        ]);
      }
    };
    await run(await repo.dueForAckEscalation(now, SWEEP_BATCH), 'ack_escalated_at', 'ack_escalated', (a) => a.ack_deadline_at);
    await run(await repo.dueForResolveEscalation(now, SWEEP_BATCH), 'resolve_escalated_at', 'resolve_escalated', (a) => a.resolve_deadline_at);
    return n;
  }

  /** Hotline callers who have since signed in as workers: their appeals join the worker's list. */
  async function linkCallers(): Promise<number> {
    let n = 0;
    for (const a of await repo.unlinkedCallers(SWEEP_BATCH)) {
      const w = await workers.findWorkerByPhone(a.city_code, pii.decrypt(a.caller_phone_enc!));
      if (!w) continue;
      const ok = await repo.transaction(async (trx) => {
        if (!(await repo.linkWorker(a.id, w.id, trx))) return false;
        await repo.insertEvents([event(a, 'linked', SYSTEM, {})], trx);
        return true;
      });
      if (ok) n++;
    }
    return n;
  }

  function toRule(r: RuleRow, staffNames: Map<string, string> = new Map()): AppealRule {
    const people = [r.station_head_id, r.street_officer_id, r.industry_officer_id].filter((x): x is string => !!x);
    return {
      names: Object.fromEntries(people.filter((x) => staffNames.has(x)).map((x) => [x, staffNames.get(x)!])),
      id: r.id,
      type: r.type,
      areaPrefix: r.area_prefix,
      stationHeadId: r.station_head_id,
      streetOfficerId: r.street_officer_id,
      industryOfficerId: r.industry_officer_id,
      departmentId: r.department_id,
      priority: r.priority,
      active: r.active,
      note: r.note,
    };
  }

  async function withNames(rules: RuleRow[]): Promise<AppealRule[]> {
    const staffNames = await names([...new Set(rules.flatMap((r) => [r.station_head_id, r.street_officer_id, r.industry_officer_id]).filter((x): x is string => !!x))]);
    return rules.map((r) => toRule(r, staffNames));
  }

  function requireOperator(p: StaffPrincipal): void {
    if (p.role !== 'operator') throw new AppError('auth.forbidden', 'Only operators configure appeals');
  }

  async function assertStaffExist(ids: (string | null | undefined)[], field: string): Promise<void> {
    const wanted = ids.filter((x): x is string => !!x);
    if (!wanted.length) return;
    const found = await staff.getStaffNames(wanted);
    const missing = wanted.filter((x) => !found.has(x));
    if (missing.length) throw new AppError('appeals.staff_not_found', `No staff account ${missing.join(', ')}`, { errors: [{ field, message: 'no such staff account', code: 'appeals.staff_not_found' }] });
  }

  async function validateRule(p: StaffPrincipal, input: AppealRuleInput): Promise<void> {
    if (!input.areaPrefix.startsWith(p.areaCode)) throw new AppError('areas.out_of_scope', 'The rule’s area is outside your scope', { errors: [{ field: 'areaPrefix', message: 'outside your area' }] });
    await assertStaffExist([input.stationHeadId, input.streetOfficerId, input.industryOfficerId], 'stationHeadId');
    if (input.departmentId) {
      const depts = await staff.departmentsOf(p.cityCode);
      if (!depts.some((d) => d.id === input.departmentId)) throw new AppError('appeals.department_not_found', 'No such department', { errors: [{ field: 'departmentId', message: 'no such department' }] });
    }
  }

  async function caseView(c: NonNullable<Awaited<ReturnType<typeof repo.caseRow>>>): Promise<CollectiveCase> {
    const [members, rows] = await Promise.all([repo.caseMembers(c.id), db.withTables<{ appeals: { id: string; case_id: string | null } }>().selectFrom('appeals').select('id').where('case_id', '=', c.id).execute()]);
    const appealRows = await repo.appealsByIds(rows.map((r) => r.id));
    const staffNames = await names(members.map((m) => m.staff_id));
    return {
      id: c.id,
      code: c.code,
      title: c.title,
      respondentName: c.respondent_name,
      respondentUscc: c.respondent_uscc,
      areaCode: c.area_code,
      leadStaffId: c.lead_staff_id,
      status: c.status,
      members: members.map((m) => ({ staffId: m.staff_id, role: m.role, displayName: staffNames.get(m.staff_id) ?? '' })),
      appeals: await summaries(appealRows),
      amountClaimedFen: appealRows.reduce((s, a) => s + a.amount_claimed_fen, 0),
      recoveredFen: appealRows.reduce((s, a) => s + a.recovered_fen, 0),
      createdAt: c.created_at.toISOString(),
      closedAt: iso(c.closed_at),
      summary: c.summary,
    };
  }

  async function assertCaseVisible(p: StaffPrincipal, caseId: string, trx?: Db) {
    const c = trx ? await repo.caseRowForUpdate(caseId, trx) : await repo.caseRow(caseId);
    if (!c || c.city_code !== p.cityCode) throw new AppError('appeals.case_not_found', 'Collective case not found');
    const members = await repo.caseMemberIds(c.id, trx);
    if (!members.includes(p.id) && c.created_by !== p.id && !isSupervisor(p, { cityCode: c.city_code, areaCode: c.area_code })) throw new AppError('appeals.case_not_found', 'Collective case not found');
    return c;
  }

  /** The lead, the creator and the operators over the case's area change its task force, its appeals, and close it. */
  async function assertCaseManageable(p: StaffPrincipal, caseId: string, trx?: Db) {
    const c = await assertCaseVisible(p, caseId, trx);
    if (c.lead_staff_id !== p.id && c.created_by !== p.id && !isSupervisor(p, { cityCode: c.city_code, areaCode: c.area_code }))
      throw new AppError('appeals.not_allowed', 'Only the case lead, its creator and the supervisors may change this case');
    if (c.status === 'closed') throw new AppError('appeals.case_closed', 'This collective case is closed');
    return c;
  }

  const EXPORT_COLUMNS = ['编号', '类型', '渠道', '状态', '办结结果', '诉求人', '联系电话', '被诉方', '涉及金额(元)', '已追回(元)', '所属区域', '受理时间', '签收期限', '办结期限', '是否超期', '专班'] as const;
  const zh = {
    types: { wage_arrears: '欠薪', work_injury: '工伤', labour_relation: '劳动关系', social_insurance: '社会保险', traffic_compensation: '交通事故赔偿', predatory_rental: '租车/押金陷阱', housing: '住房', household_registration: '户籍', legal_question: '法律咨询', other: '其他' } as Record<string, string>,
    channels: { app: '应用', hotline: '热线', walk_in: '窗口' } as Record<string, string>,
    statuses: { submitted: '待签收', acknowledged: '已签收', in_progress: '办理中', mediating: '调解中', resolved: '已办结', closed: '已关闭' } as Record<string, string>,
    outcomes: { recovered: '已追回', agreement: '达成协议', referred: '转仲裁/诉讼', answered: '已答复', not_supported: '不予支持', withdrawn: '撤回' } as Record<string, string>,
  };

  /** Appeals joining a case: each visible and workable by p, open, not in another case, same respondent. */
  async function checkCaseAppeals(p: StaffPrincipal, ids: string[], respondent: { name: string; uscc: string | null } | null, trx: Db): Promise<AppealRow[]> {
    const rows: AppealRow[] = [];
    for (const id of [...new Set(ids)]) {
      const a = await repo.appealForUpdate(id, trx);
      if (!a) throw notFound();
      assertCanWork(p, await factsOf(a, trx));
      if (a.case_id) throw new AppError('appeals.already_in_case', `Appeal ${a.code} is already in a collective case`);
      rows.push(a);
    }
    const ref = respondent ?? { name: rows[0]!.respondent_name, uscc: rows[0]!.respondent_uscc };
    for (const a of rows) {
      const same = ref.uscc && a.respondent_uscc ? ref.uscc === a.respondent_uscc : normaliseRespondent(a.respondent_name) === normaliseRespondent(ref.name);
      if (!same) throw new AppError('appeals.respondent_mismatch', `Appeal ${a.code} is against another respondent (${a.respondent_name})`);
    }
    return rows;
  }

  const commonPrefix = (codes: string[]) => {
    let prefix = codes[0] ?? '';
    for (const c of codes) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
    // GB/T 2260 levels: 4 (city), 6 (district), 9 (street), 12 (community)
    for (const len of [12, 9, 6, 4]) if (prefix.length >= len) return prefix.slice(0, len);
    return prefix;
  };

  return {
    // ---------------- intake ----------------

    /** A verified worker files an appeal in the app. Idempotent by clientId (200 with the first appeal on a retry). */
    async submit(w: WorkerPrincipal, input: AppealSubmit, ctx: AuditContext): Promise<{ appeal: AppealView; created: boolean }> {
      const me = await workers.getWorkerSummary(w.id);
      if (!me || me.verificationStatus !== 'approved') throw new AppError('appeals.not_verified', 'Verify your identity before filing an appeal');
      const errors: FieldError[] = [];
      await validateCommon(w.cityCode, input, errors);
      reject(errors);
      const areaCode = input.areaCode ?? me.areaCode ?? w.cityCode;
      const { row, created } = await create(
        { cityCode: w.cityCode, channel: 'app', workerId: w.id, submitterKey: `worker:${w.id}`, clientId: input.clientId, callerPhone: null, callerName: null, recordedBy: null, input, areaCode },
        actorOf(w),
        ctx,
      );
      return { appeal: await view(row, await repo.assignees(row.id), false), created };
    },

    /** A hotline agent (12345) or service-centre staff records a caller's appeal, linked to the worker with that phone if any. */
    async intake(p: StaffPrincipal, input: AppealIntake, ctx: AuditContext): Promise<{ appeal: StaffAppealView; created: boolean }> {
      if (!INTAKE_ROLES.includes(p.role)) throw new AppError('auth.forbidden', 'Your role may not record appeals');
      if (input.channel === 'hotline' && p.role !== 'hotline_agent' && p.role !== 'operator') throw new AppError('auth.forbidden', 'Hotline appeals are recorded by hotline agents');
      const errors: FieldError[] = [];
      const phone = normalisePhone(input.callerPhone);
      if (!phone) errors.push({ field: 'callerPhone', message: 'not a mainland mobile number', code: 'appeals.invalid_phone' });
      await validateCommon(p.cityCode, input, errors);
      if (!errors.some((e) => e.field === 'areaCode') && !input.areaCode.startsWith(p.areaCode) && p.role !== 'hotline_agent') {
        errors.push({ field: 'areaCode', message: 'outside your area', code: 'appeals.invalid_area' });
      }
      reject(errors);
      const worker = await workers.findWorkerByPhone(p.cityCode, phone!);
      const { row, created } = await create(
        {
          cityCode: p.cityCode,
          channel: input.channel,
          workerId: worker?.id ?? null,
          submitterKey: `staff:${p.id}`,
          clientId: input.clientId ?? null,
          callerPhone: phone!,
          callerName: input.callerName?.trim() || null,
          recordedBy: p.id,
          input,
          areaCode: input.areaCode,
        },
        actorOf(p),
        ctx,
      );
      return { appeal: await staffView(row, await repo.assignees(row.id)), created };
    },

    // ---------------- the worker's side ----------------

    async mine(w: WorkerPrincipal, q: MineQuery): Promise<PageOf<AppealSummary>> {
      const { rows, total } = await repo.mine(w.id, q.pageSize, (q.page - 1) * q.pageSize);
      return { items: await summaries(rows), total, page: q.page, pageSize: q.pageSize };
    },

    async workerView(w: WorkerPrincipal, id: string): Promise<AppealView> {
      const a = await loadVisible(w, id);
      return view(a, await repo.assignees(id), false);
    },

    /** The worker rates a resolved appeal (回访 by app); this closes it. Dissatisfied needs a reason. */
    async rate(w: WorkerPrincipal, id: string, input: Rating, ctx: AuditContext): Promise<AppealView> {
      if (input.satisfaction === 'dissatisfied' && !input.reason?.trim()) throw new AppError('appeals.reason_required', 'Tell us why you are dissatisfied', { errors: [{ field: 'reason', message: 'required when dissatisfied' }] });
      const a = await transition(
        w,
        id,
        'appeals.rate',
        {
          byWorker: true,
          action: 'close',
          set: () => ({ satisfaction: input.satisfaction, satisfaction_reason: input.reason?.trim() || null, return_visit_method: 'app', return_visit_at: clock.now(), closed_at: clock.now() }),
          events: (x, now) => [event(x, 'rated', actorOf(w), { satisfaction: input.satisfaction, reason: input.reason ?? null }, now), event(x, 'closed', SYSTEM, {}, now)],
        },
        ctx,
      );
      return view(a, await repo.assignees(id), false);
    },

    /** A dissatisfied worker (or staff on their behalf) reopens a closed appeal, once. */
    async reopen(p: Principal, id: string, input: Reopen, ctx: AuditContext): Promise<AppealRow> {
      const a0 = await repo.appeal(id);
      const s = a0 ? await settingsFor(a0.city_code) : undefined;
      return transition(
        p,
        id,
        'appeals.reopen',
        {
          byWorker: true,
          action: 'reopen',
          check: (a) => {
            if (a.status === 'closed' && a.satisfaction !== 'dissatisfied') throw new AppError('appeals.invalid_state', 'Only an appeal rated dissatisfied may be reopened');
            if (a.status === 'closed' && a.reopen_count >= APPEAL_DEFAULTS.reopenLimit) throw new AppError('appeals.reopen_limit', 'This appeal was already reopened once');
          },
          set: async (a, now) => ({
            reopen_count: a.reopen_count + 1,
            resolve_deadline_at: await calendar.deadlineAfter(now, s!.resolveDays[a.type]),
            resolve_reminded_at: null,
            resolve_escalated_at: null,
            resolved_at: null,
            resolved_on_time: null,
            closed_at: null,
            outcome: null,
            satisfaction: null,
            satisfaction_reason: null,
          }),
          events: (a, now) => [event(a, 'reopened', actorOf(p), { reason: input.reason, previousSatisfaction: a.satisfaction }, now)],
        },
        ctx,
      ).then(async (after) => {
        await tell(toStaff(after, (await repo.assignees(id)).map((x) => x.staff_id), 'appeals.reopened', { deadline: shanghaiMinute(after.resolve_deadline_at) }));
        return after;
      });
    },

    // ---------------- the staff side ----------------

    async staffList(p: StaffPrincipal, q: StaffListQuery, ctx: AuditContext): Promise<PageOf<AppealSummary>> {
      const { rows, total } = await repo.staffList(
        { cityCode: p.cityCode, staffId: p.id, areaPrefix: p.role === 'operator' ? p.areaCode : null, mineOnly: q.mine === true },
        { status: q.status, type: q.type, channel: q.channel, areaCode: q.areaCode, caseId: q.caseId, overdueAt: q.overdue ? clock.now() : undefined, q: q.q?.trim() || undefined },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.list', targetKind: 'appeal', detail: { count: rows.length, ids: rows.map((r) => r.id) } });
      return { items: await summaries(rows), total, page: q.page, pageSize: q.pageSize };
    },

    /** The full record for staff who may see it: contact (the caller's phone in full), internal events. Audited. */
    async staffView(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<StaffAppealView> {
      const a = await repo.appeal(id);
      if (!a) throw notFound();
      const f = await factsOf(a);
      try {
        assertCanSee(p, f);
      } catch (e) {
        await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.read', targetKind: 'appeal', targetId: id, outcome: 'denied' });
        throw e;
      }
      await audit.record(ctx, { cityCode: a.city_code, action: 'appeals.read', targetKind: 'appeal', targetId: id });
      return staffView(a, f.assignees);
    },

    async acknowledge(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(
        p,
        id,
        'appeals.acknowledge',
        {
          action: 'acknowledge',
          set: (_a, now) => ({ acknowledged_at: now }),
          events: (a, now) => [event(a, 'acknowledged', actorOf(p), { onTime: now <= a.ack_deadline_at }, now)],
          notify: (_b, after) => toWorker(after, 'appeals.acknowledged', { deadline: shanghaiMinute(after.resolve_deadline_at) }),
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    async start(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(p, id, 'appeals.start', { action: 'start', events: (a, now) => [event(a, 'started', actorOf(p), {}, now)] }, ctx);
      return freshStaff(p, id);
    },

    async startMediation(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(p, id, 'appeals.mediation_start', { action: 'start_mediation', events: (a, now) => [event(a, 'mediation_started', actorOf(p), {}, now)] }, ctx);
      return freshStaff(p, id);
    },

    async endMediation(p: StaffPrincipal, id: string, input: { note?: string }, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(p, id, 'appeals.mediation_end', { action: 'end_mediation', events: (a, now) => [event(a, 'mediation_ended', actorOf(p), { note: input.note ?? '' }, now)] }, ctx);
      return freshStaff(p, id);
    },

    async resolve(p: StaffPrincipal, id: string, input: Resolve, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(
        p,
        id,
        'appeals.resolve',
        {
          action: 'resolve',
          set: (a, now) => ({ outcome: input.outcome, resolution: input.resolution.trim(), resolved_at: now, resolved_on_time: now <= a.resolve_deadline_at }),
          events: (a, now) => [event(a, 'resolved', actorOf(p), { outcome: input.outcome, resolution: input.resolution, onTime: now <= a.resolve_deadline_at }, now)],
          notify: (_b, after) => toWorker(after, 'appeals.resolved'),
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    /** Referral to labour arbitration or a court, with its reference: the appeal is resolved as "referred". */
    async refer(p: StaffPrincipal, id: string, input: Referral, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(
        p,
        id,
        'appeals.refer',
        {
          action: 'refer',
          set: (a, now) => ({ outcome: 'referred', referral_kind: input.kind, referral_ref: input.reference.trim(), resolution: input.resolution.trim(), resolved_at: now, resolved_on_time: now <= a.resolve_deadline_at }),
          events: (a, now) => [event(a, 'referred', actorOf(p), { kind: input.kind, reference: input.reference }, now), event(a, 'resolved', actorOf(p), { outcome: 'referred', resolution: input.resolution, onTime: now <= a.resolve_deadline_at }, now)],
          notify: (_b, after) => toWorker(after, 'appeals.resolved'),
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    /** 回访 by staff (phone, or recording what the worker said in the app): satisfaction closes the appeal. */
    async returnVisit(p: StaffPrincipal, id: string, input: ReturnVisit, ctx: AuditContext): Promise<StaffAppealView> {
      if (input.satisfaction === 'dissatisfied' && !input.reason?.trim()) throw new AppError('appeals.reason_required', 'Record why the worker is dissatisfied', { errors: [{ field: 'reason', message: 'required when dissatisfied' }] });
      await transition(
        p,
        id,
        'appeals.return_visit',
        {
          action: 'close',
          set: (_a, now) => ({ satisfaction: input.satisfaction, satisfaction_reason: input.reason?.trim() || null, return_visit_method: input.method, return_visit_at: now, closed_at: now }),
          events: (a, now) => [event(a, 'return_visit', actorOf(p), { method: input.method, satisfaction: input.satisfaction, reason: input.reason ?? null }, now), event(a, 'closed', SYSTEM, {}, now)],
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    async reopenByStaff(p: StaffPrincipal, id: string, input: Reopen, ctx: AuditContext): Promise<StaffAppealView> {
      await this.reopen(p, id, input, ctx);
      return freshStaff(p, id);
    },

    async addAssignee(p: StaffPrincipal, id: string, input: AssigneeAdd, ctx: AuditContext): Promise<StaffAppealView> {
      await assertStaffExist([input.staffId], 'staffId');
      let added = false;
      await transition(
        p,
        id,
        'appeals.assign',
        {
          check: (a) => {
            if (a.status === 'closed') throw new AppError('appeals.invalid_state', 'The appeal is closed');
          },
          also: async (a, trx, now) => {
            added = await repo.addAssignee({ id: newId(), appeal_id: a.id, staff_id: input.staffId, role: input.role, added_at: now, added_by: p.id }, trx);
          },
          events: (a, now) => (added ? [event(a, 'assigned', actorOf(p), { staffId: input.staffId, role: input.role }, now)] : []),
        },
        ctx,
      ).then(async (a) => {
        if (added) await tell(toStaff(a, [input.staffId], 'appeals.assigned', { deadline: shanghaiMinute(a.resolve_deadline_at) }));
      });
      return freshStaff(p, id);
    },

    async removeAssignee(p: StaffPrincipal, id: string, staffId: string, role: AssigneeRole, ctx: AuditContext): Promise<StaffAppealView> {
      let removed = false;
      await transition(
        p,
        id,
        'appeals.unassign',
        {
          also: async (a, trx, now) => {
            removed = await repo.removeAssignee(a.id, staffId, role, now, trx);
            if (!removed) throw new AppError('appeals.staff_not_found', 'That person is not assigned in that role');
          },
          events: (a, now) => [event(a, 'unassigned', actorOf(p), { staffId, role }, now)],
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    async addNote(p: StaffPrincipal, id: string, note: string, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(p, id, 'appeals.note', { events: (a, now) => [event(a, 'note', actorOf(p), { note }, now)] }, ctx);
      return freshStaff(p, id);
    },

    // ---------------- evidence ----------------

    /** Adds a file to the locker: checked by content (JPEG, PNG, WebP, PDF), ≤ 10 MB, SHA-256 kept; the worker or staff who work it. */
    async addEvidence(p: Principal, id: string, body: Buffer, q: EvidenceQuery, ctx: AuditContext): Promise<Evidence> {
      if (body.length > APPEAL_DEFAULTS.evidenceMaxBytes) throw new AppError('storage.too_large', `Evidence files are at most ${APPEAL_DEFAULTS.evidenceMaxBytes / 1024 / 1024} MB`);
      const sniffed = sniffEvidence(body);
      if (!sniffed) throw new AppError('storage.unsupported_type', 'Evidence must be a JPEG, PNG or WebP image or a PDF', { errors: [{ field: 'body', message: 'unrecognised content' }] });
      const a0 = await repo.appeal(id);
      if (!a0) throw notFound();
      const f = await factsOf(a0);
      if (p.kind === 'worker') assertCanSee(p, f);
      else assertCanWork(p, f);
      if (a0.status === 'closed') throw new AppError('appeals.invalid_state', 'The appeal is closed');
      const now = clock.now();
      const evidenceId = newId();
      const sha256 = sha256Hex(body);
      const key = `appeals/${shanghaiDay(now).slice(0, 7).replace('-', '/')}/${evidenceId}.${sniffed.ext}`;
      await storage.put(key, body, sniffed.contentType);
      try {
        await repo.transaction(async (trx) => {
          const a = await repo.appealForUpdate(id, trx);
          if (!a || a.status === 'closed') throw new AppError('appeals.invalid_state', 'The appeal is closed');
          if ((await repo.evidenceCount(id, trx)) >= APPEAL_DEFAULTS.evidencePerAppeal) throw new AppError('appeals.evidence_limit', `At most ${APPEAL_DEFAULTS.evidencePerAppeal} files per appeal`);
          await repo.insertEvidence(
            {
              id: evidenceId,
              appeal_id: id,
              city_code: a.city_code,
              kind: q.kind,
              content_type: sniffed.contentType,
              size_bytes: body.length,
              sha256,
              storage_key: key,
              note: q.note?.trim() ?? '',
              taken_at: q.takenAt ? new Date(q.takenAt) : null,
              uploaded_at: now,
              uploader_kind: p.kind,
              uploader_id: p.id,
            },
            trx,
          );
          await repo.insertEvents([event(a, 'evidence_added', actorOf(p), { evidenceId, kind: q.kind, sha256 }, now)], trx);
        });
      } catch (e) {
        await storage.delete(key).catch(() => undefined);
        throw e;
      }
      await audit.record(ctx, { cityCode: a0.city_code, action: 'appeals.evidence_add', targetKind: 'appeal', targetId: id, detail: { evidenceId, sha256 } });
      const row = (await repo.evidenceItem(id, evidenceId))!;
      return toEvidence(row, p.kind === 'staff', p.kind === 'staff' ? await names([p.id]) : undefined);
    },

    async evidenceFile(p: Principal, id: string, evidenceId: string, ctx: AuditContext): Promise<{ body: Buffer; contentType: string; sha256: string }> {
      const a = await loadVisible(p, id);
      const e = await repo.evidenceItem(id, evidenceId);
      if (!e) throw new AppError('appeals.evidence_not_found', 'Evidence not found');
      const obj = await storage.get(e.storage_key);
      if (!obj) throw new AppError('storage.not_found', 'The evidence file is missing');
      if (p.kind === 'staff') await audit.record(ctx, { cityCode: a.city_code, action: 'appeals.evidence_read', targetKind: 'appeal', targetId: id, detail: { evidenceId } });
      return { body: obj.body, contentType: e.content_type, sha256: e.sha256 };
    },

    // ---------------- mediation ----------------

    /** A mediation session; an appeal not yet mediating moves to mediating. */
    async addSession(p: StaffPrincipal, id: string, input: SessionInput, ctx: AuditContext): Promise<StaffAppealView> {
      const sessionId = newId();
      await transition(
        p,
        id,
        'appeals.mediation_session',
        {
          check: (a) => {
            if (!OPEN_STATUSES.includes(a.status) || a.status === 'submitted') throw new AppError('appeals.invalid_state', `Cannot record mediation on an appeal that is ${a.status}`);
          },
          set: (a) => ({ status: a.status === 'mediating' ? a.status : ('mediating' as AppealStatus) }),
          also: async (a, trx, now) => {
            await repo.insertSession({ id: sessionId, appeal_id: a.id, held_at: new Date(input.heldAt), place: input.place.trim(), participants: input.participants.map((x) => x.trim()), notes: input.notes ?? '', recorded_by: p.id, created_at: now }, trx);
          },
          events: (a, now) => [
            ...(a.status === 'mediating' ? [] : [event(a, 'mediation_started', actorOf(p), {}, now)]),
            event(a, 'mediation_session', actorOf(p), { sessionId, heldAt: input.heldAt, place: input.place }, now),
          ],
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    async setAgreement(p: StaffPrincipal, id: string, input: AgreementInput, ctx: AuditContext): Promise<StaffAppealView> {
      const total = input.instalments.reduce((s, x) => s + x.amountFen, 0);
      await transition(
        p,
        id,
        'appeals.agreement',
        {
          check: (a) => {
            if (!(['acknowledged', 'in_progress', 'mediating'] as AppealStatus[]).includes(a.status)) throw new AppError('appeals.invalid_state', `Cannot record an agreement on an appeal that is ${a.status}`);
          },
          also: async (a, trx, now) => {
            const ok = await repo.insertAgreement(
              { appeal_id: a.id, total_fen: total, instalments: JSON.stringify(input.instalments), terms: input.terms ?? '', signed_on: input.signedOn, recorded_by: p.id, created_at: now },
              trx,
            );
            if (!ok) throw new AppError('appeals.agreement_exists', 'This appeal already has an agreement');
          },
          events: (a, now) => [event(a, 'agreement', actorOf(p), { totalFen: total, instalments: input.instalments.length, signedOn: input.signedOn }, now)],
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    /** A payment received by the worker; the appeal's recovered amount is the sum of its payments. */
    async addPayment(p: StaffPrincipal, id: string, input: PaymentInput, ctx: AuditContext): Promise<StaffAppealView> {
      await transition(
        p,
        id,
        'appeals.payment',
        {
          check: (a) => {
            if (a.status === 'submitted') throw new AppError('appeals.invalid_state', 'Acknowledge the appeal first');
          },
          also: async (a, trx, now) => {
            await repo.insertPayment({ id: newId(), appeal_id: a.id, amount_fen: input.amountFen, paid_on: input.paidOn, note: input.note ?? '', recorded_by: p.id, created_at: now }, trx);
            await repo.updateAppeal(a.id, { recovered_fen: await repo.paymentsTotal(a.id, trx) }, trx);
          },
          set: (a) => ({ status: a.status }),
          events: (a, now) => [event(a, 'payment', actorOf(p), { amountFen: input.amountFen, paidOn: input.paidOn }, now)],
        },
        ctx,
      );
      return freshStaff(p, id);
    },

    /**
     * The facts an application PDF (legal aid, arbitration, mediation) or the mediation agreement needs,
     * for whoever may see the appeal. Staff reads are audited (the caller's name and phone are in it).
     */
    async documentFacts(p: Principal, id: string, ctx: AuditContext) {
      const a = await loadVisible(p, id);
      const [evidence, sessions, agreement, payments, worker] = await Promise.all([
        repo.evidence(id),
        repo.sessions(id),
        repo.agreement(id),
        repo.payments(id),
        a.worker_id ? workers.getWorkerSummary(a.worker_id) : Promise.resolve(undefined),
      ]);
      if (p.kind === 'staff') await audit.record(ctx, { cityCode: a.city_code, action: 'appeals.facts_read', targetKind: 'appeal', targetId: id });
      return {
        code: a.code,
        type: a.type,
        channel: a.channel,
        submittedAt: a.submitted_at,
        areaCode: a.area_code,
        applicant: {
          workerId: a.worker_id,
          name: a.caller_name_enc ? pii.decrypt(a.caller_name_enc) : null,
          phone: a.caller_phone_enc ? pii.decrypt(a.caller_phone_enc) : null,
          industry: worker?.industry ?? null,
          platform: worker?.platform ?? null,
        },
        respondent: { kind: a.respondent_kind, name: a.respondent_name, uscc: a.respondent_uscc },
        amountClaimedFen: a.amount_claimed_fen,
        recoveredFen: a.recovered_fen,
        description: a.description,
        evidence: evidence.map((e) => ({ kind: e.kind, note: e.note, takenAt: e.taken_at, uploadedAt: e.uploaded_at, sha256: e.sha256, contentType: e.content_type })),
        mediation: {
          sessions: sessions.map((s) => ({ heldAt: s.held_at, place: s.place, participants: s.participants })),
          agreement: agreement ? { totalFen: agreement.total_fen, instalments: agreement.instalments, terms: agreement.terms, signedOn: agreement.signed_on } : null,
          payments: payments.map((x) => ({ amountFen: x.amount_fen, paidOn: x.paid_on })),
        },
        outcome: a.outcome,
        resolution: a.resolution,
        referral: a.referral_kind ? { kind: a.referral_kind, reference: a.referral_ref } : null,
      };
    },

    // ---------------- collective cases (专班) ----------------

    async createCase(p: StaffPrincipal, input: CaseCreate, ctx: AuditContext): Promise<CollectiveCase> {
      await assertStaffExist([input.leadStaffId, ...(input.members ?? []).map((m) => m.staffId)], 'members');
      const now = clock.now();
      const caseId = newId();
      await repo.transaction(async (trx) => {
        const rows = await checkCaseAppeals(p, input.appealIds, null, trx);
        const code = `ZB${shanghaiDay(now).slice(2).replace(/-/g, '')}${String(await repo.nextCodeNumber(trx)).padStart(5, '0')}`;
        const first = rows[0]!;
        await repo.insertCase(
          {
            id: caseId,
            city_code: p.cityCode,
            code,
            title: input.title.trim(),
            respondent_name: first.respondent_name,
            respondent_uscc: rows.find((r) => r.respondent_uscc)?.respondent_uscc ?? null,
            area_code: commonPrefix(rows.map((r) => r.area_code)),
            lead_staff_id: input.leadStaffId,
            status: 'open',
            created_at: now,
            created_by: p.id,
            closed_at: null,
          },
          trx,
        );
        await repo.addCaseMember({ case_id: caseId, staff_id: input.leadStaffId, role: 'lead', added_at: now, added_by: p.id }, trx);
        for (const m of input.members ?? []) await repo.addCaseMember({ case_id: caseId, staff_id: m.staffId, role: m.role, added_at: now, added_by: p.id }, trx);
        for (const a of rows) {
          await repo.updateAppeal(a.id, { case_id: caseId, updated_at: now }, trx);
          await repo.insertEvents([event(a, 'case_joined', actorOf(p), { caseId, code, title: input.title }, now)], trx);
        }
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.case_create', targetKind: 'appeal_case', targetId: caseId, detail: { appeals: input.appealIds.length } });
      const c = (await repo.caseRow(caseId))!;
      const members = [input.leadStaffId, ...(input.members ?? []).map((m) => m.staffId)];
      await tell(members.map((sid) => ({ cityCode: p.cityCode, recipientKind: 'staff' as const, recipientId: sid, kind: 'appeals.case_assigned', params: { code: c.code, title: c.title, count: input.appealIds.length }, link: `/admin/appeals/cases/${c.id}` })));
      return caseView(c);
    },

    async addToCase(p: StaffPrincipal, caseId: string, input: CaseAddAppeals, ctx: AuditContext): Promise<CollectiveCase> {
      const c = await assertCaseVisible(p, caseId);
      const now = clock.now();
      await repo.transaction(async (trx) => {
        if ((await repo.caseRowForUpdate(caseId, trx))!.status === 'closed') throw new AppError('appeals.case_closed', 'This collective case is closed');
        const rows = await checkCaseAppeals(p, input.appealIds, { name: c.respondent_name, uscc: c.respondent_uscc }, trx);
        for (const a of rows) {
          await repo.updateAppeal(a.id, { case_id: caseId, updated_at: now }, trx);
          await repo.insertEvents([event(a, 'case_joined', actorOf(p), { caseId, code: c.code, title: c.title }, now)], trx);
        }
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.case_add', targetKind: 'appeal_case', targetId: caseId, detail: { appeals: input.appealIds } });
      return caseView(c);
    },

    /** An appeal added by mistake leaves the case; it keeps its own record, assignees and outcome. */
    async removeFromCase(p: StaffPrincipal, caseId: string, appealId: string, ctx: AuditContext): Promise<CollectiveCase> {
      const now = clock.now();
      await repo.transaction(async (trx) => {
        const c = await assertCaseManageable(p, caseId, trx);
        const a = await repo.appealForUpdate(appealId, trx);
        if (!a || a.case_id !== caseId) throw new AppError('appeals.not_in_case', 'That appeal is not in this collective case');
        await repo.updateAppeal(a.id, { case_id: null, updated_at: now }, trx);
        await repo.insertEvents([event(a, 'case_left', actorOf(p), { caseId, code: c.code }, now)], trx);
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.case_remove', targetKind: 'appeal_case', targetId: caseId, detail: { appealId } });
      return caseView((await repo.caseRow(caseId))!);
    },

    /** Adds a person to the task force (they then see and work every appeal of the case). */
    async addCaseMember(p: StaffPrincipal, caseId: string, input: CaseMemberAdd, ctx: AuditContext): Promise<CollectiveCase> {
      await assertStaffExist([input.staffId], 'staffId');
      const now = clock.now();
      const c = await repo.transaction(async (trx) => {
        const c = await assertCaseManageable(p, caseId, trx);
        await repo.addCaseMember({ case_id: caseId, staff_id: input.staffId, role: input.role, added_at: now, added_by: p.id }, trx);
        return c;
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.case_member_add', targetKind: 'appeal_case', targetId: caseId, detail: { staffId: input.staffId, role: input.role } });
      await tell([{ cityCode: p.cityCode, recipientKind: 'staff', recipientId: input.staffId, kind: 'appeals.case_assigned', params: { code: c.code, title: c.title, count: (await repo.caseAppealIds(caseId)).length }, link: `/admin/appeals/cases/${c.id}` }]);
      return caseView((await repo.caseRow(caseId))!);
    },

    async removeCaseMember(p: StaffPrincipal, caseId: string, staffId: string, ctx: AuditContext): Promise<CollectiveCase> {
      await repo.transaction(async (trx) => {
        const c = await assertCaseManageable(p, caseId, trx);
        if (c.lead_staff_id === staffId) throw new AppError('request.invalid', 'The case lead stays on the task force', { errors: [{ field: 'staffId', message: 'the case lead stays on the task force' }] });
        if (!(await repo.removeCaseMember(caseId, staffId, trx))) throw new AppError('appeals.staff_not_found', 'That person is not on the task force');
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.case_member_remove', targetKind: 'appeal_case', targetId: caseId, detail: { staffId } });
      return caseView((await repo.caseRow(caseId))!);
    },

    /** Closes the case with a summary. Each member appeal keeps its own state and outcome; its timeline notes the closure. */
    async closeCase(p: StaffPrincipal, caseId: string, input: CaseClose, ctx: AuditContext): Promise<CollectiveCase> {
      const now = clock.now();
      const summary = input.summary.trim();
      if (summary.length < 2) throw new AppError('request.invalid', 'summary: required', { errors: [{ field: 'summary', message: 'required' }] });
      await repo.transaction(async (trx) => {
        const c = await assertCaseManageable(p, caseId, trx);
        await repo.updateCase(caseId, { status: 'closed', closed_at: now, closed_by: p.id, summary }, trx);
        const ids = await repo.caseAppealIds(caseId, trx);
        await repo.insertEvents(ids.map((id) => event({ id }, 'case_closed', actorOf(p), { caseId, code: c.code }, now)), trx);
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.case_close', targetKind: 'appeal_case', targetId: caseId });
      return caseView((await repo.caseRow(caseId))!);
    },

    /** The cases p may see: open first, then newest; with the count of member appeals and their amounts. */
    async listCases(p: StaffPrincipal, q: CaseListQuery): Promise<PageOf<CaseListItem>> {
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const { rows, total } = await repo.caseList({ cityCode: p.cityCode, staffId: p.id, areaPrefix: p.role === 'operator' ? p.areaCode : null }, { status: q.status, q: q.q?.trim() || undefined }, pageSize, (page - 1) * pageSize);
      const [leadNames, areaNames] = await Promise.all([names([...new Set(rows.map((r) => r.lead_staff_id))]), areas.names([...new Set(rows.map((r) => r.area_code))])]);
      return {
        items: rows.map((c) => ({
          id: c.id,
          code: c.code,
          title: c.title,
          respondentName: c.respondent_name,
          areaCode: c.area_code,
          areaName: areaNames.get(c.area_code) ?? c.area_code,
          status: c.status,
          leadStaffId: c.lead_staff_id,
          leadName: leadNames.get(c.lead_staff_id) ?? '',
          appealCount: c.appeal_count,
          amountClaimedFen: c.amount_claimed_fen,
          recoveredFen: c.recovered_fen,
          createdAt: c.created_at.toISOString(),
          closedAt: iso(c.closed_at),
        })),
        total,
        page,
        pageSize,
      };
    },

    async getCase(p: StaffPrincipal, caseId: string, ctx: AuditContext): Promise<CollectiveCase> {
      const c = await assertCaseVisible(p, caseId);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.case_read', targetKind: 'appeal_case', targetId: caseId });
      return caseView(c);
    },

    // ---------------- export ----------------

    /**
     * The staff queue with its filters as XLSX: contacts masked, Chinese headers, Beijing time. More than
     * APPEAL_EXPORT_MAX_ROWS rows is refused (narrow the filters) rather than cut short. Audited.
     */
    async exportXlsx(p: StaffPrincipal, q: ExportQuery, ctx: AuditContext): Promise<{ body: Buffer; rows: number }> {
      const scope = { cityCode: p.cityCode, staffId: p.id, areaPrefix: p.role === 'operator' ? p.areaCode : null, mineOnly: q.mine === true };
      const filter = { status: q.status, type: q.type, channel: q.channel, areaCode: q.areaCode, caseId: q.caseId, overdueAt: q.overdue ? clock.now() : undefined, q: q.q?.trim() || undefined };
      const first = await repo.staffList(scope, filter, 500, 0);
      if (first.total > APPEAL_EXPORT_MAX_ROWS) {
        await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.export', targetKind: 'appeal', outcome: 'denied', detail: { total: first.total, filter: { ...q } } });
        throw new AppError('appeals.export_too_large', `${first.total} appeals match; at most ${APPEAL_EXPORT_MAX_ROWS} can be exported at once — narrow the filters`, { errors: [{ field: 'filter', message: `${first.total} > ${APPEAL_EXPORT_MAX_ROWS}` }] });
      }
      const caseCodes = new Map<string, string>();
      const workbook = new ExcelJS.Workbook();
      workbook.created = clock.now();
      const sheet = workbook.addWorksheet('诉求');
      const widths = [18, 12, 8, 10, 12, 10, 15, 30, 14, 14, 24, 18, 18, 18, 8, 18];
      sheet.columns = EXPORT_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: widths[i] }));
      sheet.getRow(1).font = { bold: true };
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
      let rows = 0;
      let batch = first;
      for (let offset = 0; ; ) {
        const items = await summaries(batch.rows);
        for (const [i, s] of items.entries()) {
          const row = batch.rows[i]!;
          if (row.case_id && !caseCodes.has(row.case_id)) caseCodes.set(row.case_id, (await repo.caseRow(row.case_id))?.code ?? '');
          const values = [
            s.code,
            zh.types[s.type] ?? s.type,
            zh.channels[s.channel] ?? s.channel,
            zh.statuses[s.status] ?? s.status,
            row.outcome ? (zh.outcomes[row.outcome] ?? row.outcome) : '',
            s.nameMasked ?? '',
            s.phoneMasked ?? '',
            s.respondentName,
            s.amountClaimedFen / 100,
            s.recoveredFen / 100,
            s.areaName,
            shanghaiDateTime(new Date(s.submittedAt)),
            shanghaiDateTime(new Date(s.deadlines.acknowledgeBy)),
            shanghaiDateTime(new Date(s.deadlines.resolveBy)),
            s.deadlines.overdue ? '是' : '否',
            row.case_id ? caseCodes.get(row.case_id)! : '',
          ];
          sheet.addRow(Object.fromEntries(values.map((v, j) => [`c${j}`, v])));
        }
        rows += items.length;
        offset += batch.rows.length;
        if (batch.rows.length < 500 || offset >= APPEAL_EXPORT_MAX_ROWS) break;
        batch = await repo.staffList(scope, filter, 500, offset);
      }
      for (const c of [8, 9]) sheet.getColumn(c + 1).numFmt = '#,##0.00';
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.export', targetKind: 'appeal', detail: { rows, filter: { ...q } } });
      return { body: Buffer.from(await workbook.xlsx.writeBuffer()), rows };
    },

    // ---------------- configuration (operators) ----------------

    async listRules(p: StaffPrincipal): Promise<AppealRule[]> {
      requireOperator(p);
      const rules = (await repo.rules(p.cityCode)).filter((r) => r.area_prefix.startsWith(p.areaCode) || p.areaCode.startsWith(r.area_prefix));
      return withNames(rules);
    },

    async createRule(p: StaffPrincipal, input: AppealRuleInput, ctx: AuditContext): Promise<AppealRule> {
      requireOperator(p);
      await validateRule(p, input);
      const now = clock.now();
      const id = newId();
      await repo.insertRule({
        id,
        city_code: p.cityCode,
        type: input.type ?? null,
        area_prefix: input.areaPrefix,
        station_head_id: input.stationHeadId ?? null,
        street_officer_id: input.streetOfficerId ?? null,
        industry_officer_id: input.industryOfficerId ?? null,
        department_id: input.departmentId ?? null,
        priority: input.priority ?? 0,
        active: input.active ?? true,
        note: input.note ?? '',
        created_at: now,
        updated_at: now,
        updated_by: p.id,
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.rule_create', targetKind: 'appeal_rule', targetId: id });
      return (await withNames([(await repo.rule(id))!]))[0]!;
    },

    async updateRule(p: StaffPrincipal, id: string, input: AppealRuleInput, ctx: AuditContext): Promise<AppealRule> {
      requireOperator(p);
      const r = await repo.rule(id);
      if (!r || r.city_code !== p.cityCode || !r.area_prefix.startsWith(p.areaCode)) throw new AppError('appeals.rule_not_found', 'Rule not found');
      await validateRule(p, input);
      await repo.updateRule(id, {
        type: input.type ?? null,
        area_prefix: input.areaPrefix,
        station_head_id: input.stationHeadId ?? null,
        street_officer_id: input.streetOfficerId ?? null,
        industry_officer_id: input.industryOfficerId ?? null,
        department_id: input.departmentId ?? null,
        priority: input.priority ?? r.priority,
        active: input.active ?? r.active,
        note: input.note ?? r.note,
        updated_at: clock.now(),
        updated_by: p.id,
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.rule_update', targetKind: 'appeal_rule', targetId: id });
      return (await withNames([(await repo.rule(id))!]))[0]!;
    },

    async getSettings(p: StaffPrincipal): Promise<AppealSettings> {
      if (p.kind !== 'staff') throw new AppError('auth.forbidden', 'Staff only');
      return settingsFor(p.cityCode);
    },

    /** Applies to appeals filed from now on; deadlines already set are kept. */
    async putSettings(p: StaffPrincipal, input: AppealSettings, ctx: AuditContext): Promise<AppealSettings> {
      requireOperator(p);
      if (p.areaCode !== p.cityCode) throw new AppError('auth.forbidden', 'Only city operators set the deadlines');
      await repo.upsertSettings({
        city_code: p.cityCode,
        ack_hours: input.ackHours,
        ack_remind_hours_before: input.ackRemindHoursBefore,
        resolve_remind_hours_before: input.resolveRemindHoursBefore,
        resolve_days: JSON.stringify(input.resolveDays),
        updated_at: clock.now(),
        updated_by: p.id,
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'appeals.settings', targetKind: 'appeal_settings', targetId: p.cityCode, detail: { ...input } });
      return settingsFor(p.cityCode);
    },

    // ---------------- metrics ----------------

    /** Received, closed, closed on time, satisfaction and recovered — by type, department, area or Shanghai month, inside the operator's area. */
    async metrics(p: StaffPrincipal, q: MetricsQuery): Promise<MetricsRow[]> {
      requireOperator(p);
      const areaPrefix = q.areaCode ?? p.areaCode;
      if (!areaPrefix.startsWith(p.areaCode)) throw new AppError('areas.out_of_scope', 'That area is outside your scope', { errors: [{ field: 'areaCode', message: 'outside your area' }] });
      if (q.from && q.to && q.from > q.to) throw new AppError('request.invalid', 'from is after to', { errors: [{ field: 'from', message: 'after to' }] });
      const rows = await repo.metrics({
        cityCode: p.cityCode,
        areaPrefix,
        from: q.from ? monthRange(q.from).start : null,
        to: q.to ? monthRange(q.to).end : null,
        by: q.by,
        areaLevel: q.areaLevel ?? 6,
      });
      return rows.map((r) => ({
        key: r.key,
        received: r.received,
        closed: r.closed,
        closedOnTime: r.closed_on_time,
        rated: r.rated,
        satisfied: r.satisfied,
        satisfactionRate: r.rated ? Math.round((r.satisfied / r.rated) * 10000) / 10000 : null,
        recoveredFen: r.recovered_fen,
      }));
    },

    // ---------------- jobs and seeds ----------------

    remindDue,
    escalateDue,
    linkCallers,
    appealIdForClient: async (submitterKey: string, clientId: string) => (await repo.byClientId(submitterKey, clientId))?.id,
  };
}
export type AppealsService = ReturnType<typeof createAppealsService>;
