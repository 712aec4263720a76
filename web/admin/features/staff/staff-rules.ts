import type { StaffRole } from '@contracts/auth';

export { strongPassword } from '../../shared/password-rule';
export const usernamePattern = /^[a-zA-Z][a-zA-Z0-9_.-]{2,39}$/;

/** Roles that receive cases by department. Handlers must have one; mediators may. */
export const rolesWithDepartments: readonly StaffRole[] = ['handler', 'mediator'];
export const rolesRequiringDepartment: readonly StaffRole[] = ['handler'];

export function isLocked(lockedUntil: string | null, now = Date.now()): boolean {
  return !!lockedUntil && new Date(lockedUntil).getTime() > now;
}
