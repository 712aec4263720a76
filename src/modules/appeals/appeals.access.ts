import type { Principal, StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import { AppError } from '../../shared/errors.js';

/**
 * Who may see and do what with an appeal (minimum disclosure):
 * - the worker it belongs to (filed it, or a hotline caller who later signed in with that phone);
 * - the staff assigned to it ("1+2+3" leads and collaborators) and its collective case's task force —
 *   they see it and work it;
 * - the agent who recorded it (hotline, walk-in) sees it, to answer the caller, but does not work it;
 * - supervisors: operators whose area scope covers the appeal's area see and may work it.
 * Anyone else gets appeals.not_found, so an appeal's existence does not leak.
 */
export interface AppealAccessFacts {
  cityCode: string;
  areaCode: string;
  workerId: string | null;
  recordedBy: string | null;
  assigneeIds: readonly string[];
  caseMemberIds: readonly string[];
}

/** Roles that may record an appeal for a caller. */
export const INTAKE_ROLES: readonly StaffRole[] = ['hotline_agent', 'operator', 'handler', 'mediator', 'grid_worker'];

export const isSupervisor = (p: StaffPrincipal, f: Pick<AppealAccessFacts, 'cityCode' | 'areaCode'>) =>
  p.role === 'operator' && p.cityCode === f.cityCode && f.areaCode.startsWith(p.areaCode);

export function canWork(p: Principal, f: AppealAccessFacts): boolean {
  if (p.kind !== 'staff' || p.cityCode !== f.cityCode) return false;
  return f.assigneeIds.includes(p.id) || f.caseMemberIds.includes(p.id) || isSupervisor(p, f);
}

export function canSee(p: Principal, f: AppealAccessFacts): boolean {
  if (p.kind === 'worker') return p.cityCode === f.cityCode && f.workerId === p.id;
  return canWork(p, f) || (p.cityCode === f.cityCode && f.recordedBy === p.id);
}

export const notFound = () => new AppError('appeals.not_found', 'Appeal not found');

export function assertCanSee(p: Principal, f: AppealAccessFacts): void {
  if (!canSee(p, f)) throw notFound();
}

/** Seeing but not working it (a recording agent) → 403; not seeing it at all → 404. */
export function assertCanWork(p: Principal, f: AppealAccessFacts): asserts p is StaffPrincipal {
  assertCanSee(p, f);
  if (!canWork(p, f)) throw new AppError('appeals.not_allowed', 'Only the people assigned to this appeal and its supervisors may do this');
}
