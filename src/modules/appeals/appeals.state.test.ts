import { describe, expect, it } from 'vitest';
import { appealStatuses } from '../../contracts/appeals.js';
import { canReopen, currentDeadline, matchAppealRule, nextStatus, type AppealAction } from './appeals.state.js';

describe('appeal state machine', () => {
  it('walks the happy path submitted → acknowledged → in_progress → mediating → resolved → closed', () => {
    expect(nextStatus('submitted', 'acknowledge')).toBe('acknowledged');
    expect(nextStatus('acknowledged', 'start')).toBe('in_progress');
    expect(nextStatus('in_progress', 'start_mediation')).toBe('mediating');
    expect(nextStatus('mediating', 'end_mediation')).toBe('in_progress');
    expect(nextStatus('mediating', 'resolve')).toBe('resolved');
    expect(nextStatus('resolved', 'close')).toBe('closed');
    expect(nextStatus('closed', 'reopen')).toBe('in_progress');
  });

  it('refuses every action outside the table', () => {
    const allowed: Record<AppealAction, string[]> = {
      acknowledge: ['submitted'],
      start: ['acknowledged'],
      start_mediation: ['acknowledged', 'in_progress'],
      end_mediation: ['mediating'],
      resolve: ['acknowledged', 'in_progress', 'mediating'],
      refer: ['acknowledged', 'in_progress', 'mediating'],
      close: ['resolved'],
      reopen: ['closed'],
    };
    for (const [action, from] of Object.entries(allowed) as [AppealAction, string[]][]) {
      for (const s of appealStatuses) expect(nextStatus(s, action) !== null, `${action} from ${s}`).toBe(from.includes(s));
    }
  });

  it('reopens only a closed, dissatisfied appeal, once', () => {
    expect(canReopen({ status: 'closed', satisfaction: 'dissatisfied', reopenCount: 0 }, 1)).toBe(true);
    expect(canReopen({ status: 'closed', satisfaction: 'dissatisfied', reopenCount: 1 }, 1)).toBe(false);
    expect(canReopen({ status: 'closed', satisfaction: 'basically_satisfied', reopenCount: 0 }, 1)).toBe(false);
    expect(canReopen({ status: 'resolved', satisfaction: 'dissatisfied', reopenCount: 0 }, 1)).toBe(false);
  });

  it('shows the acknowledge deadline while submitted, the resolve deadline while open, none when done', () => {
    const ack = new Date('2026-11-24T00:00:00Z');
    const res = new Date('2026-12-04T00:00:00Z');
    expect(currentDeadline({ status: 'submitted', ackDeadlineAt: ack, resolveDeadlineAt: res })).toEqual(ack);
    expect(currentDeadline({ status: 'mediating', ackDeadlineAt: ack, resolveDeadlineAt: res })).toEqual(res);
    expect(currentDeadline({ status: 'closed', ackDeadlineAt: ack, resolveDeadlineAt: res })).toBeNull();
  });
});

describe('"1+2+3" rule matching', () => {
  const rule = (id: string, type: 'wage_arrears' | null, areaPrefix: string, priority = 0, active = true) => ({ id, type, areaPrefix, priority, active });
  it('prefers the type, then the longest prefix, then priority, then id', () => {
    const rules = [rule('a', null, '330212011'), rule('b', 'wage_arrears', '3302'), rule('c', 'wage_arrears', '330212'), rule('d', 'wage_arrears', '330212', 5)];
    expect(matchAppealRule(rules, { type: 'wage_arrears', areaCode: '330212011001' })?.id).toBe('d');
    expect(matchAppealRule(rules, { type: 'housing', areaCode: '330212011001' })?.id).toBe('a');
    expect(matchAppealRule(rules, { type: 'housing', areaCode: '330203001' })).toBeNull();
    expect(matchAppealRule([rule('z', null, '3302'), rule('y', null, '3302')], { type: 'other', areaCode: '330203' })?.id).toBe('y');
    expect(matchAppealRule([rule('x', null, '3302', 0, false)], { type: 'other', areaCode: '330203' })).toBeNull();
  });
});
