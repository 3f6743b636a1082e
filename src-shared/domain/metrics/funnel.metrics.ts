// Lead conversion funnel: how many leads reached each lifecycle status, with step conversion rates.
import type { Lead, LeadStatus } from '../leads.schema';
import { ratio } from './metric-stats';

/** The lifecycle in order; a lead at one status has passed every status before it. */
export const FUNNEL_STATUSES = ['NEW', 'QUALIFIED', 'CONTACTED', 'NEGOTIATING', 'CONVERTED'] as const;
export type FunnelStatus = (typeof FUNNEL_STATUSES)[number];

/**
 * A lead row for the funnel. `statusBeforeDisqualified` is the status a disqualified lead had reached when it was
 * disqualified, where the caller knows it (e.g. from the audit trail); without it the lead is only counted apart.
 */
export type FunnelLead = Pick<Lead, 'status'> & { statusBeforeDisqualified?: LeadStatus | null };

export interface FunnelStep {
  status: FunnelStatus;
  /** Leads that reached this status or a later one. */
  reached: number;
  /** reached / reached at the previous step; null for the first step or when the previous step is empty. */
  stepRate: number | null;
  /** reached / reached at NEW; null when no lead entered the funnel. */
  rateFromStart: number | null;
}

export interface ConversionFunnel {
  /** Every lead given, disqualified or not. */
  total: number;
  steps: FunnelStep[];
  disqualified: {
    total: number;
    /** Disqualified leads by the status reached before; these are also counted in `steps` up to that status. */
    byStatusBefore: Record<FunnelStatus, number>;
    /** Disqualified leads whose earlier status is unknown; they are left out of `steps`. */
    unknownBefore: number;
  };
}

const zeros = (): Record<FunnelStatus, number> => ({ NEW: 0, QUALIFIED: 0, CONTACTED: 0, NEGOTIATING: 0, CONVERTED: 0 });
const indexOf: Record<FunnelStatus, number> = { NEW: 0, QUALIFIED: 1, CONTACTED: 2, NEGOTIATING: 3, CONVERTED: 4 };
const isFunnelStatus = (s: LeadStatus | null | undefined): s is FunnelStatus => s != null && s !== 'DISQUALIFIED';

/** Counts leads by lifecycle status reached (NEW → … → CONVERTED) with step rates; disqualified leads reported apart. */
export function conversionFunnel(leads: readonly FunnelLead[]): ConversionFunnel {
  // Count where each lead stopped, then accumulate from the end: reached(i) = stopped at i or later.
  const stoppedAt = [0, 0, 0, 0, 0];
  const byStatusBefore = zeros();
  let disqualified = 0;
  let unknownBefore = 0;
  for (const lead of leads) {
    let at: FunnelStatus;
    if (lead.status === 'DISQUALIFIED') {
      disqualified++;
      if (!isFunnelStatus(lead.statusBeforeDisqualified)) {
        unknownBefore++;
        continue;
      }
      at = lead.statusBeforeDisqualified;
      byStatusBefore[at]++;
    } else {
      at = lead.status;
    }
    stoppedAt[indexOf[at]]!++;
  }
  const reached = [...stoppedAt];
  for (let i = reached.length - 2; i >= 0; i--) reached[i]! += reached[i + 1]!;
  const steps = FUNNEL_STATUSES.map((status, i) => ({
    status,
    reached: reached[i]!,
    stepRate: i === 0 ? null : ratio(reached[i]!, reached[i - 1]!),
    rateFromStart: ratio(reached[i]!, reached[0]!),
  }));
  return { total: leads.length, steps, disqualified: { total: disqualified, byStatusBefore, unknownBefore } };
}
