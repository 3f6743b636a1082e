import { describe, expect, it } from 'vitest';
import { compileScoring, DEFAULT_SCORING_CONFIG, roundTenthsKeepingSum, scoreLead } from '../../../src-shared/domain/lead-scoring';
import type { LeadScore, ScoredActivity } from '../../../src-shared/domain/lead-scoring';
import { ScoringConfig } from '../../../src-shared/domain/automation.schema';
import type { FitRule, LeadFieldFilter } from '../../../src-shared/domain/automation.schema';
import { matchesFilter } from '../../../src-shared/domain/lead-filter';
import type { LeadRuleFields } from '../../../src-shared/domain/lead-filter';
import { DAY_MS } from '../../../src-shared/domain/common.schema';

const NOW = Date.UTC(2025, 5, 1);
const daysAgo = (d: number) => NOW - d * DAY_MS;

function config(overrides: Partial<ScoringConfig> = {}): ScoringConfig {
  return {
    tenantId: 't1',
    configVersion: 1,
    fitRules: [],
    engagementRules: [{ kind: 'call', points: 8 }, { kind: 'meeting', points: 15 }, { kind: 'email', points: 4 }],
    engagementHalfLifeDays: 14,
    maxEngagementPoints: 40,
    predictive: { fields: ['source'], minSamples: 5, smoothing: 1 },
    ...overrides,
  };
}

const rule = (key: string, when: LeadFieldFilter, points: number): FitRule => ({ key, label: `rule ${key}`, when, points });

/** Factor points summed in tenths, so float error cannot push a .5 across a rounding step. */
const factorSum = (r: LeadScore) => r.factors.reduce((s, f) => s + Math.round(f.points * 10), 0) / 10;

describe('fit', () => {
  const lead: LeadRuleFields = { title: 'VP of Sales', phone: '+49 30 1234', email: 'ana@gmail.com', source: 'Referral', country: 'DE' };

  it.each<[string, LeadFieldFilter, number, boolean]>([
    ['senior title', { field: 'title', op: 'contains', values: ['vp', 'chief'] }, 20, true],
    ['junior title', { field: 'title', op: 'contains', values: ['intern'] }, 20, false],
    ['has phone', { field: 'phone', op: 'present', values: [] }, 10, true],
    ['no company', { field: 'companyName', op: 'present', values: [] }, 5, false],
    ['free mail', { field: 'email', op: 'emailDomainIn', values: ['gmail.com'] }, -10, true],
    ['referral', { field: 'source', op: 'eq', values: ['referral'] }, 15, true],
    ['target country', { field: 'country', op: 'in', values: ['fr', 'de'] }, 10, true],
  ])('%s', (key, when, points, matches) => {
    const r = scoreLead(lead, [], config({ fitRules: [rule(key, when, points)] }), NOW);
    expect(r.fit).toBe(matches ? points : 0);
    expect(r.factors.filter((f) => f.key.startsWith('fit:'))).toEqual(matches ? [{ key: `fit:${key}`, label: `rule ${key}`, points }] : []);
  });

  it('adds up every matching rule, in configuration order', () => {
    const r = scoreLead(lead, [], config({
      fitRules: [
        rule('title', { field: 'title', op: 'contains', values: ['vp'] }, 20),
        rule('mail', { field: 'email', op: 'emailDomainIn', values: ['gmail.com'] }, -10),
        rule('company', { field: 'companyName', op: 'present', values: [] }, 5),
        rule('phone', { field: 'phone', op: 'present', values: [] }, 10),
      ],
    }), NOW);
    expect(r).toEqual({
      score: 20, fit: 20, engagement: 0,
      factors: [
        { key: 'fit:title', label: 'rule title', points: 20 },
        { key: 'fit:mail', label: 'rule mail', points: -10 },
        { key: 'fit:phone', label: 'rule phone', points: 10 },
      ],
    });
  });

  // The compiled rules must mean exactly what matchesFilter means, which distribution and nurture rules use.
  const leads: LeadRuleFields[] = [
    lead,
    { title: '  Chief Executive ', email: 'BOB@Acme.COM', source: '', country: null },
    { title: 'Engineer', email: 'no-at-sign', source: 'google', phone: '  ' },
    {},
  ];
  const filters: LeadFieldFilter[] = [
    { field: 'title', op: 'contains', values: ['CHIEF', ''] },
    { field: 'title', op: 'contains', values: [] },
    { field: 'title', op: 'eq', values: ['engineer'] },
    { field: 'title', op: 'eq', values: [] },
    { field: 'source', op: 'in', values: ['', 'Google', 'referral'] },
    { field: 'source', op: 'present', values: [] },
    { field: 'phone', op: 'present', values: [] },
    { field: 'email', op: 'emailDomainIn', values: ['acme.com', 'GMAIL.com'] },
    { field: 'country', op: 'in', values: [' de '] },
  ];
  it.each(filters.flatMap((f) => leads.map((l) => [f, l] as const)))('agrees with matchesFilter: %j on %j', (filter, l) => {
    const r = scoreLead(l, [], config({ fitRules: [rule('x', filter, 7)] }), NOW);
    expect(r.fit === 7).toBe(matchesFilter(l, filter));
  });
});

describe('engagement', () => {
  it.each<[string, number, number]>([
    ['today', 0, 8],
    ['one half-life ago', 14, 4],
    ['two half-lives ago', 28, 2],
    ['half a half-life ago', 7, 5.7],
    ['a year ago', 365, 0],
    ['in the future (counts as today)', -3, 8],
  ])('a call %s is worth %s', (_when, age, points) => {
    const r = scoreLead({}, [{ kind: 'call', occurredAt: daysAgo(age) }], config(), NOW);
    expect(r.engagement).toBe(points);
    expect(r.factors).toEqual([{ key: 'engagement:call', label: '1 call (decayed)', points }]);
  });

  it('sums each kind into one factor, in a fixed kind order', () => {
    const activities: ScoredActivity[] = [
      { kind: 'meeting', occurredAt: daysAgo(14) },
      { kind: 'call', occurredAt: daysAgo(0) },
      { kind: 'call', occurredAt: daysAgo(14) },
      { kind: 'call', occurredAt: daysAgo(28) },
      { kind: 'note', occurredAt: daysAgo(0) }, // no rule for notes: ignored
    ];
    const r = scoreLead({}, activities, config(), NOW);
    expect(r.factors).toEqual([
      { key: 'engagement:call', label: '3 calls (decayed)', points: 14 },
      { key: 'engagement:meeting', label: '1 meeting (decayed)', points: 7.5 },
    ]);
    expect(r).toMatchObject({ engagement: 21.5, score: 22 });
  });

  it('caps the total and scales the kinds so they still add up to the cap', () => {
    const activities: ScoredActivity[] = [
      ...Array.from({ length: 5 }, () => ({ kind: 'meeting' as const, occurredAt: NOW })),
      { kind: 'call', occurredAt: NOW },
      { kind: 'call', occurredAt: NOW },
    ];
    // 75 + 16 = 91 points before the cap of 40.
    const r = scoreLead({}, activities, config(), NOW);
    expect(r.factors).toEqual([
      { key: 'engagement:call', label: '2 calls (decayed, capped at 40)', points: 7 },
      { key: 'engagement:meeting', label: '5 meetings (decayed, capped at 40)', points: 33 },
    ]);
    expect(r).toMatchObject({ engagement: 40, score: 40 });
  });

  it('counts nothing without activities or without engagement rules', () => {
    expect(scoreLead({}, [], config(), NOW)).toEqual({ score: 0, fit: 0, engagement: 0, factors: [] });
    expect(scoreLead({}, [{ kind: 'call', occurredAt: NOW }], config({ engagementRules: [] }), NOW).engagement).toBe(0);
  });
});

describe('score', () => {
  const high = rule('high', { field: 'source', op: 'present', values: [] }, 90);
  const low = rule('low', { field: 'source', op: 'present', values: [] }, -30);

  it.each<[string, FitRule[], ScoredActivity[], LeadScore]>([
    ['rounds the total', [], [{ kind: 'call', occurredAt: daysAgo(7) }], {
      score: 6, fit: 0, engagement: 5.7, factors: [{ key: 'engagement:call', label: '1 call (decayed)', points: 5.7 }],
    }],
    ['caps at 100 with a clamp factor', [high], [{ kind: 'meeting', occurredAt: NOW }], {
      score: 100, fit: 90, engagement: 15,
      factors: [
        { key: 'fit:high', label: 'rule high', points: 90 },
        { key: 'engagement:meeting', label: '1 meeting (decayed)', points: 15 },
        { key: 'clamp', label: 'capped at 100', points: -5 },
      ],
    }],
    ['raises to 0 with a clamp factor', [low], [{ kind: 'call', occurredAt: daysAgo(7) }], {
      score: 0, fit: -30, engagement: 5.7,
      factors: [
        { key: 'fit:low', label: 'rule low', points: -30 },
        { key: 'engagement:call', label: '1 call (decayed)', points: 5.7 },
        { key: 'clamp', label: 'raised to 0', points: 24.3 },
      ],
    }],
  ])('%s', (_name, fitRules, activities, expected) => {
    expect(scoreLead({ source: 'web' }, activities, config({ fitRules }), NOW)).toEqual(expected);
  });

  // Many mixes of ages and kinds, including ones that hit the cap and the clamp: the explanation always holds.
  const cases = Array.from({ length: 60 }, (_, i) => {
    const kinds = ['call', 'email', 'meeting'] as const;
    const activities: ScoredActivity[] = Array.from({ length: i % 7 }, (_, j) => ({ kind: kinds[(i + j) % 3]!, occurredAt: daysAgo(((i * 7 + j * 11) % 50) / 3) }));
    const fitRules = i % 3 === 0 ? [high] : i % 3 === 1 ? [low] : [];
    return [i, fitRules, activities] as const;
  });
  it.each(cases)('case %i: the factors explain the score', (_i, fitRules, activities) => {
    const r = scoreLead({ source: 'web' }, activities, config({ fitRules }), NOW);
    expect(r.score).toBe(Math.min(100, Math.max(0, Math.round(r.fit + r.engagement))));
    const engagementFactors = r.factors.filter((f) => f.key.startsWith('engagement:'));
    expect(engagementFactors.reduce((s, f) => s + Math.round(f.points * 10), 0) / 10).toBe(r.engagement);
    expect(r.engagement).toBeLessThanOrEqual(40);
    for (const f of r.factors) expect(Math.round(f.points * 10) / 10).toBe(f.points);
    const clamped = r.factors.some((f) => f.key === 'clamp');
    expect(clamped).toBe(Math.round(r.fit + r.engagement) !== r.score);
    if (clamped) expect(factorSum(r)).toBe(r.score);
    else expect(Math.round(factorSum(r)) + 0).toBe(r.score); // + 0 turns a rounded -0.3 into 0
  });

  it('compiled once, scores like scoreLead and leaves earlier results alone', () => {
    const cfg = config({ fitRules: [high] });
    const score = compileScoring(cfg);
    const first = score({ source: 'web' }, [{ kind: 'call', occurredAt: NOW }], NOW);
    const second = score({ source: null }, [{ kind: 'email', occurredAt: daysAgo(14) }, { kind: 'email', occurredAt: daysAgo(14) }], NOW);
    expect(first).toEqual(scoreLead({ source: 'web' }, [{ kind: 'call', occurredAt: NOW }], cfg, NOW));
    expect(first.score).toBe(98);
    expect(second).toEqual({ score: 4, fit: 0, engagement: 4, factors: [{ key: 'engagement:email', label: '2 emails (decayed)', points: 4 }] });
  });
});

describe('DEFAULT_SCORING_CONFIG', () => {
  const cfg = DEFAULT_SCORING_CONFIG('tenant-1');

  it('is a valid configuration for the tenant', () => {
    expect(ScoringConfig.parse(cfg)).toEqual(cfg);
    expect(cfg.tenantId).toBe('tenant-1');
  });

  it.each<[string, LeadRuleFields, number]>([
    ['a senior referral with a phone in a target country', { title: 'CEO', phone: '+1 555', companyName: 'Acme', email: 'ceo@acme.com', source: 'referral', country: 'US' }, 60],
    ['a head of operations from a search ad', { title: 'Head of Operations', companyName: 'Acme', email: 'h@acme.com', source: 'google', country: 'ES' }, 25],
    ['a coordinator with a free-mail address', { title: 'Project Coordinator', email: 'pc@gmail.com', source: 'website', country: 'DE' }, 0],
    ['nothing known', {}, 0],
  ])('fits %s at %i', (_name, lead, fit) => {
    expect(scoreLead(lead, [], cfg, NOW).fit).toBe(fit);
  });

  it('rewards a recent meeting more than an old call', () => {
    const meeting = scoreLead({}, [{ kind: 'meeting', occurredAt: daysAgo(1) }], cfg, NOW);
    const call = scoreLead({}, [{ kind: 'call', occurredAt: daysAgo(30) }], cfg, NOW);
    expect(meeting.score).toBeGreaterThan(call.score);
  });
});

describe('roundTenthsKeepingSum', () => {
  it.each<[number[], number[]]>([
    [[], []],
    [[2.34, 1.15], [2.3, 1.2]],
    [[1 / 3, 1 / 3, 1 / 3], [0.4, 0.3, 0.3]],
    [[40 * 75 / 91, 40 * 16 / 91], [33, 7]],
    [[2.3, 0.1, 0.2], [2.3, 0.1, 0.2]],
    [[-1.26, 3.01], [-1.2, 3]],
  ])('%j → %j', (values, expected) => {
    expect(roundTenthsKeepingSum(values)).toEqual(expected);
  });

  it.each<[number[], number, number[]]>([
    [[1.04, 2.04], 3.2, [1.1, 2.1]],
    [[1.06, 2.09], 2.9, [0.9, 2]],
    [[0.5], 0.6, [0.6]],
    [[], 0, []],
  ])('%j to a total of %s → %j', (values, total, expected) => {
    expect(roundTenthsKeepingSum(values, total)).toEqual(expected);
  });
});
