import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../../src-shared/domain/common.schema';
import type { StageKind } from '../../../../src-shared/domain/deals.schema';
import { stageConversion, timeInStage } from '../../../../src-shared/domain/metrics/stage-time.metrics';
import type { StageStay, StageTimes } from '../../../../src-shared/domain/metrics/stage-time.metrics';

const stay = (dealId: string, stageId: string, enteredDay: number, exitedDay: number | null): StageStay => ({
  dealId,
  stageId,
  enteredAt: enteredDay * DAY_MS,
  exitedAt: exitedDay === null ? null : exitedDay * DAY_MS,
});
const NOW = 100 * DAY_MS;

// d1 re-enters both stages and is still in s2; d2 went s1 → won.
const history = [
  stay('d1', 's1', 0, 2),
  stay('d1', 's2', 2, 5),
  stay('d1', 's1', 5, 6),
  stay('d1', 's2', 6, null),
  stay('d2', 's1', 10, 14),
  stay('d2', 'won', 14, null),
];
const row = (times: StageTimes, dealId: string, stageId: string) => times.deals.find((r) => r.dealId === dealId && r.stageId === stageId);

describe('timeInStage', () => {
  const times = timeInStage(history, NOW);

  it.each([
    ['a stage left twice', 'd1', 's1', { latestEnteredAt: 5 * DAY_MS, latestMs: 1 * DAY_MS, cumulativeMs: 3 * DAY_MS, visits: 2, current: false }],
    ['a re-entered stage the deal is still in, measured to now', 'd1', 's2', { latestEnteredAt: 6 * DAY_MS, latestMs: 94 * DAY_MS, cumulativeMs: 97 * DAY_MS, visits: 2, current: true }],
    ['a single stay', 'd2', 's1', { latestEnteredAt: 10 * DAY_MS, latestMs: 4 * DAY_MS, cumulativeMs: 4 * DAY_MS, visits: 1, current: false }],
    ['a won stay, when stages are not given', 'd2', 'won', { latestEnteredAt: 14 * DAY_MS, latestMs: 86 * DAY_MS, cumulativeMs: 86 * DAY_MS, visits: 1, current: true }],
  ])('per deal: %s', (_, dealId, stageId, expected) => {
    expect(row(times, dealId, stageId)).toEqual({ dealId, stageId, ...expected });
  });

  it('summarises each stage in days', () => {
    expect(times.stages).toEqual([
      { stageId: 's1', deals: 2, latestAvgDays: 2.5, latestMedianDays: 2.5, cumulativeAvgDays: 3.5, cumulativeMedianDays: 3.5 },
      { stageId: 's2', deals: 1, latestAvgDays: 94, latestMedianDays: 94, cumulativeAvgDays: 97, cumulativeMedianDays: 97 },
      { stageId: 'won', deals: 1, latestAvgDays: 86, latestMedianDays: 86, cumulativeAvgDays: 86, cumulativeMedianDays: 86 },
    ]);
  });

  it('takes the latest stay by entry time whatever the row order', () => {
    const shuffled = timeInStage([...history].reverse(), NOW);
    expect(row(shuffled, 'd1', 's1')).toEqual(row(times, 'd1', 's1'));
    expect(row(shuffled, 'd1', 's2')).toEqual(row(times, 'd1', 's2'));
  });

  it('skips won and lost stays when given the stages', () => {
    const stages = [
      { id: 's1', kind: 'open' as const },
      { id: 's2', kind: 'open' as const },
      { id: 'won', kind: 'won' as const },
    ];
    const open = timeInStage(history, NOW, stages);
    expect(open.stages.map((s) => s.stageId)).toEqual(['s1', 's2']);
    expect(row(open, 'd2', 'won')).toBeUndefined();
  });

  it.each([
    ['no history', [], { deals: [], stages: [] }],
    [
      'a stay that ends before it starts (bad data) counts as zero',
      [stay('d', 's', 5, 3)],
      { deals: [{ dealId: 'd', stageId: 's', latestEnteredAt: 5 * DAY_MS, latestMs: 0, cumulativeMs: 0, visits: 1, current: false }], stages: [{ stageId: 's', deals: 1, latestAvgDays: 0, latestMedianDays: 0, cumulativeAvgDays: 0, cumulativeMedianDays: 0 }] },
    ],
  ])('%s', (_, input, expected) => {
    expect(timeInStage(input, NOW)).toEqual(expected);
  });

  it('gives the median of an odd number of deals', () => {
    const s = timeInStage([stay('a', 's', 0, 1), stay('b', 's', 0, 10), stay('c', 's', 0, 4)], NOW).stages[0]!;
    expect([s.latestMedianDays, s.latestAvgDays]).toEqual([4, 5]);
  });
});

describe('stageConversion', () => {
  const stage = (id: string, pipelineId: string, position: number, kind: StageKind = 'open') => ({ id, pipelineId, position, kind });
  // Shuffled so the output order (pipeline, position) is the function's doing.
  const stages = [stage('x', 'p2', 0), stage('c', 'p1', 2), stage('lost', 'p1', 4, 'lost'), stage('a', 'p1', 0), stage('won', 'p1', 3, 'won'), stage('b', 'p1', 1)];
  const path = (dealId: string, ...stageIds: string[]) => stageIds.map((stageId, i) => ({ dealId, stageId, enteredAt: i }));
  const history = [
    ...path('d1', 'a', 'b', 'c', 'won'), // advances from a, b, c
    ...path('d2', 'a', 'b', 'lost'), // advances from a only
    ...path('d3', 'a', 'c'), // skips b: advances from a; c still open
    ...path('d4', 'b', 'a', 'lost'), // moved back: advances from neither
    ...path('d5', 'a', 'b', 'a', 'lost'), // re-entered a: its first entry advanced
    ...path('d6', 'a', 'won'), // won straight from a
    ...path('d7', 'x', 'b'), // changed pipeline: x (p2) did not advance within its pipeline
    ...path('d8', 'ghost'), // unknown stage: ignored
  ];

  it('counts, per open stage, deals that entered it and later reached a later stage or won', () => {
    expect(stageConversion(history, stages)).toEqual([
      { stageId: 'a', pipelineId: 'p1', position: 0, entered: 6, advanced: 5, rate: 5 / 6 },
      { stageId: 'b', pipelineId: 'p1', position: 1, entered: 5, advanced: 1, rate: 1 / 5 },
      { stageId: 'c', pipelineId: 'p1', position: 2, entered: 2, advanced: 1, rate: 1 / 2 },
      { stageId: 'x', pipelineId: 'p2', position: 0, entered: 1, advanced: 0, rate: 0 },
    ]);
  });

  it('orders stays by entry time, not row order', () => {
    expect(stageConversion([...history].reverse(), stages)).toEqual(stageConversion(history, stages));
  });

  it.each([
    ['no history', [] as ReturnType<typeof path>],
    ['history only in unknown stages', path('d', 'ghost', 'ghost2')],
  ])('reports every open stage with nothing entered for %s', (_, input) => {
    expect(stageConversion(input, stages).map((r) => [r.stageId, r.entered, r.rate])).toEqual([
      ['a', 0, null],
      ['b', 0, null],
      ['c', 0, null],
      ['x', 0, null],
    ]);
  });

  it('is empty without stages', () => {
    expect(stageConversion(history, [])).toEqual([]);
  });
});
