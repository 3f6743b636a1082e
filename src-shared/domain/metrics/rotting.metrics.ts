// Rotting deals: open deals idle in their current stage longer than the stage allows.
import { DAY_MS } from '../common.schema';
import type { Deal, Stage } from '../deals.schema';

export interface RottingDeal<D> {
  deal: D;
  /** Days in the current stage so far (fractional). */
  daysInStage: number;
  rottingDays: number;
}

/** Open deals whose time in their current stage exceeds that stage's rottingDays, longest overdue first. */
export function rottingDeals<D extends Pick<Deal, 'status' | 'stageId' | 'stageEnteredAt'>>(
  deals: readonly D[],
  stages: readonly Pick<Stage, 'id' | 'rottingDays'>[],
  now: number,
): RottingDeal<D>[] {
  const limitOf = new Map<string, number>();
  for (const s of stages) if (s.rottingDays !== null) limitOf.set(s.id, s.rottingDays);
  const out: RottingDeal<D>[] = [];
  for (const deal of deals) {
    if (deal.status !== 'open') continue;
    const rottingDays = limitOf.get(deal.stageId);
    if (rottingDays === undefined) continue;
    const daysInStage = (now - deal.stageEnteredAt) / DAY_MS;
    if (daysInStage > rottingDays) out.push({ deal, daysInStage, rottingDays });
  }
  return out.sort((a, b) => b.daysInStage - b.rottingDays - (a.daysInStage - a.rottingDays));
}
