import { describe, expect, it } from 'vitest';
import { matchRoutingRule, streetOf, type RoutingCandidate } from './routing.js';

const rule = (id: string, o: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  id,
  categoryCode: null,
  areaPrefix: '3302',
  departmentId: `dept-${id}`,
  streetCode: null,
  priority: 0,
  active: true,
  ...o,
});

const report = { category: 'flooding', areaCode: '330212011001' };

describe('routing rules (分流)', () => {
  it('matches nothing without rules, or when no prefix covers the area', () => {
    expect(matchRoutingRule([], report)).toBeNull();
    expect(matchRoutingRule([rule('a', { areaPrefix: '330203' })], report)).toBeNull();
  });

  it('ignores inactive rules and rules of another category', () => {
    expect(matchRoutingRule([rule('a', { active: false }), rule('b', { categoryCode: 'garbage' })], report)).toBeNull();
  });

  it('prefers the exact category over "any category", even at a wider area', () => {
    const rules = [rule('any-community', { areaPrefix: '330212011001' }), rule('flood-district', { categoryCode: 'flooding', areaPrefix: '330212' })];
    expect(matchRoutingRule(rules, report)?.id).toBe('flood-district');
  });

  it('then prefers the longest area prefix (community > street > district > city)', () => {
    const rules = [
      rule('city', { categoryCode: 'flooding', areaPrefix: '3302', priority: 900 }),
      rule('street', { categoryCode: 'flooding', areaPrefix: '330212011' }),
      rule('district', { categoryCode: 'flooding', areaPrefix: '330212', priority: 500 }),
    ];
    expect(matchRoutingRule(rules, report)?.id).toBe('street');
  });

  it('then the higher priority, then a stable order by id', () => {
    const rules = [rule('b', { areaPrefix: '330212', priority: 1 }), rule('c', { areaPrefix: '330212', priority: 5 }), rule('a', { areaPrefix: '330212', priority: 5 })];
    expect(matchRoutingRule(rules, report)?.id).toBe('a');
    expect(matchRoutingRule([...rules].reverse(), report)?.id).toBe('a');
  });

  it('skips departments that returned the report (退回: never auto-routed to them again)', () => {
    const rules = [rule('street', { areaPrefix: '330212011', departmentId: 'urban' }), rule('district', { areaPrefix: '330212', departmentId: 'housing' })];
    expect(matchRoutingRule(rules, report, { excludeDepartmentIds: ['urban'] })?.id).toBe('district');
    expect(matchRoutingRule(rules, report, { excludeDepartmentIds: ['urban', 'housing'] })).toBeNull();
  });

  it('a prefix matches whole codes only from the start', () => {
    expect(matchRoutingRule([rule('x', { areaPrefix: '3302120' })], { category: 'x', areaCode: '330212011' })?.id).toBe('x');
    expect(matchRoutingRule([rule('x', { areaPrefix: '302' })], { category: 'x', areaCode: '330212011' })).toBeNull();
  });

  it('the responsible street: the rule’s street, else the report area’s first 9 digits', () => {
    expect(streetOf(rule('a', { streetCode: '330212001' }), '330212011001')).toBe('330212001');
    expect(streetOf(rule('a'), '330212011001')).toBe('330212011');
    expect(streetOf(rule('a'), '330212011')).toBe('330212011');
    expect(streetOf(rule('a'), '330212')).toBeNull();
    expect(streetOf(null, '330212011001')).toBe('330212011');
  });
});
