// Sales velocity: open deals × average won deal size × win rate ÷ average sales cycle, with its inputs shown.
import { DAY_MS } from '../common.schema';
import type { Deal } from '../deals.schema';
import { ratio } from './metric-stats';

export type VelocityDeal = Pick<Deal, 'status' | 'amountMinor' | 'createdAt' | 'closedAt'>;

export interface Velocity {
  openDeals: number;
  won: number;
  lost: number;
  /** Mean amount of won deals that have one (minor units, rounded); null without such deals. */
  averageWonAmountMinor: number | null;
  /** won / (won + lost); null without closed deals. */
  winRate: number | null;
  /** Mean days from creation to close of won deals; null without won deals. */
  averageCycleDays: number | null;
  /** Expected revenue per day (minor units, rounded); null when any input is missing or the cycle is zero. */
  valuePerDayMinor: number | null;
}

/**
 * Sales velocity over all deals; with `windowDays`, the won/lost side (size, win rate, cycle) counts only deals
 * closed within that many days before `now`, while open deals are always the current ones.
 */
export function velocity(deals: readonly VelocityDeal[], now: number, windowDays?: number): Velocity {
  const since = windowDays === undefined ? -Infinity : now - windowDays * DAY_MS;
  let openDeals = 0;
  let won = 0;
  let lost = 0;
  let wonAmountSum = 0;
  let wonWithAmount = 0;
  let cycleMsSum = 0;
  let wonWithCycle = 0;
  for (const d of deals) {
    if (d.status === 'open') {
      openDeals++;
      continue;
    }
    // A closed deal without a close time cannot be placed in a window; with no window it still counts.
    if (windowDays !== undefined && (d.closedAt === null || d.closedAt < since)) continue;
    if (d.status === 'lost') {
      lost++;
      continue;
    }
    won++;
    // A won deal without an amount is missing data, not a zero sale, so it does not pull the average down.
    if (d.amountMinor !== null) {
      wonAmountSum += d.amountMinor;
      wonWithAmount++;
    }
    if (d.closedAt !== null) {
      cycleMsSum += Math.max(0, d.closedAt - d.createdAt);
      wonWithCycle++;
    }
  }
  const averageWonAmount = ratio(wonAmountSum, wonWithAmount);
  const winRate = ratio(won, won + lost);
  const averageCycleDays = ratio(cycleMsSum / DAY_MS, wonWithCycle);
  const valuePerDayMinor =
    averageWonAmount === null || winRate === null || averageCycleDays === null || averageCycleDays === 0
      ? null
      : Math.round((openDeals * averageWonAmount * winRate) / averageCycleDays);
  return {
    openDeals,
    won,
    lost,
    averageWonAmountMinor: averageWonAmount === null ? null : Math.round(averageWonAmount),
    winRate,
    averageCycleDays,
    valuePerDayMinor,
  };
}
