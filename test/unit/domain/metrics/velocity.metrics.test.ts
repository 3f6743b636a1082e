import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../../src-shared/domain/common.schema';
import { velocity } from '../../../../src-shared/domain/metrics/velocity.metrics';
import type { Velocity, VelocityDeal } from '../../../../src-shared/domain/metrics/velocity.metrics';

const NOW = 100 * DAY_MS;
const open = (): VelocityDeal => ({ status: 'open', amountMinor: 999_999, createdAt: 0, closedAt: null });
const closed = (status: 'won' | 'lost', amountMinor: number | null, createdDay: number, closedDay: number | null): VelocityDeal => ({
  status,
  amountMinor,
  createdAt: createdDay * DAY_MS,
  closedAt: closedDay === null ? null : closedDay * DAY_MS,
});

const deals = [
  open(),
  open(),
  open(),
  closed('won', 1000, 0, 10), // 10-day cycle
  closed('won', 3000, 20, 50), // 30-day cycle
  closed('won', null, 60, 62), // 2-day cycle; no amount, so not in the average size
  closed('lost', 500, 0, 90),
  closed('lost', 500, 0, 5),
];

describe('velocity', () => {
  it.each<[string, VelocityDeal[], number | undefined, Velocity]>([
    [
      'all closed deals: 3 open × 2000 × 0.6 ÷ 14 days',
      deals,
      undefined,
      { openDeals: 3, won: 3, lost: 2, averageWonAmountMinor: 2000, winRate: 0.6, averageCycleDays: 14, valuePerDayMinor: Math.round(3600 / 14) },
    ],
    [
      'a 60-day window keeps deals closed since day 40: 3 × 3000 × 2/3 ÷ 16',
      deals,
      60,
      { openDeals: 3, won: 2, lost: 1, averageWonAmountMinor: 3000, winRate: 2 / 3, averageCycleDays: 16, valuePerDayMinor: 375 },
    ],
    [
      'a window whose only won deal has no amount has no value',
      deals,
      45,
      { openDeals: 3, won: 1, lost: 1, averageWonAmountMinor: null, winRate: 0.5, averageCycleDays: 2, valuePerDayMinor: null },
    ],
    ['no deals', [], undefined, { openDeals: 0, won: 0, lost: 0, averageWonAmountMinor: null, winRate: null, averageCycleDays: null, valuePerDayMinor: null }],
    [
      'only open deals',
      [open(), open()],
      undefined,
      { openDeals: 2, won: 0, lost: 0, averageWonAmountMinor: null, winRate: null, averageCycleDays: null, valuePerDayMinor: null },
    ],
    [
      'no won deals',
      [open(), closed('lost', 10, 0, 3)],
      undefined,
      { openDeals: 1, won: 0, lost: 1, averageWonAmountMinor: null, winRate: 0, averageCycleDays: null, valuePerDayMinor: null },
    ],
    [
      'no open deals is a velocity of zero',
      [closed('won', 700, 0, 7)],
      undefined,
      { openDeals: 0, won: 1, lost: 0, averageWonAmountMinor: 700, winRate: 1, averageCycleDays: 7, valuePerDayMinor: 0 },
    ],
    [
      'a zero-day cycle cannot divide',
      [open(), closed('won', 700, 3, 3)],
      undefined,
      { openDeals: 1, won: 1, lost: 0, averageWonAmountMinor: 700, winRate: 1, averageCycleDays: 0, valuePerDayMinor: null },
    ],
    [
      'a won deal without close time counts in size and rate but not in the cycle',
      [open(), closed('won', 100, 0, null), closed('won', 300, 0, 4)],
      undefined,
      { openDeals: 1, won: 2, lost: 0, averageWonAmountMinor: 200, winRate: 1, averageCycleDays: 4, valuePerDayMinor: 50 },
    ],
    [
      'with a window, a closed deal without close time is left out',
      [open(), closed('won', 100, 0, null), closed('won', 300, 0, 4)],
      365,
      { openDeals: 1, won: 1, lost: 0, averageWonAmountMinor: 300, winRate: 1, averageCycleDays: 4, valuePerDayMinor: 75 },
    ],
  ])('%s', (_, input, windowDays, expected) => {
    expect(velocity(input, NOW, windowDays)).toEqual(expected);
  });
});
