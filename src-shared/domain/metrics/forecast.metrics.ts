// Weighted forecast: open deals' amount × probability, by expected close month (or quarter) and by pipeline.
import type { CalendarDate } from '../common.schema';
import type { Deal } from '../deals.schema';

export type ForecastDeal = Pick<Deal, 'status' | 'amountMinor' | 'probability' | 'expectedCloseDate' | 'pipelineId'>;

export interface ForecastOptions {
  /** First expected close date included, 'YYYY-MM-DD'. */
  from: CalendarDate;
  /** Last expected close date included, 'YYYY-MM-DD'. */
  to: CalendarDate;
  /** Period grouping: 'YYYY-MM' (default) or 'YYYY-Qn'. */
  by?: 'month' | 'quarter';
}

export interface ForecastTotals {
  /** Σ amount × probability / 100, rounded to whole minor units. */
  weightedMinor: number;
  unweightedMinor: number;
  count: number;
}

export interface WeightedForecast extends ForecastTotals {
  /** Every period from `from` to `to`, empty ones included so a chart has no gaps. */
  periods: (ForecastTotals & { period: string })[];
  /** Pipelines with at least one deal in range, by pipeline id. */
  pipelines: (ForecastTotals & { pipelineId: string })[];
  /** Open deals left out because they have no expected close date. */
  excludedNoCloseDate: number;
}

interface Acc {
  /** Σ amount × probability, kept exact in integers and divided by 100 once at the end. */
  weightedTimes100: number;
  unweightedMinor: number;
  count: number;
}

const periodOf = (date: string, by: 'month' | 'quarter'): string =>
  by === 'month' ? date.slice(0, 7) : `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

/** Every period label from the one holding `from` to the one holding `to`. */
function periodsBetween(from: string, to: string, by: 'month' | 'quarter'): string[] {
  const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  const out: string[] = [];
  // Malformed dates give NaN bounds and so no periods, never an endless loop.
  for (let m = monthIndex(from), end = monthIndex(to); m <= end; m++) {
    const label = periodOf(`${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`, by);
    if (out[out.length - 1] !== label) out.push(label);
  }
  return out;
}

const totals = (a: Acc): ForecastTotals => ({ weightedMinor: Math.round(a.weightedTimes100 / 100), unweightedMinor: a.unweightedMinor, count: a.count });
function add(acc: Acc, amountMinor: number, probability: number): void {
  acc.weightedTimes100 += amountMinor * probability;
  acc.unweightedMinor += amountMinor;
  acc.count++;
}
const emptyAcc = (): Acc => ({ weightedTimes100: 0, unweightedMinor: 0, count: 0 });

/**
 * Weighted and unweighted value of open deals expected to close between `from` and `to` (inclusive), by period and
 * pipeline. The deal's own probability is used (the stage's unless overridden); a deal without amount counts as 0.
 */
export function weightedForecast(deals: readonly ForecastDeal[], opts: ForecastOptions): WeightedForecast {
  const by = opts.by ?? 'month';
  const periods = new Map<string, Acc>();
  for (const p of periodsBetween(opts.from, opts.to, by)) periods.set(p, emptyAcc());
  const pipelines = new Map<string, Acc>();
  const total = emptyAcc();
  let excludedNoCloseDate = 0;
  for (const d of deals) {
    if (d.status !== 'open') continue;
    const date = d.expectedCloseDate;
    if (date === null) {
      excludedNoCloseDate++;
      continue;
    }
    // 'YYYY-MM-DD' strings order like the dates they name.
    if (date < opts.from || date > opts.to) continue;
    const amount = d.amountMinor ?? 0;
    let pipeline = pipelines.get(d.pipelineId);
    if (!pipeline) pipelines.set(d.pipelineId, (pipeline = emptyAcc()));
    add(total, amount, d.probability);
    // Only a malformed date (month 13) can miss its period; it still counts in the totals.
    const period = periods.get(periodOf(date, by));
    if (period) add(period, amount, d.probability);
    add(pipeline, amount, d.probability);
  }
  return {
    ...totals(total),
    periods: [...periods].map(([period, acc]) => ({ period, ...totals(acc) })),
    pipelines: [...pipelines]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([pipelineId, acc]) => ({ pipelineId, ...totals(acc) })),
    excludedNoCloseDate,
  };
}
