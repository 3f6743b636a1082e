import { describe, expect, it } from 'vitest';
import type { Deal } from '../../../../src-shared/domain/deals.schema';
import { dealSourceOf, lossReasons, stageAtCloseByDeal, stageAtCloseOf, winLossBy, winRate } from '../../../../src-shared/domain/metrics/win-loss.metrics';

type Row = Pick<Deal, 'status' | 'amountMinor' | 'ownerId' | 'wonLostReasonId' | 'pipelineId'>;
const deal = (status: Deal['status'], amountMinor: number | null, ownerId: string | null, wonLostReasonId: string | null = null): Row => ({
  status,
  amountMinor,
  ownerId,
  wonLostReasonId,
  pipelineId: 'p1',
});

describe('winRate', () => {
  it.each<[string, Deal['status'][], number | null]>([
    ['no deals', [], null],
    ['only open deals', ['open', 'open'], null],
    ['one won', ['won'], 1],
    ['one lost', ['lost'], 0],
    ['open deals are ignored', ['won', 'lost', 'lost', 'open'], 1 / 3],
  ])('%s', (_, statuses, expected) => {
    expect(winRate(statuses.map((status) => ({ status })))).toBe(expected);
  });
});

describe('winLossBy', () => {
  const deals = [
    deal('won', 100, 'ana'),
    deal('won', null, 'ana'),
    deal('lost', 40, 'ana'),
    deal('lost', 70, 'bo'),
    deal('open', 999, 'bo'),
    deal('open', 999, 'cy'),
    deal('won', 5, null),
  ];

  it('counts closed deals per owner with win rate and amounts, most closed first; no owner is (none)', () => {
    expect(winLossBy(deals, 'ownerId')).toEqual([
      { key: 'ana', won: 2, lost: 1, winRate: 2 / 3, wonAmountMinor: 100, lostAmountMinor: 0 + 40 },
      { key: '(none)', won: 1, lost: 0, winRate: 1, wonAmountMinor: 5, lostAmountMinor: 0 },
      { key: 'bo', won: 0, lost: 1, winRate: 0, wonAmountMinor: 0, lostAmountMinor: 70 },
    ]);
  });

  it.each([
    ['no deals', []],
    ['only open deals', [deal('open', 1, 'ana')]],
  ])('is empty with %s', (_, input) => {
    expect(winLossBy(input, 'ownerId')).toEqual([]);
  });

  it('groups by a function, e.g. a pre-joined source', () => {
    const rows = [
      { status: 'won' as const, amountMinor: 10, source: 'google' },
      { status: 'lost' as const, amountMinor: 20, source: 'google' },
      { status: 'lost' as const, amountMinor: 30, source: null },
    ];
    expect(winLossBy(rows, (d) => d.source).map((g) => [g.key, g.won, g.lost])).toEqual([
      ['google', 1, 1],
      ['(none)', 0, 1],
    ]);
  });
});

describe('lossReasons', () => {
  const reasons = [
    { id: 'price', kind: 'lost' as const, label: 'Price' },
    { id: 'timing', kind: 'lost' as const, label: 'Timing' },
    { id: 'fit', kind: 'won' as const, label: 'Good fit' },
  ];

  it('counts lost deals per reason with shares; missing, unknown and won reasons are one (none) row', () => {
    const deals = [
      deal('lost', 10, null, 'price'),
      deal('lost', 20, null, 'price'),
      deal('lost', 30, null, 'timing'),
      deal('lost', 1, null, null),
      deal('lost', 2, null, 'deleted-reason'),
      deal('lost', null, null, 'fit'),
      deal('won', 500, null, 'fit'),
      deal('open', 500, null, 'price'),
    ];
    expect(lossReasons(deals, reasons)).toEqual([
      { reasonId: null, label: '(none)', count: 3, share: 0.5, lostAmountMinor: 3 },
      { reasonId: 'price', label: 'Price', count: 2, share: 2 / 6, lostAmountMinor: 30 },
      { reasonId: 'timing', label: 'Timing', count: 1, share: 1 / 6, lostAmountMinor: 30 },
    ]);
  });

  it.each([
    ['no deals', []],
    ['no lost deals', [deal('won', 1, null, 'fit'), deal('open', 1, null)]],
  ])('is empty with %s', (_, deals) => {
    expect(lossReasons(deals, reasons)).toEqual([]);
  });
});

describe('stage at close', () => {
  const stages = [
    { id: 's1', kind: 'open' as const },
    { id: 's2', kind: 'open' as const },
    { id: 'won', kind: 'won' as const },
    { id: 'lost', kind: 'lost' as const },
  ];
  // Rows out of order on purpose; d2 moved back from s2 to s1 before it was lost; d3 was lost straight away.
  const history = [
    { dealId: 'd1', stageId: 'won', enteredAt: 20 },
    { dealId: 'd1', stageId: 's2', enteredAt: 10 },
    { dealId: 'd1', stageId: 's1', enteredAt: 0 },
    { dealId: 'd2', stageId: 's1', enteredAt: 0 },
    { dealId: 'd2', stageId: 's1', enteredAt: 8 },
    { dealId: 'd2', stageId: 's2', enteredAt: 5 },
    { dealId: 'd2', stageId: 'lost', enteredAt: 12 },
    { dealId: 'd3', stageId: 'lost', enteredAt: 3 },
  ];

  it('is the last open stage entered', () => {
    expect(stageAtCloseByDeal(history, stages)).toEqual(new Map([['d1', 's2'], ['d2', 's1']]));
    expect(stageAtCloseByDeal([], stages)).toEqual(new Map());
  });

  it('groups deals by stage at close, (none) when unknown', () => {
    const deals = [
      { id: 'd1', status: 'won' as const, amountMinor: 1 },
      { id: 'd2', status: 'lost' as const, amountMinor: 2 },
      { id: 'd3', status: 'lost' as const, amountMinor: 3 },
    ];
    expect(winLossBy(deals, stageAtCloseOf(history, stages)).map((g) => [g.key, g.won, g.lost])).toEqual([
      ['(none)', 0, 1],
      ['s1', 0, 1],
      ['s2', 1, 0],
    ]);
  });
});

describe('dealSourceOf', () => {
  const leads = [
    { id: 'l1', source: 'google' },
    { id: 'l2', source: null },
    { id: 'l3', source: 'fair' },
  ];
  const deals = [{ leadId: 'l1' }, { leadId: 'l2' }, { leadId: 'gone' }, { leadId: null }];

  it.each<[string, string | null, string | null]>([
    ['a lead with a source', 'l1', 'google'],
    ['a lead without a source', 'l2', null],
    ['an unknown lead', 'gone', null],
    ['no lead', null, null],
  ])('gives the source of %s', (_, leadId, expected) => {
    expect(dealSourceOf(deals, leads)({ leadId })).toBe(expected);
  });

  it('feeds winLossBy', () => {
    const closed = [
      { leadId: 'l1', status: 'won' as const, amountMinor: 5 },
      { leadId: 'l1', status: 'lost' as const, amountMinor: 6 },
      { leadId: null, status: 'lost' as const, amountMinor: 7 },
    ];
    expect(winLossBy(closed, dealSourceOf(closed, leads))).toEqual([
      { key: 'google', won: 1, lost: 1, winRate: 0.5, wonAmountMinor: 5, lostAmountMinor: 6 },
      { key: '(none)', won: 0, lost: 1, winRate: 0, wonAmountMinor: 0, lostAmountMinor: 7 },
    ]);
  });
});
