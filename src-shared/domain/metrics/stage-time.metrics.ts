// Time deals spend in stages (latest stay and cumulative over re-entries), and stage-to-stage conversion.
import { DAY_MS } from '../common.schema';
import type { Stage, StageHistory } from '../deals.schema';
import { groupRows, mean, median, ratio } from './metric-stats';

export type StageStay = Pick<StageHistory, 'dealId' | 'stageId' | 'enteredAt' | 'exitedAt'>;

export interface DealStageTime {
  dealId: string;
  stageId: string;
  /** When the most recent stay began. */
  latestEnteredAt: number;
  /** Duration of the most recent stay (ms); an open stay is measured to `now`. */
  latestMs: number;
  /** Sum of every stay in this stage (ms), for deals that re-entered it. */
  cumulativeMs: number;
  visits: number;
  /** True while the deal is still in this stage (its latest stay has not ended). */
  current: boolean;
}

export interface StageTimeSummary {
  stageId: string;
  /** Deals that have been in the stage. */
  deals: number;
  latestAvgDays: number;
  latestMedianDays: number;
  cumulativeAvgDays: number;
  cumulativeMedianDays: number;
}

export interface StageTimes {
  /** One row per deal and stage it has been in, grouped by deal, in order of first appearance in the history. */
  deals: DealStageTime[];
  /** One row per stage, in order of first appearance in the history. */
  stages: StageTimeSummary[];
}

export interface StageConversionRow {
  stageId: string;
  pipelineId: string;
  position: number;
  /** Deals that entered this stage. */
  entered: number;
  /** Of those, deals that afterwards entered a later open stage (by position) or a won stage. */
  advanced: number;
  /** advanced / entered; null when no deal entered. */
  rate: number | null;
}

/**
 * Per deal and stage the latest and cumulative stay, and per stage the average and median in days.
 * Open stays are measured to `now`. Pass `stages` to measure only open-kind stages: a won or lost stay never ends.
 */
export function timeInStage(history: readonly StageStay[], now: number, stages?: readonly Pick<Stage, 'id' | 'kind'>[]): StageTimes {
  let deals: DealStageTime[] = [];
  const { start, order } = groupRows(history, (h) => h.dealId);
  for (let g = 0; g + 1 < start.length; g++) {
    // A deal has few stages, so its rows so far are scanned instead of keeping a map per deal.
    const first = deals.length;
    for (let j = start[g]!; j < start[g + 1]!; j++) {
      const h = history[order[j]!]!;
      const current = h.exitedAt === null;
      const ms = Math.max(0, (h.exitedAt ?? now) - h.enteredAt);
      let row: DealStageTime | undefined;
      for (let i = first; i < deals.length && !row; i++) if (deals[i]!.stageId === h.stageId) row = deals[i];
      if (!row) {
        deals.push({ dealId: h.dealId, stageId: h.stageId, latestEnteredAt: h.enteredAt, latestMs: ms, cumulativeMs: ms, visits: 1, current });
        continue;
      }
      row.cumulativeMs += ms;
      row.visits++;
      // History need not arrive in order: the latest stay is the one entered last.
      if (h.enteredAt >= row.latestEnteredAt) {
        row.latestEnteredAt = h.enteredAt;
        row.latestMs = ms;
        row.current = current;
      }
    }
  }

  if (stages) {
    // Dropped after the fact: one lookup per deal and stage rather than per history row.
    const terminal = new Set(stages.filter((s) => s.kind !== 'open').map((s) => s.id));
    if (terminal.size > 0) deals = deals.filter((row) => !terminal.has(row.stageId));
  }
  const perStage = new Map<string, { latest: number[]; cumulative: number[] }>();
  for (const row of deals) {
    let s = perStage.get(row.stageId);
    if (!s) perStage.set(row.stageId, (s = { latest: [], cumulative: [] }));
    s.latest.push(row.latestMs / DAY_MS);
    s.cumulative.push(row.cumulativeMs / DAY_MS);
  }
  const summaries = [...perStage].map(([stageId, s]) => ({
    stageId,
    deals: s.latest.length,
    latestAvgDays: mean(s.latest)!,
    latestMedianDays: median(s.latest)!,
    cumulativeAvgDays: mean(s.cumulative)!,
    cumulativeMedianDays: median(s.cumulative)!,
  }));
  return { deals, stages: summaries };
}

const OPEN = 0;
const WON = 1;
const LOST = 2;

/**
 * Of the deals that entered each open stage, how many afterwards entered a later open stage (by position, same
 * pipeline) or a won stage. Rows follow pipeline and stage position; history in unknown stages is ignored.
 */
export function stageConversion(
  history: readonly Pick<StageHistory, 'dealId' | 'stageId' | 'enteredAt'>[],
  stages: readonly Pick<Stage, 'id' | 'pipelineId' | 'position' | 'kind'>[],
): StageConversionRow[] {
  // Stages and pipelines as small integers, so the per-deal walk below touches only typed arrays.
  const stageIndex = new Map(stages.map((s, i) => [s.id, i]));
  const pipelineIndex = new Map<string, number>();
  for (const s of stages) if (!pipelineIndex.has(s.pipelineId)) pipelineIndex.set(s.pipelineId, pipelineIndex.size);
  const kind = Int8Array.from(stages, (s) => (s.kind === 'open' ? OPEN : s.kind === 'won' ? WON : LOST));
  const pipelineOf = Int32Array.from(stages, (s) => pipelineIndex.get(s.pipelineId)!);
  const entered = new Int32Array(stages.length);
  const advanced = new Int32Array(stages.length);

  const stageOfRow = new Int32Array(history.length);
  for (let i = 0; i < history.length; i++) stageOfRow[i] = stageIndex.get(history[i]!.stageId) ?? -1;
  const { start, order } = groupRows(history, (h) => h.dealId);
  // Per-deal scratch, reset through the lists of what was touched.
  const outcome = new Int8Array(stages.length); // 0 not entered, 1 entered, 2 entered and advanced
  const maxLaterPosition = new Float64Array(pipelineIndex.size).fill(-1);
  const touchedStages: number[] = [];
  const stays: number[] = [];
  const byEntry = (a: number, b: number) => history[a]!.enteredAt - history[b]!.enteredAt;

  for (let g = 0; g + 1 < start.length; g++) {
    stays.length = 0;
    let sorted = true;
    for (let j = start[g]!; j < start[g + 1]!; j++) {
      const row = order[j]!;
      if (stageOfRow[row]! < 0) continue;
      if (stays.length > 0 && history[row]!.enteredAt < history[stays[stays.length - 1]!]!.enteredAt) sorted = false;
      stays.push(row);
    }
    if (!sorted) stays.sort(byEntry);
    // Walk back in time, knowing the highest open position entered later (per pipeline, as a deal may move between
    // pipelines) and whether a won stage came later. A stage's earliest entry is visited last and sees the most
    // later stays, so it decides.
    let wonLater = false;
    for (let k = stays.length - 1; k >= 0; k--) {
      const s = stageOfRow[stays[k]!]!;
      if (kind[s] === WON) wonLater = true;
      if (kind[s] !== OPEN) continue;
      const p = pipelineOf[s]!;
      const position = stages[s]!.position;
      if (outcome[s] === 0) touchedStages.push(s);
      outcome[s] = wonLater || maxLaterPosition[p]! > position ? 2 : 1;
      if (position > maxLaterPosition[p]!) maxLaterPosition[p] = position;
    }
    for (const s of touchedStages) {
      entered[s]!++;
      if (outcome[s] === 2) advanced[s]!++;
      outcome[s] = 0;
      maxLaterPosition[pipelineOf[s]!] = -1;
    }
    touchedStages.length = 0;
  }

  const rows: StageConversionRow[] = [];
  stages.forEach((s, i) => {
    if (kind[i] === OPEN) rows.push({ stageId: s.id, pipelineId: s.pipelineId, position: s.position, entered: entered[i]!, advanced: advanced[i]!, rate: ratio(advanced[i]!, entered[i]!) });
  });
  return rows.sort((a, b) => (a.pipelineId < b.pipelineId ? -1 : a.pipelineId > b.pipelineId ? 1 : a.position - b.position));
}
