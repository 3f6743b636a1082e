// Time deals spend in stages (latest stay and cumulative over re-entries), and stage-to-stage conversion.
import { DAY_MS } from '../common.schema';
import type { Stage, StageHistory } from '../deals.schema';
import { mean, median, ratio } from './metric-stats';

export type StageStay = Pick<StageHistory, 'dealId' | 'stageId' | 'enteredAt' | 'exitedAt'>;

export interface DealStageTime {
  dealId: string;
  stageId: string;
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
  /** One row per deal and stage it has been in, in order of first appearance in the history. */
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
  const terminal = new Set(stages?.filter((s) => s.kind !== 'open').map((s) => s.id));
  const byDeal = new Map<string, Map<string, DealStageTime & { latestEnteredAt: number }>>();
  const rows: (DealStageTime & { latestEnteredAt: number })[] = [];
  for (const h of history) {
    if (terminal.has(h.stageId)) continue;
    const current = h.exitedAt === null;
    const ms = Math.max(0, (h.exitedAt ?? now) - h.enteredAt);
    let perStage = byDeal.get(h.dealId);
    if (!perStage) byDeal.set(h.dealId, (perStage = new Map()));
    const row = perStage.get(h.stageId);
    if (!row) {
      const fresh = { dealId: h.dealId, stageId: h.stageId, latestMs: ms, cumulativeMs: ms, visits: 1, current, latestEnteredAt: h.enteredAt };
      perStage.set(h.stageId, fresh);
      rows.push(fresh);
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

  const perStage = new Map<string, { latest: number[]; cumulative: number[] }>();
  const deals: DealStageTime[] = [];
  for (const { latestEnteredAt: _, ...row } of rows) {
    deals.push(row);
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

/**
 * Of the deals that entered each open stage, how many afterwards entered a later open stage (by position, same
 * pipeline) or a won stage. Rows follow pipeline and stage position; history in unknown stages is ignored.
 */
export function stageConversion(
  history: readonly Pick<StageHistory, 'dealId' | 'stageId' | 'enteredAt'>[],
  stages: readonly Pick<Stage, 'id' | 'pipelineId' | 'position' | 'kind'>[],
): StageConversionRow[] {
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const byDeal = new Map<string, Pick<StageHistory, 'stageId' | 'enteredAt'>[]>();
  for (const h of history) {
    if (!stageById.has(h.stageId)) continue;
    const list = byDeal.get(h.dealId);
    if (list) list.push(h);
    else byDeal.set(h.dealId, [h]);
  }

  const counts = new Map<string, { entered: number; advanced: number }>();
  for (const s of stages) if (s.kind === 'open') counts.set(s.id, { entered: 0, advanced: 0 });
  const advancedFrom = new Map<string, boolean>();
  const maxLaterPosition = new Map<string, number>();
  for (const stays of byDeal.values()) {
    stays.sort((a, b) => a.enteredAt - b.enteredAt);
    // Walk back in time: for each stay, know the highest later open position (per pipeline, as a deal may move
    // between pipelines) and whether a won stage came later. A stage's earliest entry is visited last and sees the
    // most later stays, so it decides.
    advancedFrom.clear();
    maxLaterPosition.clear();
    let wonLater = false;
    for (let i = stays.length - 1; i >= 0; i--) {
      const stage = stageById.get(stays[i]!.stageId)!;
      if (stage.kind === 'won') wonLater = true;
      else if (stage.kind === 'open') {
        const later = maxLaterPosition.get(stage.pipelineId) ?? -1;
        advancedFrom.set(stage.id, wonLater || later > stage.position);
        if (stage.position > later) maxLaterPosition.set(stage.pipelineId, stage.position);
      }
    }
    for (const [stageId, advanced] of advancedFrom) {
      const c = counts.get(stageId)!;
      c.entered++;
      if (advanced) c.advanced++;
    }
  }

  return stages
    .filter((s) => s.kind === 'open')
    .sort((a, b) => (a.pipelineId < b.pipelineId ? -1 : a.pipelineId > b.pipelineId ? 1 : a.position - b.position))
    .map((s) => {
      const c = counts.get(s.id)!;
      return { stageId: s.id, pipelineId: s.pipelineId, position: s.position, entered: c.entered, advanced: c.advanced, rate: ratio(c.advanced, c.entered) };
    });
}
