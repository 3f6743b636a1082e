// Scoring configuration, distribution rules and nurture sequences/enrollments in the tenant database.
import { pgTable, text, integer, index } from 'drizzle-orm/pg-core';
import type { EngagementRule, FitRule, LeadFieldFilter, NurtureStep, ScoringConfig } from '../../../src-shared/domain/automation.schema';
import type { LeadStatus } from '../../../src-shared/domain/leads.schema';
import { id, ref, instant, bool, json, rowVersion } from './columns';

export const scoringConfigs = pgTable('scoring_configs', {
  tenantId: ref('tenant_id').primaryKey(),
  configVersion: integer('config_version').notNull(),
  fitRules: json<FitRule[]>('fit_rules').notNull(),
  engagementRules: json<EngagementRule[]>('engagement_rules').notNull(),
  engagementHalfLifeDays: integer('engagement_half_life_days').notNull(),
  maxEngagementPoints: integer('max_engagement_points').notNull(),
  predictive: json<ScoringConfig['predictive']>('predictive').notNull(),
  version: rowVersion(),
});

export const distributionRules = pgTable('distribution_rules', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  active: bool('active').notNull(),
  filters: json<LeadFieldFilter[]>('filters').notNull(),
  method: text('method', { enum: ['roundRobin', 'leastBusy', 'capacityWeighted'] }).notNull(),
  memberIds: json<string[]>('member_ids').notNull(),
  version: rowVersion(),
}, (t) => [index('distribution_rules_tenant_idx').on(t.tenantId, t.position)]);

export const nurtureSequences = pgTable('nurture_sequences', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  active: bool('active').notNull(),
  enrollStatuses: json<LeadStatus[]>('enroll_statuses').notNull(),
  enrollFilters: json<LeadFieldFilter[]>('enroll_filters').notNull(),
  steps: json<NurtureStep[]>('steps').notNull(),
  version: rowVersion(),
}, (t) => [index('nurture_sequences_tenant_idx').on(t.tenantId)]);

export const nurtureEnrollments = pgTable('nurture_enrollments', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  sequenceId: ref('sequence_id').notNull(),
  leadId: ref('lead_id').notNull(),
  stepIndex: integer('step_index').notNull(),
  status: text('status', { enum: ['active', 'stopped', 'completed'] }).notNull(),
  stopReason: text('stop_reason', { enum: ['replied', 'statusChanged', 'converted', 'manual'] }),
  nextRunAt: instant('next_run_at'),
  enrolledAt: instant('enrolled_at').notNull(),
  version: rowVersion(),
}, (t) => [index('nurture_enrollments_lead_idx').on(t.tenantId, t.leadId), index('nurture_enrollments_due_idx').on(t.status, t.nextRunAt), index('nurture_enrollments_version_idx').on(t.tenantId, t.version)]);
