import { describe, expect, it } from 'vitest';
import { weightedForecast } from '../../../../src-shared/domain/metrics/forecast.metrics';
import type { ForecastDeal } from '../../../../src-shared/domain/metrics/forecast.metrics';

const deal = (amountMinor: number | null, probability: number, expectedCloseDate: string | null, pipelineId = 'p1', status: ForecastDeal['status'] = 'open'): ForecastDeal => ({
  status,
  amountMinor,
  probability,
  expectedCloseDate,
  pipelineId,
});

const deals = [
  deal(10_000, 50, '2025-01-20'), // 5000
  deal(3333, 33, '2025-01-31', 'p2'), // 1099.89
  deal(null, 90, '2025-03-01'), // no amount: 0, still counted
  deal(1000, 25, '2025-03-31', 'p2'), // last day of the range: 250
  deal(2000, 10, '2025-01-14'), // before the range
  deal(2000, 10, '2025-04-01'), // after the range
  deal(5000, 20, null), // no close date: excluded and reported
  deal(7000, 100, '2025-02-10', 'p1', 'won'), // closed deals are not forecast
  deal(7000, 0, '2025-02-10', 'p1', 'lost'),
];

describe('weightedForecast', () => {
  const forecast = weightedForecast(deals, { from: '2025-01-15', to: '2025-03-31' });

  it('totals open deals in range, weighted and unweighted, rounding the weighted sum once', () => {
    expect([forecast.weightedMinor, forecast.unweightedMinor, forecast.count, forecast.excludedNoCloseDate]).toEqual([6350, 14_333, 4, 1]);
  });

  it('groups by month, empty months included', () => {
    expect(forecast.periods).toEqual([
      { period: '2025-01', weightedMinor: 6100, unweightedMinor: 13_333, count: 2 },
      { period: '2025-02', weightedMinor: 0, unweightedMinor: 0, count: 0 },
      { period: '2025-03', weightedMinor: 250, unweightedMinor: 1000, count: 2 },
    ]);
  });

  it('groups by pipeline', () => {
    expect(forecast.pipelines).toEqual([
      { pipelineId: 'p1', weightedMinor: 5000, unweightedMinor: 10_000, count: 2 },
      { pipelineId: 'p2', weightedMinor: 1350, unweightedMinor: 4333, count: 2 },
    ]);
  });

  it('groups by quarter on request', () => {
    // Now the 2025-01-14 deal is in range too: (500000 + 109989 + 20000) / 100 = 6299.89.
    const byQuarter = weightedForecast(deals, { from: '2024-11-01', to: '2025-02-28', by: 'quarter' });
    expect(byQuarter.periods).toEqual([
      { period: '2024-Q4', weightedMinor: 0, unweightedMinor: 0, count: 0 },
      { period: '2025-Q1', weightedMinor: 6300, unweightedMinor: 15_333, count: 3 },
    ]);
  });

  it.each<[string, string, string, 'month' | 'quarter', string[]]>([
    ['across a year end', '2024-12-01', '2025-02-01', 'month', ['2024-12', '2025-01', '2025-02']],
    ['within one day', '2025-05-05', '2025-05-05', 'month', ['2025-05']],
    ['an inverted range', '2025-05-05', '2025-01-01', 'month', []],
    ['quarters across a year end', '2024-08-31', '2025-04-01', 'quarter', ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']],
  ])('lists periods %s', (_, from, to, by, expected) => {
    expect(weightedForecast([], { from, to, by }).periods.map((p) => p.period)).toEqual(expected);
  });

  it('does not fail on a malformed close date', () => {
    const odd = weightedForecast([deal(100, 50, '2025-13-01')], { from: '2025-01-01', to: '2025-13-31' });
    expect([odd.weightedMinor, odd.periods.every((p) => p.count === 0)]).toEqual([50, true]);
  });

  it('is all zero without deals', () => {
    expect(weightedForecast([], { from: '2025-01-01', to: '2025-01-31' })).toEqual({
      weightedMinor: 0,
      unweightedMinor: 0,
      count: 0,
      periods: [{ period: '2025-01', weightedMinor: 0, unweightedMinor: 0, count: 0 }],
      pipelines: [],
      excludedNoCloseDate: 0,
    });
  });
});
