// How the lead queue words and colours things: status labels, score bands, dates.
import type { LeadStatus } from '../../src-shared/domain/leads.schema';

export const STATUS_LABELS: Record<LeadStatus, string> = {
  NEW: 'New', QUALIFIED: 'Qualified', CONTACTED: 'Contacted', NEGOTIATING: 'Negotiating', CONVERTED: 'Converted', DISQUALIFIED: 'Disqualified',
};

/** hot ≥ 70, warm ≥ 40, else cold: the badge colour a rep scans the queue by. */
export function scoreBand(score: number): 'hot' | 'warm' | 'cold' {
  if (score >= 70) return 'hot';
  if (score >= 40) return 'warm';
  return 'cold';
}

const DATE = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export const shortDate = (ms: number): string => DATE.format(ms);

export const fullName = (r: { firstName: string; lastName: string }): string => `${r.firstName} ${r.lastName}`.trim();

/** "+12" / "−5": factor points with their sign. */
export const signedPoints = (points: number): string => (points > 0 ? `+${points}` : points < 0 ? `−${Math.abs(points)}` : '0');
