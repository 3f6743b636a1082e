// Lead distribution job: gives an unowned lead an owner (or a team) by the tenant's rules, once, with an alert.
import { and, asc, count, eq, gte, isNotNull, isNull, lt, notInArray, sql } from 'drizzle-orm';
import { DAY_MS } from '../../src-shared/domain/common.schema';
import { distributeLead } from '../../src-shared/domain/lead-distribution';
import type { DistributionAssignment } from '../../src-shared/domain/lead-distribution';
import type { AppDb } from '../db/database';
import { teams, users } from '../db/schema/accounts.table';
import { distributionRules } from '../db/schema/automation.table';
import { distributionCursors, leadDistributions } from '../db/schema/jobs.table';
import { leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import { writeAudit } from '../audit/audit-log';
import { insertNotifications } from '../notifications/notifications.repo';
import type { NotificationDraft } from '../notifications/notifications.repo';
import type { JobContext } from './job-context';
import type { LeadJob } from './queues';
import { tenantSettings } from './tenant-settings';

const TERMINAL = ['CONVERTED', 'DISQUALIFIED'] as const;

export type DistributionResult =
  /** The rules decided: a user, a team, or left unassigned (the fallback). */
  | { kind: 'decided'; assignment: DistributionAssignment }
  /** Decided before (a retry or a duplicate job): nothing changed. */
  | { kind: 'alreadyDecided' }
  /** The lead has an owner, is closed or archived, or does not exist: nothing to distribute. */
  | { kind: 'skipped'; reason: string };

async function openLeadCounts(tx: AppDb, tenantId: string): Promise<Record<string, number>> {
  const rows = await tx
    .select({ ownerId: leads.ownerId, n: count() })
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.archived, false), isNotNull(leads.ownerId), notInArray(leads.status, [...TERMINAL])))
    .groupBy(leads.ownerId);
  return Object.fromEntries(rows.map((r) => [r.ownerId!, Number(r.n)]));
}

/**
 * Distributes one lead. Runs under a per-tenant advisory lock so that concurrent jobs see each other's assignments
 * (open-lead counts, round-robin cursors). Records its decision in `lead_distributions` in the same transaction as
 * the assignment, and does nothing when a decision exists or the lead already has an owner: never twice.
 */
export async function distributeLeadJob(ctx: Pick<JobContext, 'db' | 'clock' | 'newId'>, job: LeadJob): Promise<DistributionResult> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`distribution:${job.tenantId}`}))`);
    const [decided] = await tx.select({ leadId: leadDistributions.leadId }).from(leadDistributions).where(eq(leadDistributions.leadId, job.leadId));
    if (decided) return { kind: 'alreadyDecided' };
    const [lead] = await tx.select().from(leads).where(and(eq(leads.id, job.leadId), eq(leads.tenantId, job.tenantId))).for('update');
    if (!lead) return { kind: 'skipped', reason: 'no such lead' };
    const skip = lead.ownerId !== null ? 'the lead already has an owner'
      : lead.archived ? 'the lead is archived'
      : (TERMINAL as readonly string[]).includes(lead.status) ? `the lead is ${lead.status}`
      : null;
    if (skip) {
      await tx.insert(leadDistributions).values({ leadId: lead.id, tenantId: lead.tenantId, outcome: 'skipped', assigneeId: null, reason: skip, decidedAt: now });
      return { kind: 'skipped', reason: skip };
    }

    const settings = await tenantSettings(tx, job.tenantId);
    const rules = await tx.select().from(distributionRules).where(and(eq(distributionRules.tenantId, job.tenantId), eq(distributionRules.active, true)));
    const tenantUsers = await tx.select({ id: users.id, active: users.active, capacity: users.capacity, teamId: users.teamId }).from(users).where(eq(users.tenantId, job.tenantId));
    const tenantTeams = await tx.select({ id: teams.id, managerId: teams.managerId, name: teams.name }).from(teams).where(eq(teams.tenantId, job.tenantId));
    const cursorRows = await tx.select().from(distributionCursors).where(eq(distributionCursors.tenantId, job.tenantId));
    const cursors = Object.fromEntries(cursorRows.map((c) => [c.ruleId, c.cursor]));

    const outcome = distributeLead(lead, {
      rules: rules.map(({ version: _v, ...r }) => r),
      users: tenantUsers,
      openLeadCounts: await openLeadCounts(tx, job.tenantId),
      cursors,
      fallback: settings?.distributionFallback ?? { kind: 'unassigned' },
      teams: tenantTeams,
    });
    const assignment = outcome.assignment;

    const version = await nextVersion(tx, job.tenantId);
    for (const [ruleId, cursor] of Object.entries(outcome.cursors)) {
      if (cursors[ruleId] === cursor) continue;
      await tx
        .insert(distributionCursors)
        .values({ tenantId: job.tenantId, ruleId, cursor })
        .onConflictDoUpdate({ target: [distributionCursors.tenantId, distributionCursors.ruleId], set: { cursor } });
    }

    const ownerId = assignment.kind === 'user' ? assignment.userId : null;
    const teamId = assignment.kind === 'user' ? (tenantUsers.find((u) => u.id === assignment.userId)?.teamId ?? null)
      : assignment.kind === 'team' ? assignment.teamId
      : lead.teamId;
    if (ownerId !== lead.ownerId || teamId !== lead.teamId) {
      await tx.update(leads).set({ ownerId, teamId, updatedAt: now, version }).where(eq(leads.id, lead.id));
      await writeAudit(tx, ctx, {
        tenantId: job.tenantId,
        actorId: null,
        entityType: 'lead',
        entityId: lead.id,
        action: 'assign',
        before: { ownerId: lead.ownerId, teamId: lead.teamId },
        after: { ownerId, teamId, reason: assignment.reason },
        version,
      });
    }
    await tx.insert(leadDistributions).values({
      leadId: lead.id,
      tenantId: job.tenantId,
      outcome: assignment.kind,
      assigneeId: assignment.kind === 'user' ? assignment.userId : assignment.kind === 'team' ? assignment.teamId : null,
      reason: assignment.reason,
      decidedAt: now,
    });

    const name = `${lead.firstName} ${lead.lastName}`.trim() || lead.email || 'a new lead';
    const about = [lead.companyName, lead.source && `via ${lead.source}`].filter(Boolean).join(', ');
    const drafts: NotificationDraft[] = [];
    if (assignment.kind === 'user') {
      drafts.push({ tenantId: job.tenantId, userId: assignment.userId, kind: 'assignment', title: `New lead assigned to you: ${name}`, body: about || null, entityType: 'lead', entityId: lead.id });
    } else if (assignment.kind === 'team') {
      // A lead left in a team's queue is the team manager's to hand out.
      const managerId = tenantTeams.find((t) => t.id === assignment.teamId)?.managerId;
      if (managerId) drafts.push({ tenantId: job.tenantId, userId: managerId, kind: 'assignment', title: `New lead in your team's queue: ${name}`, body: about || null, entityType: 'lead', entityId: lead.id });
    }
    await insertNotifications(tx, drafts, { now, version, newId: ctx.newId });
    return { kind: 'decided', assignment };
  });
}

/** How far back the sweep looks: a missed enqueue is a recent event, and older unowned leads are someone's choice. */
export const SWEEP_WINDOW_MS = 7 * DAY_MS;

/**
 * Unowned open leads with no distribution decision, created in the week before `olderThan` (leaving fresh ones to
 * the job their capture enqueued): what a crash between a commit and its enqueue would leave behind.
 */
export async function undistributedLeads(db: AppDb, olderThan: number, limit = 500): Promise<{ tenantId: string; leadId: string }[]> {
  const rows = await db
    .select({ tenantId: leads.tenantId, leadId: leads.id })
    .from(leads)
    .leftJoin(leadDistributions, eq(leadDistributions.leadId, leads.id))
    .where(and(isNull(leads.ownerId), eq(leads.archived, false), notInArray(leads.status, [...TERMINAL]), lt(leads.createdAt, olderThan), gte(leads.createdAt, olderThan - SWEEP_WINDOW_MS), isNull(leadDistributions.leadId)))
    .orderBy(asc(leads.createdAt))
    .limit(limit);
  return rows;
}
