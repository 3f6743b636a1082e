import { describe, expect, it } from 'vitest';
import type { DistributionFallback } from '../../../src-shared/domain/accounts.schema';
import type { DistributionRule } from '../../../src-shared/domain/automation.schema';
import type { DistributionState, DistributionUser } from '../../../src-shared/domain/lead-distribution';
import { distributeLead } from '../../../src-shared/domain/lead-distribution';

const rule = (id: string, fields: Partial<DistributionRule>): DistributionRule => ({
  id,
  tenantId: 't1',
  name: id,
  position: 0,
  active: true,
  filters: [],
  method: 'roundRobin',
  memberIds: ['u1', 'u2', 'u3'],
  ...fields,
});

const user = (id: string, capacity: number | null = null, active = true): DistributionUser => ({ id, active, capacity, teamId: null });

const dach = rule('dach', { name: 'DACH inbound', position: 1, filters: [{ field: 'country', op: 'in', values: ['de', 'at', 'ch'] }] });
const web = rule('web', { name: 'Web', position: 2, filters: [{ field: 'source', op: 'eq', values: ['web'] }], method: 'leastBusy', memberIds: ['u4', 'u5'] });
const everyone = rule('all', { name: 'Everyone', position: 3, method: 'capacityWeighted', memberIds: ['u1', 'u4', 'u5'] });

const state = (overrides: Partial<DistributionState> = {}): DistributionState => ({
  rules: [everyone, web, dach],
  users: [user('u1', 10), user('u2', 10), user('u3', 10), user('u4', 10), user('u5', 10), user('u9', 5)],
  openLeadCounts: {},
  cursors: {},
  fallback: { kind: 'unassigned' },
  ...overrides,
});

describe('distributeLead', () => {
  it.each<[string, Record<string, string>, Partial<DistributionState>, string | null, string]>([
    ['first matching rule by position wins', { country: 'DE', source: 'web' }, {}, 'u1', "rule 'DACH inbound' round robin → u1"],
    ['round robin starts at the stored cursor', { country: 'AT' }, { cursors: { dach: 2 } }, 'u3', "rule 'DACH inbound' round robin → u3"],
    ['a cursor past the end wraps round', { country: 'AT' }, { cursors: { dach: 4 } }, 'u2', "rule 'DACH inbound' round robin → u2"],
    ['inactive rules are skipped', { country: 'DE', source: 'web' }, { rules: [{ ...dach, active: false }, web] }, 'u4', "rule 'Web' least busy → u4 (0 open)"],
    ['least busy picks the fewest open leads', { source: 'web' }, { openLeadCounts: { u4: 3, u5: 1 } }, 'u5', "rule 'Web' least busy → u5 (1 open)"],
    ['least busy ties go to the earlier member', { source: 'web' }, { openLeadCounts: { u4: 2, u5: 2 } }, 'u4', "rule 'Web' least busy → u4 (2 open)"],
    [
      'capacity weighted picks the lowest load ratio',
      { source: 'fair' },
      { users: [user('u1', 10), user('u4', 2), user('u5', 100)], openLeadCounts: { u1: 4, u4: 1, u5: 50 } },
      'u1',
      "rule 'Everyone' capacity weighted → u1 (4/10 open)",
    ],
    [
      'unlimited capacity counts as nearly empty',
      { source: 'fair' },
      { users: [user('u1', 10), user('u4', 2), user('u5', null)], openLeadCounts: { u1: 1, u4: 1, u5: 50 } },
      'u5',
      "rule 'Everyone' capacity weighted → u5 (50/∞ open)",
    ],
    [
      'a rule whose members are all unavailable falls through to the next matching rule',
      { country: 'DE', source: 'web' },
      { users: [user('u1', 10, false), user('u2', 1), user('u3', 0), user('u4', 10), user('u5', 10)], openLeadCounts: { u2: 1 } },
      'u4',
      "rule 'DACH inbound' has no member available; rule 'Web' least busy → u4 (0 open)",
    ],
    ['members missing from the user list are skipped', { source: 'web' }, { users: [user('u5', 10)] }, 'u5', "rule 'Web' least busy → u5 (0 open)"],
  ])('%s', (_label, lead, overrides, userId, reason) => {
    const { assignment } = distributeLead(lead, state(overrides));
    expect(assignment).toMatchObject({ kind: 'user', userId, reason });
  });

  it.each<[string, Record<string, string>, Partial<DistributionState>, DistributionFallback, object]>([
    ['no rule matches → unassigned', {}, { rules: [dach] }, { kind: 'unassigned' }, { kind: 'unassigned', reason: 'no rule matched; fallback: unassigned' }],
    ['no rule matches → fallback user', {}, { rules: [dach] }, { kind: 'user', userId: 'u9' }, { kind: 'user', userId: 'u9', ruleId: null, reason: 'no rule matched; fallback user → u9' }],
    ['fallback user at capacity → unassigned', {}, { rules: [dach], openLeadCounts: { u9: 5 } }, { kind: 'user', userId: 'u9' }, { kind: 'unassigned', reason: 'no rule matched; fallback user u9 is at capacity, left unassigned' }],
    ['fallback user inactive → unassigned', {}, { rules: [dach], users: [user('u9', null, false)] }, { kind: 'user', userId: 'u9' }, { kind: 'unassigned', reason: 'no rule matched; fallback user u9 is inactive, left unassigned' }],
    ['fallback user unknown → unassigned', {}, { rules: [dach], users: [] }, { kind: 'user', userId: 'u9' }, { kind: 'unassigned', reason: 'no rule matched; fallback user u9 is unknown, left unassigned' }],
    ['fallback team', {}, { rules: [dach], teams: [{ id: 'inside' }] }, { kind: 'team', teamId: 'inside' }, { kind: 'team', teamId: 'inside', reason: 'no rule matched; fallback team → inside' }],
    ['fallback team unknown → unassigned', {}, { rules: [dach], teams: [] }, { kind: 'team', teamId: 'inside' }, { kind: 'unassigned', reason: 'no rule matched; fallback team inside is unknown, left unassigned' }],
    [
      'every matching rule full → fallback, saying why',
      { country: 'CH' },
      { rules: [dach], users: [user('u1', 0), user('u2', 0), user('u3', 0), user('u9', 5)] },
      { kind: 'user', userId: 'u9' },
      { kind: 'user', userId: 'u9', ruleId: null, reason: "rule 'DACH inbound' has no member available; fallback user → u9" },
    ],
  ])('%s', (_label, lead, overrides, fallback, expected) => {
    expect(distributeLead(lead, state({ ...overrides, fallback })).assignment).toEqual(expected);
  });

  it('sends 6 leads round robin, passing over a member who reaches capacity', () => {
    let cursors: Record<string, number> = {};
    const open: Record<string, number> = {};
    const users = [user('u1', 10), user('u2', 1), user('u3', 10)];
    const assigned: string[] = [];
    for (let i = 0; i < 6; i++) {
      const outcome = distributeLead({ country: 'DE' }, state({ rules: [dach], users, openLeadCounts: { ...open }, cursors }));
      if (outcome.assignment.kind !== 'user') throw new Error(outcome.assignment.reason);
      assigned.push(outcome.assignment.userId);
      open[outcome.assignment.userId] = (open[outcome.assignment.userId] ?? 0) + 1;
      cursors = outcome.cursors;
    }
    expect(assigned).toEqual(['u1', 'u2', 'u3', 'u1', 'u3', 'u1']);
    expect(cursors).toEqual({ dach: 1 });
  });

  it('only round robin moves a cursor, and the state passed in is left alone', () => {
    const cursors = Object.freeze({ dach: 1, other: 7 });
    expect(distributeLead({ source: 'web' }, state({ cursors })).cursors).toEqual({ dach: 1, other: 7 });
    expect(distributeLead({ country: 'DE' }, state({ cursors })).cursors).toEqual({ dach: 2, other: 7 });
    expect(cursors).toEqual({ dach: 1, other: 7 });
  });

  it('is deterministic: the same lead and state give the same outcome, whatever the rule order given', () => {
    const s = state({ openLeadCounts: { u1: 3, u4: 1, u5: 1 }, cursors: { dach: 1 } });
    const leads = [{ country: 'DE' }, { source: 'web' }, { source: 'fair' }, {}];
    const first = leads.map((lead) => distributeLead(lead, s));
    const again = leads.map((lead) => distributeLead(lead, { ...s, rules: [...s.rules].reverse() }));
    expect(again).toEqual(first);
    expect(first.map((o) => (o.assignment.kind === 'user' ? o.assignment.userId : o.assignment.kind))).toEqual(['u2', 'u4', 'u4', 'u4']);
  });
});
