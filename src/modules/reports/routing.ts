/**
 * Routing (分流): which department a report goes to, by category × area. Pure, so the order of
 * precedence is easy to test and to explain to operators:
 *   1. a rule for the report's category beats a rule for any category;
 *   2. then the longest area prefix (community > street > district > city);
 *   3. then the higher priority; ties by id, so the answer never depends on row order.
 * Departments that already returned the report (退回, jurisdiction disputed) are skipped.
 */
export interface RoutingCandidate {
  id: string;
  /** null: any category */
  categoryCode: string | null;
  areaPrefix: string;
  departmentId: string;
  streetCode: string | null;
  priority: number;
  active: boolean;
}

export function matchRoutingRule<R extends RoutingCandidate>(
  rules: readonly R[],
  report: { category: string; areaCode: string },
  opts: { excludeDepartmentIds?: readonly string[] } = {},
): R | null {
  const excluded = new Set(opts.excludeDepartmentIds ?? []);
  const candidates = rules.filter(
    (r) =>
      r.active &&
      (r.categoryCode === null || r.categoryCode === report.category) &&
      report.areaCode.startsWith(r.areaPrefix) &&
      !excluded.has(r.departmentId),
  );
  candidates.sort(
    (a, b) =>
      Number(b.categoryCode !== null) - Number(a.categoryCode !== null) ||
      b.areaPrefix.length - a.areaPrefix.length ||
      b.priority - a.priority ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return candidates[0] ?? null;
}

/** The street (镇街, 9 digits) responsible: the rule's, else the one the report's area lies in. */
export function streetOf(rule: Pick<RoutingCandidate, 'streetCode'> | null, areaCode: string): string | null {
  if (rule?.streetCode) return rule.streetCode;
  return areaCode.length >= 9 ? areaCode.slice(0, 9) : null;
}
