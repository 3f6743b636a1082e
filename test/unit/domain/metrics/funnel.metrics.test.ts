import { describe, expect, it } from 'vitest';
import type { LeadStatus } from '../../../../src-shared/domain/leads.schema';
import { conversionFunnel } from '../../../../src-shared/domain/metrics/funnel.metrics';
import type { FunnelLead } from '../../../../src-shared/domain/metrics/funnel.metrics';

const leads = (...statuses: LeadStatus[]): FunnelLead[] => statuses.map((status) => ({ status }));

describe('conversionFunnel', () => {
  it('counts leads by status reached, with step and overall rates', () => {
    const input: FunnelLead[] = [
      ...leads('NEW', 'NEW', 'QUALIFIED', 'CONTACTED', 'NEGOTIATING', 'NEGOTIATING', 'CONVERTED'),
      { status: 'DISQUALIFIED', statusBeforeDisqualified: 'CONTACTED' },
      { status: 'DISQUALIFIED', statusBeforeDisqualified: null },
      { status: 'DISQUALIFIED' },
    ];
    const funnel = conversionFunnel(input);
    expect(funnel.total).toBe(10);
    expect(funnel.steps).toEqual([
      { status: 'NEW', reached: 8, stepRate: null, rateFromStart: 1 },
      { status: 'QUALIFIED', reached: 6, stepRate: 6 / 8, rateFromStart: 6 / 8 },
      { status: 'CONTACTED', reached: 5, stepRate: 5 / 6, rateFromStart: 5 / 8 },
      { status: 'NEGOTIATING', reached: 3, stepRate: 3 / 5, rateFromStart: 3 / 8 },
      { status: 'CONVERTED', reached: 1, stepRate: 1 / 3, rateFromStart: 1 / 8 },
    ]);
    expect(funnel.disqualified).toEqual({
      total: 3,
      byStatusBefore: { NEW: 0, QUALIFIED: 0, CONTACTED: 1, NEGOTIATING: 0, CONVERTED: 0 },
      unknownBefore: 2,
    });
  });

  it.each<[string, FunnelLead[], number[], (number | null)[]]>([
    ['no leads', [], [0, 0, 0, 0, 0], [null, null, null, null, null]],
    ['only disqualified leads of unknown history', leads('DISQUALIFIED'), [0, 0, 0, 0, 0], [null, null, null, null, null]],
    ['one converted lead passes every step', leads('CONVERTED'), [1, 1, 1, 1, 1], [null, 1, 1, 1, 1]],
    ['leads stuck at NEW', leads('NEW', 'NEW'), [2, 0, 0, 0, 0], [null, 0, null, null, null]],
    ['a status before disqualification that is itself DISQUALIFIED is unknown', [{ status: 'DISQUALIFIED', statusBeforeDisqualified: 'DISQUALIFIED' }], [0, 0, 0, 0, 0], [null, null, null, null, null]],
  ])('%s', (_, input, reached, stepRates) => {
    const funnel = conversionFunnel(input);
    expect(funnel.steps.map((s) => s.reached)).toEqual(reached);
    expect(funnel.steps.map((s) => s.stepRate)).toEqual(stepRates);
  });
});
