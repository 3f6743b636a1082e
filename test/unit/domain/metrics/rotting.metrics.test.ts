import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../../src-shared/domain/common.schema';
import type { Deal } from '../../../../src-shared/domain/deals.schema';
import { rottingDeals } from '../../../../src-shared/domain/metrics/rotting.metrics';

const NOW = 10 * DAY_MS;
const stages = [
  { id: 's1', rottingDays: 5 },
  { id: 's2', rottingDays: null },
  { id: 's3', rottingDays: 1 },
];
const deal = (id: string, stageId: string, enteredDay: number, status: Deal['status'] = 'open') => ({ id, stageId, status, stageEnteredAt: enteredDay * DAY_MS });

describe('rottingDeals', () => {
  it.each([
    ['6 days in a 5-day stage', deal('a', 's1', 4), true],
    ['exactly the limit is not over it', deal('b', 's1', 5), false],
    ['a stage that never rots', deal('c', 's2', 0), false],
    ['a closed deal', deal('d', 's1', 0, 'won'), false],
    ['an unknown stage', deal('f', 'gone', 0), false],
  ])('%s → rotting %s', (_, input, expected) => {
    expect(rottingDeals([input], stages, NOW).length > 0).toBe(expected);
  });

  it('lists rotting deals with their days, most overdue first', () => {
    const rotting = rottingDeals([deal('a', 's1', 4), deal('b', 's1', 5), deal('e', 's3', 7)], stages, NOW);
    expect(rotting.map((r) => [r.deal.id, r.daysInStage, r.rottingDays])).toEqual([
      ['e', 3, 1],
      ['a', 6, 5],
    ]);
  });

  it('is empty without deals', () => {
    expect(rottingDeals([], stages, NOW)).toEqual([]);
  });
});
