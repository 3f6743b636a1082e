// Win/loss analytics: win rate, win/loss by reason, owner, pipeline, stage at close or source, and loss reasons.
import type { Deal, Stage, StageHistory, WinLossReason } from '../deals.schema';
import type { Lead } from '../leads.schema';
import { groupRows, NONE, ratio } from './metric-stats';

/** The fields every win/loss metric reads from a deal row. */
export type ClosedDealFields = Pick<Deal, 'status' | 'amountMinor'>;

/** Deal fields `winLossBy` can group by directly; anything else (source, stage at close) goes through a function. */
export type WinLossField = 'wonLostReasonId' | 'ownerId' | 'pipelineId';

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

/**
 * Win/loss counts, rate and amounts of closed deals per group, most closed deals first. Group by a deal field, or
 * by a function such as `stageAtCloseOf(...)` or `dealSourceOf(...)`; a null group is `(none)`.
 */
export function winLossBy<K extends WinLossField>(deals: readonly (ClosedDealFields & Record<K, string | null>)[], by: K): WinLossGroup[];
export function winLossBy<D extends ClosedDealFields>(deals: readonly D[], by: (deal: D) => string | null): WinLossGroup[];
export function winLossBy<D extends ClosedDealFields>(deals: readonly D[], by: string | ((deal: D) => string | null)): WinLossGroup[] {
  const groupOf = typeof by === 'function' ? by : (d: D) => (d as unknown as Record<string, string | null>)[by] ?? null;
  const groups = new Map<string, WinLossGroup>();
  for (const d of deals) {
    if (d.status === 'open') continue;
    const k = groupOf(d) ?? NONE;
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
  const { keys, start, order } = groupRows(history, (h) => h.dealId);
  const out = new Map<string, string>();
  for (let g = 0; g < keys.length; g++) {
    let last: Pick<StageHistory, 'stageId' | 'enteredAt'> | undefined;
    for (let j = start[g]!; j < start[g + 1]!; j++) {
      const h = history[order[j]!]!;
      // >= so that, of two entries at the same instant, the one later in the history wins.
      if (open.has(h.stageId) && (!last || h.enteredAt >= last.enteredAt)) last = h;
    }
    if (last) out.set(keys[g]!, last.stageId);
  }
  return out;
}

/** A grouping for `winLossBy`: the deal's last open stage before it closed (see `stageAtCloseByDeal`). */
export function stageAtCloseOf(
  history: readonly Pick<StageHistory, 'dealId' | 'stageId' | 'enteredAt'>[],
  stages: readonly Pick<Stage, 'id' | 'kind'>[],
): (deal: Pick<Deal, 'id'>) => string | null {
  const byDeal = stageAtCloseByDeal(history, stages);
  return (deal) => byDeal.get(deal.id) ?? null;
}

/**
 * A grouping for `winLossBy`: the source of the lead each deal came from (null without a lead, for a lead not
 * given, or a lead without source). Only the leads the deals refer to are indexed, so 100k leads stay cheap.
 */
export function dealSourceOf(
  deals: readonly Pick<Deal, 'leadId'>[],
  leads: readonly Pick<Lead, 'id' | 'source'>[],
): (deal: Pick<Deal, 'leadId'>) => string | null {
  const sourceOfLead = new Map<string, string | null>();
  for (const d of deals) if (d.leadId !== null) sourceOfLead.set(d.leadId, null);
  for (const l of leads) if (sourceOfLead.has(l.id)) sourceOfLead.set(l.id, l.source);
  return (deal) => (deal.leadId === null ? null : (sourceOfLead.get(deal.leadId) ?? null));
}
