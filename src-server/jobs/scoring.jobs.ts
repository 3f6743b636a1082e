// Lead scoring jobs: rescore one lead after a change, and the daily pass that lets engagement decay for every lead.
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { compileScoring, DEFAULT_SCORING_CONFIG } from '../../src-shared/domain/lead-scoring';
import type { LeadScorer, ScoredActivity } from '../../src-shared/domain/lead-scoring';
import type { ScoringConfig } from '../../src-shared/domain/automation.schema';
import type { AppDb } from '../db/database';
import { tenants } from '../db/schema/accounts.table';
import { activities } from '../db/schema/activities.table';
import { scoringConfigs } from '../db/schema/automation.table';
import { leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import { queryRows } from '../db/query-rows';
import type { JobContext } from './job-context';
import type { LeadJob } from './queues';

type LeadRow = typeof leads.$inferSelect;

export async function tenantScoringConfig(db: AppDb, tenantId: string): Promise<ScoringConfig> {
  const [row] = await db.select().from(scoringConfigs).where(eq(scoringConfigs.tenantId, tenantId));
  if (!row) return DEFAULT_SCORING_CONFIG(tenantId);
  const { version: _v, ...config } = row;
  return config;
}

async function leadActivities(db: AppDb, tenantId: string, leadIds: readonly string[]): Promise<Map<string, ScoredActivity[]>> {
  const byLead = new Map<string, ScoredActivity[]>();
  if (leadIds.length === 0) return byLead;
  const rows = await db
    .select({ leadId: activities.entityId, kind: activities.kind, occurredAt: activities.occurredAt })
    .from(activities)
    .where(and(eq(activities.tenantId, tenantId), eq(activities.entityType, 'lead'), inArray(activities.entityId, [...leadIds])));
  for (const r of rows) {
    const list = byLead.get(r.leadId) ?? [];
    list.push({ kind: r.kind, occurredAt: r.occurredAt });
    byLead.set(r.leadId, list);
  }
  return byLead;
}

const sameScore = (lead: Pick<LeadRow, 'score' | 'scoreFactors'>, score: number, factors: unknown) =>
  lead.score === score && JSON.stringify(lead.scoreFactors) === JSON.stringify(factors);

export type RescoreResult = 'rescored' | 'unchanged' | 'missing';

/**
 * Recomputes one lead's score from its fields, its activities and the tenant's scoring config. Writes (with a new
 * change version) only when the score or its explanation changed, so running it twice changes nothing the second
 * time. The score is derived data: it is not audited and does not touch `updatedAt` (which retention reads).
 */
export async function rescoreLead(ctx: Pick<JobContext, 'db' | 'clock'>, job: LeadJob): Promise<RescoreResult> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(and(eq(leads.id, job.leadId), eq(leads.tenantId, job.tenantId))).for('update');
    if (!lead || lead.archived) return 'missing';
    const scorer = compileScoring(await tenantScoringConfig(tx, job.tenantId));
    const acts = (await leadActivities(tx, job.tenantId, [lead.id])).get(lead.id) ?? [];
    const { score, factors } = scorer(lead, acts, now);
    if (sameScore(lead, score, factors)) return 'unchanged';
    const version = await nextVersion(tx, job.tenantId);
    await tx.update(leads).set({ score, scoreFactors: factors, version }).where(eq(leads.id, lead.id));
    return 'rescored';
  });
}

export interface DecaySummary {
  tenants: number;
  scanned: number;
  changed: number;
}

/**
 * Rescores every non-archived lead of every tenant, in batches of `batchSize` (one transaction and one change
 * version per batch, the scorer compiled once per tenant). A lead changed by someone else between the read and the
 * write keeps that change: the write is conditional on the version read, and that change's own rescore job follows.
 */
export async function decayAllLeads(ctx: Pick<JobContext, 'db' | 'clock'>, batchSize = 1000): Promise<DecaySummary> {
  const now = ctx.clock.now();
  const summary: DecaySummary = { tenants: 0, scanned: 0, changed: 0 };
  const tenantRows = await ctx.db.select({ id: tenants.id }).from(tenants).orderBy(asc(tenants.id));
  for (const { id: tenantId } of tenantRows) {
    summary.tenants++;
    const scorer = compileScoring(await tenantScoringConfig(ctx.db, tenantId));
    let after = '';
    for (;;) {
      const batch = await ctx.db
        .select()
        .from(leads)
        .where(and(eq(leads.tenantId, tenantId), eq(leads.archived, false), gt(leads.id, after)))
        .orderBy(asc(leads.id))
        .limit(batchSize);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      summary.scanned += batch.length;
      summary.changed += await rescoreBatch(ctx.db, tenantId, batch, scorer, now);
      if (batch.length < batchSize) break;
    }
  }
  return summary;
}

async function rescoreBatch(db: AppDb, tenantId: string, batch: LeadRow[], scorer: LeadScorer, now: number): Promise<number> {
  const acts = await leadActivities(db, tenantId, batch.map((l) => l.id));
  const changes: { id: string; readVersion: number; score: number; factors: unknown }[] = [];
  for (const lead of batch) {
    const { score, factors } = scorer(lead, acts.get(lead.id) ?? [], now);
    if (!sameScore(lead, score, factors)) changes.push({ id: lead.id, readVersion: lead.version, score, factors });
  }
  if (changes.length === 0) return 0;
  return db.transaction(async (tx) => {
    const version = await nextVersion(tx, tenantId);
    // One statement for the whole batch: the new scores travel as a JSON array.
    const updated = await queryRows<{ id: string }>(tx, sql`
      UPDATE ${leads} SET score = v.score, score_factors = v.factors, version = ${version}
      FROM jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) AS v(id text, "readVersion" bigint, score integer, factors jsonb)
      WHERE ${leads.id} = v.id AND ${leads.tenantId} = ${tenantId} AND ${leads.version} = v."readVersion"
      RETURNING ${leads.id}`);
    return updated.length;
  });
}
