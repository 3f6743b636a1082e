// Rescores every live lead in one pass: activities read grouped per lead, scored in memory, one prepared update.
import type { ScoredActivity } from '../../src-shared/domain/lead-scoring';
import type { LeadRuleFields } from '../../src-shared/domain/lead-filter';
import type { ActivityKind } from '../../src-shared/domain/activities.schema';
import { scorerFor } from '../../src-shared/mutators/lead-score-step';
import type { CoreContext } from './core-context';
import { readEntity } from './core-context';

const LEADS_SQL = `SELECT id, source, medium, campaign, form_key AS formKey, country, region, title, company_name AS companyName,
  email, phone, score, score_factors AS scoreFactors FROM leads WHERE tenant_id = ? AND archived = 0`;
const ACTIVITIES_SQL = `SELECT entity_id AS leadId, kind, occurred_at AS occurredAt FROM activities WHERE tenant_id = ? AND entity_type = 'lead'`;
const UPDATE_SQL = 'UPDATE leads SET score = ?, score_factors = ? WHERE id = ?';

type LeadRow = LeadRuleFields & { id: string; score: number; scoreFactors: string };

/** Returns how many leads' scores changed. Scores are derived data, so this is a derived write, not a mutation. */
export async function rescoreAllLeads(ctx: CoreContext): Promise<number> {
  const { tenantId } = ctx.actor();
  const scorer = scorerFor(readEntity(ctx, 'scoring_configs', tenantId), tenantId);
  const now = ctx.now();
  return ctx.writes.writeDerived(['leads'], (sqlite) => {
    const byLead = new Map<string, ScoredActivity[]>();
    for (const a of sqlite.prepare(ACTIVITIES_SQL).iterate(tenantId) as Iterable<{ leadId: string; kind: ActivityKind; occurredAt: number }>) {
      let list = byLead.get(a.leadId);
      if (!list) byLead.set(a.leadId, (list = []));
      list.push(a);
    }
    const leads = sqlite.prepare(LEADS_SQL).all(tenantId) as LeadRow[];
    const update = sqlite.prepare(UPDATE_SQL);
    const none: ScoredActivity[] = [];
    let changed = 0;
    for (const lead of leads) {
      const { score, factors } = scorer(lead, byLead.get(lead.id) ?? none, now);
      const json = JSON.stringify(factors);
      if (score === lead.score && json === lead.scoreFactors) continue;
      update.run(score, json, lead.id);
      changed++;
    }
    return changed;
  });
}
