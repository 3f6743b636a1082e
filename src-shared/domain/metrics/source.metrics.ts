// Lead source performance through to revenue: leads, qualification, conversion, won deals and won revenue.
import type { Deal } from '../deals.schema';
import type { Lead, LeadStatus } from '../leads.schema';
import { ratio } from './metric-stats';

/** Label for leads without a recorded source. */
export const UNKNOWN_SOURCE = '(unknown)';

export interface SourcePerformance {
  source: string;
  leads: number;
  /** Leads at QUALIFIED or any later lifecycle status (disqualified leads are not). */
  qualifiedOrBeyond: number;
  converted: number;
  dealsWon: number;
  dealsLost: number;
  wonRevenueMinor: number;
  /** converted / leads. */
  conversionRate: number | null;
  /** dealsWon / (dealsWon + dealsLost); null without closed deals. */
  winRate: number | null;
}

const QUALIFIED_OR_BEYOND: ReadonlySet<LeadStatus> = new Set(['QUALIFIED', 'CONTACTED', 'NEGOTIATING', 'CONVERTED']);

/**
 * Per lead source, most leads first: funnel counts and the won/lost deals that came from its leads (via
 * `deal.leadId`). Deals without a lead, or whose lead is not among `leads`, cannot be attributed and are skipped.
 */
export function sourcePerformance(
  leads: readonly Pick<Lead, 'id' | 'source' | 'status'>[],
  deals: readonly Pick<Deal, 'leadId' | 'status' | 'amountMinor'>[],
): SourcePerformance[] {
  // Index the closed deals by lead (≤ one per deal) rather than every lead, then look leads up as they stream by.
  const outcomesOfLead = new Map<string, { won: number; lost: number; wonRevenueMinor: number }>();
  for (const deal of deals) {
    if (deal.status === 'open' || deal.leadId === null) continue;
    let o = outcomesOfLead.get(deal.leadId);
    if (!o) outcomesOfLead.set(deal.leadId, (o = { won: 0, lost: 0, wonRevenueMinor: 0 }));
    if (deal.status === 'won') {
      o.won++;
      o.wonRevenueMinor += deal.amountMinor ?? 0;
    } else {
      o.lost++;
    }
  }
  const rows = new Map<string, SourcePerformance>();
  for (const lead of leads) {
    const source = lead.source ?? UNKNOWN_SOURCE;
    let row = rows.get(source);
    if (!row) {
      row = { source, leads: 0, qualifiedOrBeyond: 0, converted: 0, dealsWon: 0, dealsLost: 0, wonRevenueMinor: 0, conversionRate: null, winRate: null };
      rows.set(source, row);
    }
    row.leads++;
    if (QUALIFIED_OR_BEYOND.has(lead.status)) row.qualifiedOrBeyond++;
    if (lead.status === 'CONVERTED') row.converted++;
    const o = outcomesOfLead.get(lead.id);
    if (o) {
      row.dealsWon += o.won;
      row.dealsLost += o.lost;
      row.wonRevenueMinor += o.wonRevenueMinor;
    }
  }
  const out = [...rows.values()];
  for (const row of out) {
    row.conversionRate = ratio(row.converted, row.leads);
    row.winRate = ratio(row.dealsWon, row.dealsWon + row.dealsLost);
  }
  return out.sort((a, b) => b.leads - a.leads || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}
