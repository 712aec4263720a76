import type { StaffPrincipal } from '../../contracts/auth.js';
import type { PointsPermissions } from '../../contracts/points.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { isWithin } from '../areas/areas.service.js';

/**
 * Who may do what in the points section. The ledger and the city's rules, settings and sponsor
 * budgets are the city's books: an operator of the whole city writes them (and reads the ledger).
 * Rewards and honours belong to an area (a reward to its pickup place's area, a story to its worker's
 * area): operators act within their scope, every staff member reads within theirs.
 */
export const isCityOperator = (p: StaffPrincipal) => p.role === 'operator' && p.areaCode === p.cityCode;

export function requireCityOperator(p: StaffPrincipal, what: string): void {
  if (!isCityOperator(p)) throw forbidden(`Only an operator of the whole city may ${what}`);
}

/** A record of `areaCode` (null = the whole city) is visible to the caller. */
export function inScope(p: StaffPrincipal, cityCode: string, areaCode: string | null): boolean {
  if (cityCode !== p.cityCode) return false;
  return isWithin(p.areaCode, areaCode ?? cityCode);
}

/** Reads: outside the caller's area → 403 areas.out_of_scope. */
export function requireInScope(p: StaffPrincipal, cityCode: string, areaCode: string | null): void {
  if (!inScope(p, cityCode, areaCode)) throw new AppError('areas.out_of_scope', 'This is outside your area');
}

/** Writes on an area's rewards, orders, stories and titles: operators within their scope. */
export function requireOperatorFor(p: StaffPrincipal, cityCode: string, areaCode: string | null, what: string): void {
  requireInScope(p, cityCode, areaCode);
  if (p.role !== 'operator') throw forbidden(`Your role (${p.role}) may not ${what}`);
}

/** Staff who may nominate a worker for the 微光榜 (scanners are devices at a gate, not staff at a desk). */
export const mayNominate = (p: StaffPrincipal) => p.role !== 'scanner';

export function permissionsOf(p: StaffPrincipal): PointsPermissions {
  return {
    configure: isCityOperator(p),
    manageRewards: p.role === 'operator',
    decideHonours: p.role === 'operator',
    nominate: mayNominate(p),
    readLedger: isCityOperator(p),
  };
}
