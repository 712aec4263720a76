import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { WorkCalendar } from '../../platform/calendar/calendar.js';
import type { Principal, StaffPrincipal, StaffRole, WorkerPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import type { FieldError } from '../../contracts/errors.js';
import type { AppealSubmit, AppealType } from '../../contracts/appeals.js';
import {
  LEGAL_DEFAULTS,
  type Decline,
  type Lawyer,
  type LawyerInput,
  type LegalMetricsQuery,
  type LegalMetricsRow,
  type LegalSettings,
  type MessageKind,
  type MineQuery,
  type QuestionAsk,
  type QuestionMessage,
  type QuestionSummary,
  type QuestionView,
  type RateInput,
  type StaffQuestionView,
  type StaffQuestionsQuery,
  type ToAppeal,
  type ToAppealResult,
} from '../../contracts/legal.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { StaffService } from '../staff/staff.service.js';
import type { WorkersService } from '../workers/workers.service.js';
import type { NotificationsService, NotifyInput } from '../notifications/notifications.service.js';
import type { AppealsService } from '../appeals/appeals.service.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { monthRange, shanghaiDay } from '../../shared/shanghai-time.js';
import { createLegalRepository, type LawyerRow, type NewMessageRow, type QuestionRow } from './legal.repository.js';

export interface LegalServiceDeps {
  db: Db;
  clock: Clock;
  calendar: Pick<WorkCalendar, 'deadlineAfter'>;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'find'>;
  staff: Pick<StaffService, 'getStaffNames' | 'accountsFor'>;
  workers: Pick<WorkersService, 'getWorkerSummary'>;
  notifications: Pick<NotificationsService, 'notify' | 'notifyAll'>;
  /** Turning an answer into an appeal goes through the appeals service (never its tables). */
  appeals: Pick<AppealsService, 'submit'>;
}

const HOUR = 3600_000;
const SWEEP_BATCH = 200;
/** Roles that read the aggregate metrics (no personal data in them). */
const METRICS_ROLES: readonly StaffRole[] = ['operator', 'hotline_agent', 'mediator', 'lawyer'];
/** Thread entries the worker does not see (internal workflow). */
const INTERNAL: ReadonlySet<MessageKind> = new Set(['declined', 'reminded', 'escalated']);
const OPEN_FOR_LAWYER = ['assigned', 'needs_info'] as const;

type Actor = { kind: 'worker' | 'staff' | 'system'; id: string | null };
const SYSTEM: Actor = { kind: 'system', id: null };
const actorOf = (p: Principal): Actor => ({ kind: p.kind, id: p.id });
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const shanghaiMinute = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
const workerLink = (id: string) => `/worker/legal/${id}`;
const staffLink = (id: string) => `/admin/legal/${id}`;

export const notFound = () => new AppError('legal.not_found', 'Question not found');
const invalidState = (message: string) => new AppError('legal.invalid_state', message);
const reject = (errors: FieldError[]) => {
  if (errors.length) throw new AppError('request.invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
};

/** Operators whose area scope covers the question see it and assign it. */
const isSupervisor = (p: StaffPrincipal, q: Pick<QuestionRow, 'city_code' | 'area_code'>) => p.role === 'operator' && p.cityCode === q.city_code && q.area_code.startsWith(p.areaCode);

/** Who may see a question: its worker, its current lawyer, operators over its area. Anyone else: not found. */
export function canSeeQuestion(p: Principal, q: Pick<QuestionRow, 'city_code' | 'area_code' | 'worker_id' | 'lawyer_id'>): boolean {
  if (p.cityCode !== q.city_code) return false;
  if (p.kind === 'worker') return q.worker_id === p.id;
  return q.lawyer_id === p.id || isSupervisor(p, q);
}

/**
 * 法帮新: a worker asks; the question goes at once to the active roster lawyer whose speciality and areas
 * match and who has the fewest open questions (under their maximum), else to the operators' queue. The
 * lawyer answers within N working days (the work calendar), asks for more information, or declines (back
 * to the pool). Durable sweeps remind before the deadline and escalate after it. The worker rates the
 * answer, may ask one follow-up, and may turn the answer into an appeal through the appeals service.
 */
export function createLegalService(deps: LegalServiceDeps) {
  const { db, clock, calendar, audit, areas, staff, workers, notifications, appeals } = deps;
  const repo = createLegalRepository(db);

  const tell = (items: NotifyInput[]) => notifications.notifyAll(items, 'legal');
  const toStaff = (q: QuestionRow, ids: readonly (string | null)[], kind: string, params: Record<string, string | number> = {}): NotifyInput[] =>
    [...new Set(ids.filter((x): x is string => !!x))].map((id) => ({ cityCode: q.city_code, recipientKind: 'staff', recipientId: id, kind, params: { code: q.code, ...params }, link: staffLink(q.id) }));
  const toWorker = (q: QuestionRow, kind: string, params: Record<string, string | number> = {}): NotifyInput[] => [
    { cityCode: q.city_code, recipientKind: 'worker', recipientId: q.worker_id, kind, params: { code: q.code, ...params }, link: workerLink(q.id) },
  ];

  const message = (q: { id: string }, kind: MessageKind, actor: Actor, body = '', data: Record<string, unknown> = {}, at = clock.now()): NewMessageRow => ({
    question_id: q.id,
    at,
    kind,
    author_kind: actor.kind,
    author_id: actor.id,
    body,
    data: JSON.stringify(data),
  });

  // ---------------- settings, deadlines ----------------

  async function settingsFor(cityCode: string): Promise<LegalSettings> {
    const row = await repo.settings(cityCode);
    return { answerDays: row?.answer_days ?? LEGAL_DEFAULTS.answerDays, remindHoursBefore: row?.remind_hours_before ?? LEGAL_DEFAULTS.remindHoursBefore };
  }
  async function deadlineFrom(cityCode: string, from: Date): Promise<Date> {
    return calendar.deadlineAfter(from, (await settingsFor(cityCode)).answerDays);
  }

  // ---------------- assignment ----------------

  /** Active lawyer accounts of the city (a paused or disabled account gets nothing new). */
  async function activeLawyerIds(cityCode: string): Promise<Set<string>> {
    return new Set((await staff.accountsFor(cityCode, { areaPrefix: cityCode, role: 'lawyer' })).map((a) => a.id));
  }

  /** The matching roster lawyer with the fewest open questions below their maximum, or null. */
  async function pickLawyer(q: Pick<QuestionRow, 'city_code' | 'type' | 'area_code' | 'declined_by'>, accounts: Set<string>, trx?: Db): Promise<string | null> {
    const cands = (await repo.candidates(q.city_code, q.type, q.area_code, q.declined_by, trx)).filter((l) => accounts.has(l.staff_id));
    const counts = await repo.openCounts(
      cands.map((l) => l.staff_id),
      trx,
    );
    let best: { id: string; n: number } | null = null;
    for (const l of cands) {
      const n = counts.get(l.staff_id) ?? 0;
      if (n >= l.max_open) continue;
      if (!best || n < best.n) best = { id: l.staff_id, n };
    }
    return best?.id ?? null;
  }

  async function operatorsOver(q: QuestionRow): Promise<string[]> {
    const list = await staff.accountsFor(q.city_code, { areaPrefix: q.city_code, role: 'operator' });
    return list.filter((x) => q.area_code.startsWith(x.areaCode)).map((x) => x.id);
  }

  // ---------------- views ----------------

  async function names(ids: (string | null)[]): Promise<Map<string, string>> {
    const list = [...new Set(ids.filter((x): x is string => !!x))];
    return list.length ? staff.getStaffNames(list) : new Map();
  }

  const overdue = (q: QuestionRow) => (q.status === 'assigned' || q.status === 'unassigned') && q.deadline_at.getTime() < clock.now().getTime();
  const excerpt = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

  function summaryOf(q: QuestionRow, n: Map<string, string>): QuestionSummary {
    return {
      id: q.id,
      code: q.code,
      type: q.type,
      status: q.status,
      excerpt: excerpt(q.question),
      askedAt: q.asked_at.toISOString(),
      deadlineAt: q.deadline_at.toISOString(),
      overdue: overdue(q),
      needsReassign: q.needs_reassign,
      lawyerId: q.lawyer_id,
      lawyerName: q.lawyer_id ? (n.get(q.lawyer_id) ?? null) : null,
      areaCode: q.area_code,
      appealId: q.appeal_id,
    };
  }

  async function summaries(rows: QuestionRow[]): Promise<QuestionSummary[]> {
    const n = await names(rows.map((r) => r.lawyer_id));
    return rows.map((r) => summaryOf(r, n));
  }

  async function view(q: QuestionRow, forWorker: boolean): Promise<QuestionView> {
    const msgs = (await repo.messages(q.id)).filter((m) => !forWorker || !INTERNAL.has(m.kind));
    const n = await names([q.lawyer_id, ...msgs.filter((m) => m.author_kind === 'staff').map((m) => m.author_id)]);
    const lawyer = q.lawyer_id ? await repo.lawyer(q.lawyer_id) : undefined;
    const messages: QuestionMessage[] = msgs.map((m) => ({
      id: m.id,
      at: m.at.toISOString(),
      kind: m.kind,
      authorKind: m.author_kind,
      authorName: m.author_kind === 'staff' && m.author_id ? (n.get(m.author_id) ?? null) : null,
      body: m.body,
    }));
    return {
      ...summaryOf(q, n),
      question: q.question,
      amountFen: q.amount_fen,
      employer: q.employer,
      anonymous: q.anonymous,
      lawFirm: lawyer?.law_firm ?? null,
      firstAnsweredAt: iso(q.first_answered_at),
      answeredOnTime: q.answered_on_time,
      rating: q.rating,
      canReply: q.status === 'needs_info',
      canFollowUp: q.status === 'answered' && !q.follow_up_used,
      canRate: q.status === 'answered' && q.rating === null,
      canTurnIntoAppeal: q.first_answered_at !== null && q.appeal_id === null,
      messages,
    };
  }

  async function staffView(p: StaffPrincipal, q: QuestionRow): Promise<StaffQuestionView> {
    const v = await view(q, false);
    const w = await workers.getWorkerSummary(q.worker_id);
    // Lawyers never see the worker in clear; an anonymous asker is not shown to them at all.
    const hide = q.anonymous && p.role !== 'operator';
    return {
      ...v,
      worker: { phoneMasked: hide ? null : (w?.phoneMasked ?? null), nameMasked: hide ? null : (w?.nameMasked ?? null) },
      declinedBy: q.declined_by,
      canAnswer: q.lawyer_id === p.id && (q.status === 'assigned' || q.status === 'needs_info'),
      canAssign: isSupervisor(p, q) && q.status !== 'answered',
    };
  }

  async function loadVisible(p: Principal, id: string): Promise<QuestionRow> {
    const q = await repo.question(id);
    if (!q || !canSeeQuestion(p, q)) throw notFound();
    return q;
  }

  // ---------------- transitions ----------------

  /** Read before the transaction (other services use their own connections; the embedded database has one). */
  interface Prep {
    accounts: Set<string>;
    freshDeadline: Date;
  }
  interface Step {
    check: (q: QuestionRow) => void;
    set: (q: QuestionRow, now: Date, trx: Db, prep: Prep) => Promise<Partial<QuestionRow>> | Partial<QuestionRow>;
    messages: (q: QuestionRow, now: Date) => NewMessageRow[];
    notify?: (before: QuestionRow, after: QuestionRow) => Promise<NotifyInput[]> | NotifyInput[];
  }

  /** Locks the question, checks who and what, updates it and adds its thread entries in one transaction; messages follow the commit. */
  async function transition(p: Principal, id: string, auditAction: string, step: Step, ctx: AuditContext): Promise<QuestionRow> {
    const now = clock.now();
    const q0 = await repo.question(id);
    if (!q0 || !canSeeQuestion(p, q0)) throw notFound();
    const prep: Prep = { accounts: await activeLawyerIds(q0.city_code), freshDeadline: await deadlineFrom(q0.city_code, now) };
    const { before, after } = await repo.transaction(async (trx) => {
      const q = await repo.questionForUpdate(id, trx);
      if (!q || !canSeeQuestion(p, q)) throw notFound();
      step.check(q);
      const set = await step.set(q, now, trx, prep);
      await repo.updateQuestion(q.id, { ...set, updated_at: now }, trx);
      await repo.insertMessages(step.messages(q, now), trx);
      return { before: q, after: (await repo.question(q.id, trx))! };
    });
    await audit.record(ctx, { cityCode: after.city_code, action: auditAction, targetKind: 'legal_question', targetId: id });
    if (step.notify) await tell(await step.notify(before, after));
    return after;
  }

  const requireLawyerOf = (p: Principal, q: QuestionRow) => {
    if (p.kind !== 'staff' || q.lawyer_id !== p.id) throw new AppError('legal.not_allowed', 'Only the lawyer the question is assigned to may do this');
  };

  function requireOperator(p: StaffPrincipal): void {
    if (p.role !== 'operator') throw new AppError('auth.forbidden', 'Only operators manage the legal questions queue and the lawyer roster');
  }

  /** After a decline or an escalation: the next matching lawyer, or the operators' queue. */
  async function reassignSet(q: QuestionRow, declinedBy: string[], accounts: Set<string>, trx: Db, now: Date): Promise<{ set: Partial<QuestionRow>; lawyerId: string | null }> {
    const lawyerId = await pickLawyer({ ...q, declined_by: declinedBy }, accounts, trx);
    return {
      lawyerId,
      set: { lawyer_id: lawyerId, status: lawyerId ? 'assigned' : 'unassigned', assigned_at: lawyerId ? now : null, declined_by: declinedBy, reminded_at: null },
    };
  }

  function lawyerView(a: { id: string; username: string; displayName: string; areaCode: string }, row: LawyerRow | undefined, open: number): Lawyer {
    return {
      staffId: a.id,
      username: a.username,
      displayName: a.displayName,
      areaCode: a.areaCode,
      profile: row
        ? { lawFirm: row.law_firm, specialities: row.specialities as AppealType[], areas: row.areas, active: row.active, maxOpen: row.max_open, updatedAt: row.updated_at.toISOString() }
        : null,
      openQuestions: open,
    };
  }

  function lastAnswer(msgs: QuestionMessage[]): string {
    for (let i = msgs.length - 1; i >= 0; i--) if (msgs[i]!.kind === 'answer') return msgs[i]!.body;
    return '';
  }

  return {
    // ---------------- the worker's side ----------------

    /** A verified worker asks (idempotent by clientId: a retry returns the first question). */
    async ask(w: WorkerPrincipal, input: QuestionAsk, ctx: AuditContext): Promise<{ question: QuestionView; created: boolean }> {
      const me = await workers.getWorkerSummary(w.id);
      if (!me || me.verificationStatus !== 'approved') throw new AppError('legal.not_verified', 'Verify your identity before asking a lawyer');
      const text = input.question.trim();
      const employer = input.employer?.trim() || null;
      const same = (r: QuestionRow) => r.type === input.type && r.question === text && r.employer === employer && r.amount_fen === (input.amountFen ?? null);
      const prior = await repo.byClientId(w.id, input.clientId);
      if (prior) {
        if (!same(prior)) throw new AppError('legal.client_id_conflict', 'This clientId was used for a different question');
        return { question: await view(prior, true), created: false };
      }
      const now = clock.now();
      const areaCode = me.areaCode ?? w.cityCode;
      const deadline = await deadlineFrom(w.cityCode, now);
      const accounts = await activeLawyerIds(w.cityCode);
      const id = newId();
      try {
        const row = await repo.transaction(async (trx) => {
          const code = `FB${shanghaiDay(now).slice(2).replace(/-/g, '')}${String(await repo.nextCodeNumber(trx)).padStart(5, '0')}`;
          const lawyerId = await pickLawyer({ city_code: w.cityCode, type: input.type, area_code: areaCode, declined_by: [] }, accounts, trx);
          await repo.insertQuestion(
            {
              id,
              city_code: w.cityCode,
              code,
              worker_id: w.id,
              client_id: input.clientId,
              type: input.type,
              question: text,
              amount_fen: input.amountFen ?? null,
              employer,
              anonymous: input.anonymous ?? false,
              area_code: areaCode,
              status: lawyerId ? 'assigned' : 'unassigned',
              lawyer_id: lawyerId,
              assigned_at: lawyerId ? now : null,
              declined_by: [],
              asked_at: now,
              deadline_at: deadline,
              first_answered_at: null,
              answered_on_time: null,
              rating: null,
              follow_up_used: false,
              reminded_at: null,
              escalated_at: null,
              needs_reassign: false,
              appeal_id: null,
              appeal_linked_at: null,
              updated_at: now,
            },
            trx,
          );
          const msgs = [message({ id }, 'question', actorOf(w), text, {}, now)];
          if (lawyerId) msgs.push(message({ id }, 'assigned', SYSTEM, '', { lawyerId, by: 'auto' }, now));
          await repo.insertMessages(msgs, trx);
          return (await repo.question(id, trx))!;
        });
        await audit.record(ctx, { cityCode: w.cityCode, action: 'legal.ask', targetKind: 'legal_question', targetId: id, detail: { type: input.type, assigned: row.lawyer_id !== null } });
        await tell(row.lawyer_id ? toStaff(row, [row.lawyer_id], 'legal.assigned', { deadline: shanghaiMinute(row.deadline_at) }) : toStaff(row, await operatorsOver(row), 'legal.unassigned'));
        return { question: await view(row, true), created: true };
      } catch (e) {
        if ((e as { code?: string }).code === '23505') {
          const again = await repo.byClientId(w.id, input.clientId);
          if (again && same(again)) return { question: await view(again, true), created: false };
          if (again) throw new AppError('legal.client_id_conflict', 'This clientId was used for a different question');
        }
        throw e;
      }
    },

    async mine(w: WorkerPrincipal, q: MineQuery): Promise<PageOf<QuestionSummary>> {
      const { rows, total } = await repo.mine(w.id, q.pageSize, (q.page - 1) * q.pageSize);
      return { items: await summaries(rows), total, page: q.page, pageSize: q.pageSize };
    },

    async workerView(w: WorkerPrincipal, id: string): Promise<QuestionView> {
      return view(await loadVisible(w, id), true);
    },

    /** The worker answers the lawyer's request for more information; the lawyer's clock starts again. */
    async reply(w: WorkerPrincipal, id: string, text: string, ctx: AuditContext): Promise<QuestionView> {
      const row = await transition(
        w,
        id,
        'legal.reply',
        {
          check: (q) => {
            if (q.status !== 'needs_info') throw invalidState('The lawyer has not asked for more information');
          },
          set: (q, _now, _trx, prep) => ({ status: q.lawyer_id ? 'assigned' : 'unassigned', deadline_at: prep.freshDeadline, reminded_at: null, escalated_at: null }),
          messages: (q, now) => [message(q, 'info_reply', actorOf(w), text.trim(), {}, now)],
          notify: (_b, a) => toStaff(a, [a.lawyer_id], 'legal.info_replied', { deadline: shanghaiMinute(a.deadline_at) }),
        },
        ctx,
      );
      return view(row, true);
    },

    /** One follow-up question after the answer; it goes back to the same lawyer with a new deadline. */
    async followUp(w: WorkerPrincipal, id: string, text: string, ctx: AuditContext): Promise<QuestionView> {
      const row = await transition(
        w,
        id,
        'legal.follow_up',
        {
          check: (q) => {
            if (q.status !== 'answered') throw invalidState('Only an answered question takes a follow-up');
            if (q.follow_up_used) throw new AppError('legal.follow_up_used', 'You already asked a follow-up on this question');
          },
          set: async (q, _now, trx, prep) => {
            const same = q.lawyer_id && prep.accounts.has(q.lawyer_id) ? q.lawyer_id : await pickLawyer(q, prep.accounts, trx);
            return { status: same ? 'assigned' : 'unassigned', lawyer_id: same, follow_up_used: true, deadline_at: prep.freshDeadline, reminded_at: null, escalated_at: null, needs_reassign: false };
          },
          messages: (q, now) => [message(q, 'follow_up', actorOf(w), text.trim(), {}, now)],
          notify: async (_b, a) => (a.lawyer_id ? toStaff(a, [a.lawyer_id], 'legal.follow_up', { deadline: shanghaiMinute(a.deadline_at) }) : toStaff(a, await operatorsOver(a), 'legal.unassigned')),
        },
        ctx,
      );
      return view(row, true);
    },

    async rate(w: WorkerPrincipal, id: string, input: RateInput, ctx: AuditContext): Promise<QuestionView> {
      const row = await transition(
        w,
        id,
        'legal.rate',
        {
          check: (q) => {
            if (q.status !== 'answered' || q.rating !== null) throw invalidState('Only an answered question not yet rated may be rated');
          },
          set: () => ({ rating: input.rating }),
          messages: (q, now) => [message(q, 'rated', actorOf(w), '', { rating: input.rating }, now)],
        },
        ctx,
      );
      return view(row, true);
    },

    /**
     * Turns an answered question into an appeal, pre-filled with its type and facts, through the appeals
     * service. Exactly once: the appeal's clientId is derived from the question, so a retry or a race
     * returns the same appeal, and the link is written once.
     */
    async toAppeal(w: WorkerPrincipal, id: string, input: ToAppeal, ctx: AuditContext): Promise<ToAppealResult> {
      const q = await loadVisible(w, id);
      if (q.appeal_id) return { appealId: q.appeal_id, created: false, question: await view(q, true) };
      if (!q.first_answered_at) throw invalidState('Only an answered question can become an appeal');
      const respondent = input.respondent ?? (q.employer ? { kind: 'company' as const, name: q.employer } : null);
      if (!respondent) throw new AppError('legal.respondent_required', 'Say whom the appeal is against', { errors: [{ field: 'respondent', message: 'required: the question named no employer', code: 'legal.respondent_required' }] });
      const answer = lastAnswer((await view(q, true)).messages);
      const facts = `${q.question}\n\n【法帮新 ${q.code}】${answer ? `律师意见：${answer}` : ''}`;
      const amount = input.amountClaimedFen ?? q.amount_fen ?? undefined;
      const submit: AppealSubmit = {
        clientId: `legal-${q.id}`,
        type: input.type ?? q.type,
        description: (input.description ?? facts).slice(0, 4000),
        respondent,
        ...(amount !== undefined ? { amountClaimedFen: amount } : {}),
        areaCode: q.area_code,
      };
      const { appeal, created } = await appeals.submit(w, submit, ctx);
      const now = clock.now();
      const linked = await repo.transaction(async (trx) => {
        const cur = (await repo.questionForUpdate(q.id, trx))!;
        if (cur.appeal_id) return cur;
        await repo.updateQuestion(q.id, { appeal_id: appeal.id, appeal_linked_at: now, updated_at: now }, trx);
        await repo.insertMessages([message(q, 'appeal', actorOf(w), '', { appealId: appeal.id, appealCode: appeal.code }, now)], trx);
        return (await repo.question(q.id, trx))!;
      });
      await audit.record(ctx, { cityCode: q.city_code, action: 'legal.to_appeal', targetKind: 'legal_question', targetId: q.id, detail: { appealId: linked.appeal_id } });
      return { appealId: linked.appeal_id!, created: created && linked.appeal_id === appeal.id, question: await view(linked, true) };
    },

    // ---------------- the staff side ----------------

    /** Lawyers: their queue (scope mine). Operators: all in their scope, or the unassigned / to-reassign queue. */
    async staffList(p: StaffPrincipal, q: StaffQuestionsQuery): Promise<PageOf<QuestionSummary>> {
      const scope = q.scope ?? (p.role === 'operator' ? 'all' : 'mine');
      if (scope !== 'mine') requireOperator(p);
      const { rows, total } = await repo.list(
        {
          cityCode: p.cityCode,
          areaPrefix: scope === 'mine' ? undefined : p.areaCode,
          lawyerId: scope === 'mine' ? p.id : undefined,
          unassigned: scope === 'unassigned',
          status: q.status,
          type: q.type,
          overdueAt: q.overdue ? clock.now() : undefined,
          needsReassign: q.needsReassign,
        },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      return { items: await summaries(rows), total, page: q.page, pageSize: q.pageSize };
    },

    /** One question for staff; every read (and every refused one) is audited. */
    async staffGet(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<StaffQuestionView> {
      const q = await repo.question(id);
      if (!q || !canSeeQuestion(p, q)) {
        await audit.record(ctx, { cityCode: p.cityCode, action: 'legal.read', targetKind: 'legal_question', targetId: id, outcome: 'denied' });
        throw notFound();
      }
      await audit.record(ctx, { cityCode: q.city_code, action: 'legal.read', targetKind: 'legal_question', targetId: id });
      return staffView(p, q);
    },

    async answer(p: StaffPrincipal, id: string, text: string, ctx: AuditContext): Promise<StaffQuestionView> {
      const row = await transition(
        p,
        id,
        'legal.answer',
        {
          check: (q) => {
            requireLawyerOf(p, q);
            if (q.status !== 'assigned' && q.status !== 'needs_info') throw invalidState('This question is not waiting for an answer');
          },
          set: (q, now) => ({
            status: 'answered',
            needs_reassign: false,
            ...(q.first_answered_at ? {} : { first_answered_at: now, answered_on_time: now.getTime() <= q.deadline_at.getTime() }),
          }),
          messages: (q, now) => [message(q, 'answer', actorOf(p), text.trim(), {}, now)],
          notify: (_b, a) => toWorker(a, 'legal.answered'),
        },
        ctx,
      );
      return staffView(p, row);
    },

    async requestInfo(p: StaffPrincipal, id: string, text: string, ctx: AuditContext): Promise<StaffQuestionView> {
      const row = await transition(
        p,
        id,
        'legal.request_info',
        {
          check: (q) => {
            requireLawyerOf(p, q);
            if (q.status !== 'assigned') throw invalidState('Ask for more information on a question waiting for your answer');
          },
          set: () => ({ status: 'needs_info', needs_reassign: false }),
          messages: (q, now) => [message(q, 'info_request', actorOf(p), text.trim(), {}, now)],
          notify: (_b, a) => toWorker(a, 'legal.info_requested'),
        },
        ctx,
      );
      return staffView(p, row);
    },

    /** The lawyer declines with a reason: the next matching lawyer gets it (never one who declined), else the operators' queue. */
    async decline(p: StaffPrincipal, id: string, input: Decline, ctx: AuditContext): Promise<{ ok: true; lawyerId: string | null }> {
      let next: string | null = null;
      await transition(
        p,
        id,
        'legal.decline',
        {
          check: (q) => {
            requireLawyerOf(p, q);
            if (!OPEN_FOR_LAWYER.includes(q.status as (typeof OPEN_FOR_LAWYER)[number])) throw invalidState('Only an open question may be declined');
          },
          set: async (q, now, trx, prep) => {
            const r = await reassignSet(q, [...new Set([...q.declined_by, p.id])], prep.accounts, trx, now);
            next = r.lawyerId;
            return { ...r.set, ...(q.status === 'needs_info' && next ? { status: 'assigned' as const } : {}) };
          },
          messages: (q, now) => [message(q, 'declined', actorOf(p), input.reason.trim(), {}, now), ...(next ? [message(q, 'assigned', SYSTEM, '', { lawyerId: next, by: 'auto' }, now)] : [])],
          notify: async (_b, a) => (a.lawyer_id ? toStaff(a, [a.lawyer_id], 'legal.assigned', { deadline: shanghaiMinute(a.deadline_at) }) : toStaff(a, await operatorsOver(a), 'legal.unassigned')),
        },
        ctx,
      );
      return { ok: true, lawyerId: next };
    },

    /** An operator assigns (or reassigns) a question to a roster lawyer; an overdue one gets a fresh deadline. */
    async assign(p: StaffPrincipal, id: string, lawyerId: string, ctx: AuditContext): Promise<StaffQuestionView> {
      requireOperator(p);
      const accounts = await activeLawyerIds(p.cityCode);
      const profile = await repo.lawyer(lawyerId);
      if (!profile || profile.city_code !== p.cityCode || !accounts.has(lawyerId)) throw new AppError('legal.lawyer_not_found', 'No such lawyer in the roster');
      if (!profile.active) throw new AppError('legal.lawyer_unavailable', 'This lawyer is paused');
      const row = await transition(
        p,
        id,
        'legal.assign',
        {
          check: (q) => {
            if (!isSupervisor(p, q)) throw new AppError('legal.not_allowed', 'Only operators over the question’s area may assign it');
            if (q.status === 'answered') throw invalidState('This question is answered');
          },
          set: (q, now, _trx, prep) => {
            const late = q.deadline_at.getTime() < now.getTime();
            return {
              lawyer_id: lawyerId,
              status: q.status === 'needs_info' ? 'needs_info' : 'assigned',
              assigned_at: now,
              needs_reassign: false,
              reminded_at: null,
              ...(late ? { deadline_at: prep.freshDeadline, escalated_at: null } : {}),
            };
          },
          messages: (q, now) => [message(q, 'assigned', actorOf(p), '', { lawyerId, by: 'operator' }, now)],
          notify: (_b, a) => toStaff(a, [lawyerId], 'legal.assigned', { deadline: shanghaiMinute(a.deadline_at) }),
        },
        ctx,
      );
      return staffView(p, row);
    },

    // ---------------- roster and settings ----------------

    /** Lawyer accounts in the operator's scope, with their roster profile (null until set) and open questions. */
    async lawyers(p: StaffPrincipal): Promise<Lawyer[]> {
      requireOperator(p);
      const accounts = await staff.accountsFor(p.cityCode, { areaPrefix: p.areaCode, role: 'lawyer' });
      const rows = new Map((await repo.lawyers(p.cityCode)).map((r) => [r.staff_id, r]));
      const counts = await repo.openCounts(accounts.map((a) => a.id));
      return accounts.map((a) => lawyerView(a, rows.get(a.id), counts.get(a.id) ?? 0));
    },

    async putLawyer(p: StaffPrincipal, staffId: string, input: LawyerInput, ctx: AuditContext): Promise<Lawyer> {
      requireOperator(p);
      const account = (await staff.accountsFor(p.cityCode, { areaPrefix: p.areaCode, role: 'lawyer' })).find((a) => a.id === staffId);
      if (!account) throw new AppError('legal.lawyer_not_found', 'No lawyer account with that id in your area');
      const errors: FieldError[] = [];
      for (const [i, code] of input.areas.entries()) {
        const ok = code.startsWith(p.cityCode) && (await areas.find(code));
        if (!ok) errors.push({ field: `areas/${i}`, message: 'not an area of this city', code: 'areas.not_found' });
      }
      reject(errors);
      const now = clock.now();
      const prior = await repo.lawyer(staffId);
      await repo.upsertLawyer({
        staff_id: staffId,
        city_code: p.cityCode,
        law_firm: input.lawFirm.trim(),
        specialities: [...input.specialities],
        areas: [...input.areas],
        active: input.active,
        max_open: input.maxOpen,
        created_at: prior?.created_at ?? now,
        updated_at: now,
        updated_by: p.username,
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'legal.roster', targetKind: 'staff', targetId: staffId, detail: { active: input.active, specialities: input.specialities, areas: input.areas } });
      const counts = await repo.openCounts([staffId]);
      return lawyerView(account, await repo.lawyer(staffId), counts.get(staffId) ?? 0);
    },

    async getSettings(p: StaffPrincipal): Promise<LegalSettings> {
      if (!METRICS_ROLES.includes(p.role)) throw new AppError('auth.forbidden', 'Not for your role');
      return settingsFor(p.cityCode);
    },

    async putSettings(p: StaffPrincipal, input: LegalSettings, ctx: AuditContext): Promise<LegalSettings> {
      requireOperator(p);
      if (p.areaCode !== p.cityCode) throw new AppError('areas.out_of_scope', 'City-wide settings are changed by city operators');
      await repo.putSettings({ city_code: p.cityCode, answer_days: input.answerDays, remind_hours_before: input.remindHoursBefore, updated_at: clock.now(), updated_by: p.username });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'legal.settings', targetKind: 'legal_settings', targetId: p.cityCode, detail: { ...input } });
      return settingsFor(p.cityCode);
    },

    // ---------------- metrics ----------------

    async metrics(p: StaffPrincipal, q: LegalMetricsQuery): Promise<LegalMetricsRow[]> {
      if (!METRICS_ROLES.includes(p.role)) throw new AppError('auth.forbidden', 'Not for your role');
      const areaPrefix = q.areaCode ?? p.areaCode;
      if (!areaPrefix.startsWith(p.areaCode)) throw new AppError('areas.out_of_scope', 'That area is outside your scope', { errors: [{ field: 'areaCode', message: 'outside your area' }] });
      if (q.from && q.to && q.from > q.to) throw new AppError('request.invalid', 'from is after to', { errors: [{ field: 'from', message: 'after to' }] });
      const rows = await repo.metrics({ cityCode: p.cityCode, areaPrefix, from: q.from ? monthRange(q.from).start : null, to: q.to ? monthRange(q.to).end : null });
      return rows.map((r) => ({
        month: r.month,
        type: r.type,
        received: r.received,
        answered: r.answered,
        answeredOnTime: r.answered_on_time,
        medianHoursToAnswer: r.median_hours === null ? null : Math.round(r.median_hours * 10) / 10,
      }));
    },

    // ---------------- jobs ----------------

    /** Before the deadline (remindHoursBefore), to the lawyer, once per deadline. */
    async remindDue(): Promise<number> {
      const now = clock.now();
      const cache = new Map<string, LegalSettings>();
      let n = 0;
      for (const q of await repo.dueForReminder(now, SWEEP_BATCH)) {
        if (!cache.has(q.city_code)) cache.set(q.city_code, await settingsFor(q.city_code));
        if (q.deadline_at.getTime() - now.getTime() > cache.get(q.city_code)!.remindHoursBefore * HOUR) continue;
        const ok = await repo.transaction(async (trx) => {
          if (!(await repo.markOnce(q.id, 'reminded_at', now, trx))) return false;
          await repo.insertMessages([message(q, 'reminded', SYSTEM, '', { deadlineAt: q.deadline_at.toISOString() }, now)], trx);
          return true;
        });
        if (!ok) continue;
        n++;
        await tell(toStaff(q, [q.lawyer_id], 'legal.reminder', { deadline: shanghaiMinute(q.deadline_at) }));
      }
      return n;
    },

    /** Past the deadline without an answer: flagged for reassignment, the operators over the area told (and the lawyer), once. */
    async escalateDue(): Promise<number> {
      const now = clock.now();
      let n = 0;
      for (const q of await repo.dueForEscalation(now, SWEEP_BATCH)) {
        const ops = await operatorsOver(q);
        const ok = await repo.transaction(async (trx) => {
          if (!(await repo.markOnce(q.id, 'escalated_at', now, trx))) return false;
          await repo.insertMessages([message(q, 'escalated', SYSTEM, '', { deadlineAt: q.deadline_at.toISOString(), to: ops.length }, now)], trx);
          return true;
        });
        if (!ok) continue;
        n++;
        await tell([
          ...toStaff(q, ops, 'legal.escalated', { deadline: shanghaiMinute(q.deadline_at) }),
          ...toStaff(q, q.lawyer_id && !ops.includes(q.lawyer_id) ? [q.lawyer_id] : [], 'legal.overdue', { deadline: shanghaiMinute(q.deadline_at) }),
        ]);
      }
      return n;
    },
  };
}
export type LegalService = ReturnType<typeof createLegalService>;
