// Win/loss analytics: win rate, win/loss by reason, owner, pipeline, stage at close or source, and loss reasons.
import type { Deal, Stage, StageHistory, WinLossReason } from '../deals.schema';
import type { Lead } from '../leads.schema';
import { NONE, ratio } from './metric-stats';

/** The fields every win/loss metric reads from a deal row. */
export type ClosedDealFields = Pick<Deal, 'status' | 'amountMinor'>;

/** The groupings `winLossBy` offers; `stageAtClose` and `source` are pre-joined (see `withStageAtClose`, `withSource`). */
export type WinLossKey = 'wonLostReasonId' | 'ownerId' | 'pipelineId' | 'stageAtClose' | 'source';

export interface WinLossGroup {
  /** The grouping value (an id or a source name), or `(none)` when missing. */
  key: string;
  won: number;
  lost: number;
  /** won / (won + lost); a group exists only when it has a closed deal, so never null. */
  winRate: number;
  wonAmountMinor: number;
  lostAmountMinor: number;
}

export interface LossReasonShare {
  /** null for lost deals with no reason or a reason id not among the lost reasons given. */
  reasonId: string | null;
  label: string;
  count: number;
  /** count / all lost deals. */
  share: number;
  lostAmountMinor: number;
}

/** won / (won + lost) over closed deals; null when no deal is closed. */
export function winRate(deals: readonly Pick<Deal, 'status'>[]): number | null {
  let won = 0;
  let lost = 0;
  for (const d of deals) {
    if (d.status === 'won') won++;
    else if (d.status === 'lost') lost++;
  }
  return ratio(won, won + lost);
}

/** Win/loss counts, rate and amounts of closed deals per value of `key`, most closed deals first. */
export function winLossBy<K extends WinLossKey>(deals: readonly (ClosedDealFields & Record<K, string | null>)[], key: K): WinLossGroup[] {
  const groups = new Map<string, WinLossGroup>();
  for (const d of deals) {
    if (d.status === 'open') continue;
    const k = d[key] ?? NONE;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key: k, won: 0, lost: 0, winRate: 0, wonAmountMinor: 0, lostAmountMinor: 0 }));
    if (d.status === 'won') {
      g.won++;
      g.wonAmountMinor += d.amountMinor ?? 0;
    } else {
      g.lost++;
      g.lostAmountMinor += d.amountMinor ?? 0;
    }
  }
  const out = [...groups.values()];
  for (const g of out) g.winRate = g.won / (g.won + g.lost);
  return out.sort((a, b) => b.won + b.lost - (a.won + a.lost) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Lost deals counted per lost reason with labels and shares, largest first; unknown or missing reasons are one `(none)` row. */
export function lossReasons(
  deals: readonly Pick<Deal, 'status' | 'amountMinor' | 'wonLostReasonId'>[],
  reasons: readonly Pick<WinLossReason, 'id' | 'kind' | 'label'>[],
): LossReasonShare[] {
  // Inactive reasons still label the deals that used them; won reasons on a lost deal are data errors → (none).
  const labels = new Map(reasons.filter((r) => r.kind === 'lost').map((r) => [r.id, r.label]));
  const rows = new Map<string | null, LossReasonShare>();
  let total = 0;
  for (const d of deals) {
    if (d.status !== 'lost') continue;
    total++;
    const id = d.wonLostReasonId !== null && labels.has(d.wonLostReasonId) ? d.wonLostReasonId : null;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { reasonId: id, label: id === null ? NONE : labels.get(id)!, count: 0, share: 0, lostAmountMinor: 0 }));
    row.count++;
    row.lostAmountMinor += d.amountMinor ?? 0;
  }
  const out = [...rows.values()];
  for (const r of out) r.share = r.count / total;
  return out.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/**
 * Per deal, the last open stage it was in before it closed (the latest-entered stay in an open-kind stage).
 * Deals whose history shows no open stage are absent.
 */
export function stageAtCloseByDeal(
  history: readonly Pick<StageHistory, 'dealId' | 'stageId' | 'enteredAt'>[],
  stages: readonly Pick<Stage, 'id' | 'kind'>[],
): Map<string, string> {
  const open = new Set(stages.filter((s) => s.kind === 'open').map((s) => s.id));
  const latest = new Map<string, { stageId: string; enteredAt: number }>();
  for (const h of history) {
    if (!open.has(h.stageId)) continue;
    const cur = latest.get(h.dealId);
    // >= so that, of two entries at the same instant, the one later in the history wins.
    if (!cur || h.enteredAt >= cur.enteredAt) latest.set(h.dealId, { stageId: h.stageId, enteredAt: h.enteredAt });
  }
  return new Map([...latest].map(([dealId, v]) => [dealId, v.stageId]));
}

/** Deals with `stageAtClose` joined in, ready for `winLossBy(deals, 'stageAtClose')`. */
export function withStageAtClose<D extends Pick<Deal, 'id'>>(
  deals: readonly D[],
  history: readonly Pick<StageHistory, 'dealId' | 'stageId' | 'enteredAt'>[],
  stages: readonly Pick<Stage, 'id' | 'kind'>[],
): (D & { stageAtClose: string | null })[] {
  const byDeal = stageAtCloseByDeal(history, stages);
  return deals.map((d) => ({ ...d, stageAtClose: byDeal.get(d.id) ?? null }));
}

/** Deals with their lead's `source` joined in (null without a lead, an unknown lead or a lead without source). */
export function withSource<D extends Pick<Deal, 'leadId'>>(
  deals: readonly D[],
  leads: readonly Pick<Lead, 'id' | 'source'>[],
): (D & { source: string | null })[] {
  const sourceOf = new Map(leads.map((l) => [l.id, l.source]));
  return deals.map((d) => ({ ...d, source: d.leadId === null ? null : (sourceOf.get(d.leadId) ?? null) }));
}
