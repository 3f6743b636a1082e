import { describe, expect, it } from 'vitest';
import type { Deal } from '../../../../src-shared/domain/deals.schema';
import type { LeadStatus } from '../../../../src-shared/domain/leads.schema';
import { sourcePerformance } from '../../../../src-shared/domain/metrics/source.metrics';

const lead = (id: string, source: string | null, status: LeadStatus) => ({ id, source, status });
const deal = (leadId: string | null, status: Deal['status'], amountMinor: number | null) => ({ leadId, status, amountMinor });

describe('sourcePerformance', () => {
  const leads = [
    lead('l1', 'google', 'NEW'),
    lead('l2', 'google', 'QUALIFIED'),
    lead('l3', 'google', 'CONVERTED'),
    lead('l4', 'google', 'DISQUALIFIED'),
    lead('l5', null, 'CONVERTED'),
    lead('l6', 'fair', 'NEGOTIATING'),
  ];
  const deals = [
    deal('l3', 'won', 5000),
    deal('l3', 'lost', 100),
    deal('l3', 'open', 9999),
    deal('l5', 'won', null),
    deal(null, 'won', 9999), // no lead: not attributable
    deal('ghost', 'won', 9999), // lead not given: not attributable
  ];

  it('follows each source from leads through to won revenue, most leads first', () => {
    expect(sourcePerformance(leads, deals)).toEqual([
      { source: 'google', leads: 4, qualifiedOrBeyond: 2, converted: 1, dealsWon: 1, dealsLost: 1, wonRevenueMinor: 5000, conversionRate: 0.25, winRate: 0.5 },
      { source: '(unknown)', leads: 1, qualifiedOrBeyond: 1, converted: 1, dealsWon: 1, dealsLost: 0, wonRevenueMinor: 0, conversionRate: 1, winRate: 1 },
      { source: 'fair', leads: 1, qualifiedOrBeyond: 1, converted: 0, dealsWon: 0, dealsLost: 0, wonRevenueMinor: 0, conversionRate: 0, winRate: null },
    ]);
  });

  it.each([
    ['no leads and no deals', [], []],
    ['deals but no leads', [], deals],
  ])('is empty with %s', (_, l, d) => {
    expect(sourcePerformance(l, d)).toEqual([]);
  });
});
