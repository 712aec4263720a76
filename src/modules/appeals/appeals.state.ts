import type { AppealStatus, AppealType, AssigneeRole } from '../../contracts/appeals.js';

/**
 * The appeal's life, as a table so it is easy to read and to test:
 *   submitted → acknowledged (签收) → in_progress (→ mediating → in_progress) → resolved → closed.
 * Resolve and refer may also come straight from acknowledged (a legal question answered at once) and
 * from mediating (an agreement reached). Closing needs a return visit or the worker's rating. A
 * dissatisfied worker may have a closed appeal reopened once; it goes back to in_progress.
 */
export type AppealAction = 'acknowledge' | 'start' | 'start_mediation' | 'end_mediation' | 'resolve' | 'refer' | 'close' | 'reopen';

const transitions: Record<AppealAction, { from: readonly AppealStatus[]; to: AppealStatus }> = {
  acknowledge: { from: ['submitted'], to: 'acknowledged' },
  start: { from: ['acknowledged'], to: 'in_progress' },
  start_mediation: { from: ['acknowledged', 'in_progress'], to: 'mediating' },
  end_mediation: { from: ['mediating'], to: 'in_progress' },
  resolve: { from: ['acknowledged', 'in_progress', 'mediating'], to: 'resolved' },
  refer: { from: ['acknowledged', 'in_progress', 'mediating'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['closed'], to: 'in_progress' },
};

/** The status after `action`, or null when the action is not allowed from `status`. */
export function nextStatus(status: AppealStatus, action: AppealAction): AppealStatus | null {
  const t = transitions[action];
  return t.from.includes(status) ? t.to : null;
}

export const OPEN_STATUSES: readonly AppealStatus[] = ['submitted', 'acknowledged', 'in_progress', 'mediating'];

/** Reopen: only a closed appeal rated dissatisfied, and only `limit` times. */
export function canReopen(a: { status: AppealStatus; satisfaction: string | null; reopenCount: number }, limit: number): boolean {
  return a.status === 'closed' && a.satisfaction === 'dissatisfied' && a.reopenCount < limit;
}

/** The deadline of the step the appeal is on: acknowledge while submitted, resolve while open. */
export function currentDeadline(a: { status: AppealStatus; ackDeadlineAt: Date; resolveDeadlineAt: Date }): Date | null {
  if (a.status === 'submitted') return a.ackDeadlineAt < a.resolveDeadlineAt ? a.ackDeadlineAt : a.resolveDeadlineAt;
  return OPEN_STATUSES.includes(a.status) ? a.resolveDeadlineAt : null;
}

/**
 * "1+2+3" rules: type × area prefix → the three leads. A rule for the appeal's type beats a rule for
 * any type; then the longest area prefix; then the higher priority; ties by id (never row order).
 */
export interface AppealRuleCandidate {
  id: string;
  type: AppealType | null;
  areaPrefix: string;
  priority: number;
  active: boolean;
}

export function matchAppealRule<R extends AppealRuleCandidate>(rules: readonly R[], appeal: { type: AppealType; areaCode: string }): R | null {
  const candidates = rules.filter((r) => r.active && (r.type === null || r.type === appeal.type) && appeal.areaCode.startsWith(r.areaPrefix));
  candidates.sort(
    (a, b) =>
      Number(b.type !== null) - Number(a.type !== null) ||
      b.areaPrefix.length - a.areaPrefix.length ||
      b.priority - a.priority ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return candidates[0] ?? null;
}

/** Leads act on the appeal (acknowledge, resolve …); collaborators help and see it. */
export const LEAD_ROLES: readonly AssigneeRole[] = ['station_head', 'street_officer', 'industry_officer', 'mediator', 'lawyer'];
