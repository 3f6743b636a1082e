// Recomputes a lead's rule-based score inside a mutation, from the tenant's scoring config and the lead's activities.
import { compileScoring, DEFAULT_SCORING_CONFIG } from '../domain/lead-scoring';
import type { LeadScorer } from '../domain/lead-scoring';
import type { Lead } from '../domain/leads.schema';
import type { ScoringConfig } from '../domain/automation.schema';
import type { MutationTx } from './mutation-tx';

const compiled = new Map<string, { version: number; scorer: LeadScorer }>();

/** The compiled scorer for a config, compiled once per tenant and config version (configs are versioned on change). */
export function scorerFor(config: ScoringConfig | undefined, tenantId: string): LeadScorer {
  const key = config ? tenantId : `${tenantId}:default`;
  const version = config?.configVersion ?? 0;
  const hit = compiled.get(key);
  if (hit && hit.version === version) return hit.scorer;
  const scorer = compileScoring(config ?? DEFAULT_SCORING_CONFIG(tenantId));
  compiled.set(key, { version, scorer });
  return scorer;
}

export async function tenantScorer(tx: MutationTx, tenantId: string): Promise<LeadScorer> {
  return scorerFor(await tx.get('scoring_configs', tenantId), tenantId);
}

/** The score fields of a lead given its activities (none for a lead being created). */
export async function scoreFields(tx: MutationTx, lead: Lead, now: number, withActivities: boolean): Promise<Pick<Lead, 'score' | 'scoreFactors'>> {
  const scorer = await tenantScorer(tx, lead.tenantId);
  const activities = withActivities ? await tx.find('activities', { entityType: 'lead', entityId: lead.id }) : [];
  const { score, factors } = scorer(lead, activities, now);
  return { score, scoreFactors: factors };
}
