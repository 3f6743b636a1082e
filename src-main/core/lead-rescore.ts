// Rescores every live lead in one pass: activities read grouped per lead, scored in memory, written with prepared updates.
import type { ActivityKind } from '../../src-shared/domain/activities.schema';
import type { ScoringConfig, LeadRuleField } from '../../src-shared/domain/automation.schema';
import { DEFAULT_SCORING_CONFIG } from '../../src-shared/domain/lead-scoring';
import type { ScoredActivity } from '../../src-shared/domain/lead-scoring';
import type { LeadRuleFields } from '../../src-shared/domain/lead-filter';
import { scorerFor } from '../../src-shared/mutators/lead-score-step';
import type { CoreContext } from './core-context';
import { readEntity } from './core-context';

/** Lead fields as columns, for reading only the ones the fit rules look at. */
const COLUMN_OF: Record<LeadRuleField, string> = {
  source: 'source', medium: 'medium', campaign: 'campaign', formKey: 'form_key', country: 'country', region: 'region',
  title: 'title', companyName: 'company_name', email: 'email', phone: 'phone',
};

// Activities come from the covering activities_entity_idx; leads from a table scan in storage order (NOT INDEXED),
// since walking an index would cost a random row lookup per lead. No tenant condition: a desktop store holds one
// tenant (see openClient).
const ACTIVITIES_SQL = `SELECT entity_id, kind, occurred_at FROM activities WHERE entity_type = 'lead'`;
// A score that did not move leaves the score-ordered queue indexes alone; only the explanation is rewritten.
const UPDATE_BOTH_SQL = 'UPDATE leads SET score = ?, score_factors = ? WHERE rowid = ?';
const UPDATE_FACTORS_SQL = 'UPDATE leads SET score_factors = ? WHERE rowid = ?';

/** Returns how many leads' scores or explanations changed. Scores are derived data: a derived write, not a mutation. */
export async function rescoreAllLeads(ctx: CoreContext): Promise<number> {
  const { tenantId } = ctx.actor();
  const config: ScoringConfig = readEntity(ctx, 'scoring_configs', tenantId) ?? DEFAULT_SCORING_CONFIG(tenantId);
  const scorer = scorerFor(readEntity(ctx, 'scoring_configs', tenantId), tenantId);
  const fields = [...new Set(config.fitRules.map((r) => r.when.field))];
  const now = ctx.now();
  return ctx.writes.writeDerived(['leads'], (sqlite) => {
    const byLead = new Map<string, ScoredActivity[]>();
    for (const [leadId, kind, occurredAt] of sqlite.prepare(ACTIVITIES_SQL).raw(true).all() as [string, ActivityKind, number][]) {
      const list = byLead.get(leadId);
      if (list) list.push({ kind, occurredAt });
      else byLead.set(leadId, [{ kind, occurredAt }]);
    }
    const select = `SELECT rowid, id, score, score_factors${fields.map((f) => `, ${COLUMN_OF[f]}`).join('')} FROM leads NOT INDEXED WHERE archived = 0`;
    const rows = sqlite.prepare(select).raw(true).all() as unknown[][];
    const updateBoth = sqlite.prepare(UPDATE_BOTH_SQL);
    const updateFactors = sqlite.prepare(UPDATE_FACTORS_SQL);
    // One reused object carries each row's fields to the scorer.
    const lead: Record<string, string | null> = {};
    const none: ScoredActivity[] = [];
    let changed = 0;
    for (const row of rows) {
      for (let i = 0; i < fields.length; i++) lead[fields[i]!] = row[4 + i] as string | null;
      const { score, factors } = scorer(lead as LeadRuleFields, byLead.get(row[1] as string) ?? none, now);
      const json = JSON.stringify(factors);
      if (score !== row[2]) updateBoth.run(score, json, row[0]);
      else if (json !== row[3]) updateFactors.run(json, row[0]);
      else continue;
      changed++;
    }
    return changed;
  });
}
