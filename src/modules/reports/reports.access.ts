import type { Principal, StaffPrincipal } from '../../contracts/auth.js';
import { AppError } from '../../shared/errors.js';

/**
 * Who may see and do what with reports (least privilege by role and area scope):
 * - operator (社会工作部): every report inside their area; triage, decide extensions, verify, claw back,
 *   and — to unblock a stuck queue — the handler's actions too;
 * - grid_worker (网格员): reports inside their area, to verify (核查) them;
 * - handler (部门/镇街/社区): reports inside their area whose current work order is for one of their
 *   departments, as lead or co-handler (协办); acknowledge, return, ask for an extension, add
 *   co-handlers (lead only), handle;
 * - every other role: none.
 */
export const REPORT_STAFF_ROLES = ['operator', 'grid_worker', 'handler'] as const;

export interface ReportScopeFacts {
  cityCode: string;
  areaCode: string;
  /** The current work order's department (lead), if dispatched. */
  departmentId: string | null;
  coDepartmentIds: readonly string[];
}

/** The SQL-side filter for a staff member's queue: area prefix and, for handlers, their departments. */
export function reportScope(p: StaffPrincipal): { cityCode: string; areaPrefix: string; departmentIds: string[] | null } {
  if (!(REPORT_STAFF_ROLES as readonly string[]).includes(p.role)) throw new AppError('auth.forbidden', 'This role has no access to reports');
  return { cityCode: p.cityCode, areaPrefix: p.areaCode, departmentIds: p.role === 'handler' ? p.departmentIds : null };
}

export function canSeeReport(p: Principal, r: ReportScopeFacts): boolean {
  if (p.kind !== 'staff' || p.cityCode !== r.cityCode) return false;
  if (!(REPORT_STAFF_ROLES as readonly string[]).includes(p.role)) return false;
  if (!r.areaCode.startsWith(p.areaCode)) return false;
  if (p.role !== 'handler') return true;
  return p.departmentIds.some((d) => d === r.departmentId || r.coDepartmentIds.includes(d));
}

/** Throws reports.not_in_scope unless the staff member may see the report. */
export function assertCanSee(p: StaffPrincipal, r: ReportScopeFacts): void {
  if (!canSeeReport(p, r)) throw new AppError('reports.not_in_scope', 'This report is outside your scope');
}

/** The lead department's handler (or an operator in scope). */
export const isLeadHandler = (p: StaffPrincipal, r: ReportScopeFacts) =>
  canSeeReport(p, r) && (p.role === 'operator' || (p.role === 'handler' && r.departmentId !== null && p.departmentIds.includes(r.departmentId)));
