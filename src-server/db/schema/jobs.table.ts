// Server-only bookkeeping of the background jobs (never replicated): distribution cursors and decisions, nurture progress.
import { pgTable, integer, text, index, primaryKey } from 'drizzle-orm/pg-core';
import { ref, instant } from './columns';

/** Per round-robin distribution rule: index into its memberIds of the next member to try. */
export const distributionCursors = pgTable('distribution_cursors', {
  tenantId: ref('tenant_id').notNull(),
  ruleId: ref('rule_id').notNull(),
  cursor: integer('cursor').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.ruleId] })]);

/**
 * One row per lead the distribution job has decided, whatever the outcome (user, team or left unassigned), so a
 * retried or duplicated job never distributes a lead twice and the sweep knows which unowned leads it has not seen.
 */
export const leadDistributions = pgTable('lead_distributions', {
  leadId: ref('lead_id').primaryKey(),
  tenantId: ref('tenant_id').notNull(),
  outcome: text('outcome', { enum: ['user', 'team', 'unassigned', 'skipped'] }).notNull(),
  assigneeId: ref('assignee_id'),
  reason: text('reason').notNull(),
  decidedAt: instant('decided_at').notNull(),
}, (t) => [index('lead_distributions_tenant_idx').on(t.tenantId)]);

/** What an enrollment started from: the lead's status then, so a later status change stops it. */
export const nurtureEnrollmentOrigins = pgTable('nurture_enrollment_origins', {
  enrollmentId: ref('enrollment_id').primaryKey(),
  tenantId: ref('tenant_id').notNull(),
  leadStatus: text('lead_status').notNull(),
});

/**
 * The marker of a nurture step carried out, written in the same transaction that advances the enrollment past it;
 * a step whose marker exists is never carried out again.
 */
export const nurtureStepRuns = pgTable('nurture_step_runs', {
  enrollmentId: ref('enrollment_id').notNull(),
  stepIndex: integer('step_index').notNull(),
  tenantId: ref('tenant_id').notNull(),
  outcome: text('outcome', { enum: ['emailSent', 'taskCreated', 'skipped'] }).notNull(),
  /** The email's Message-ID, or the created task's activity id. */
  ref: text('ref'),
  detail: text('detail'),
  at: instant('at').notNull(),
}, (t) => [primaryKey({ columns: [t.enrollmentId, t.stepIndex] })]);
