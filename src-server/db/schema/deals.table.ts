// Pipelines, stages, transition rules, deals, stage history and win/loss reasons in the tenant database.
import { pgTable, bigint, text, integer, doublePrecision, index } from 'drizzle-orm/pg-core';
import type { DealRequirableField, PipelineAccess } from '../../../src-shared/domain/deals.schema';
import { id, ref, instant, bool, json, rowVersion } from './columns';

export const pipelines = pgTable('pipelines', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  configVersion: integer('config_version').notNull(),
  currency: text('currency').notNull(),
  transitionMode: text('transition_mode', { enum: ['any', 'rules'] }).notNull(),
  access: json<PipelineAccess>('access').notNull(),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: rowVersion(),
}, (t) => [index('pipelines_tenant_idx').on(t.tenantId, t.position)]);

export const stages = pgTable('stages', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  pipelineId: ref('pipeline_id').notNull().references(() => pipelines.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  probability: integer('probability').notNull(),
  kind: text('kind', { enum: ['open', 'won', 'lost'] }).notNull(),
  rottingDays: integer('rotting_days'),
  requiredFields: json<DealRequirableField[]>('required_fields').notNull(),
  approvalPolicyId: ref('approval_policy_id'),
  fold: bool('fold').notNull(),
  version: rowVersion(),
}, (t) => [index('stages_pipeline_idx').on(t.tenantId, t.pipelineId, t.position)]);

export const stageTransitionRules = pgTable('stage_transition_rules', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  pipelineId: ref('pipeline_id').notNull().references(() => pipelines.id, { onDelete: 'cascade' }),
  fromStageId: ref('from_stage_id'),
  toStageId: ref('to_stage_id').notNull(),
  effect: text('effect', { enum: ['allow', 'deny'] }).notNull(),
  version: rowVersion(),
}, (t) => [index('stage_transition_rules_pipeline_idx').on(t.tenantId, t.pipelineId)]);

export const deals = pgTable('deals', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  amountMinor: bigint('amount_minor', { mode: 'number' }),
  currency: text('currency').notNull(),
  discountPct: doublePrecision('discount_pct'),
  pipelineId: ref('pipeline_id').notNull(),
  stageId: ref('stage_id').notNull(),
  status: text('status', { enum: ['open', 'won', 'lost'] }).notNull(),
  ownerId: ref('owner_id'),
  teamId: ref('team_id'),
  companyId: ref('company_id'),
  contactId: ref('contact_id'),
  leadId: ref('lead_id'),
  expectedCloseDate: text('expected_close_date'),
  probability: integer('probability').notNull(),
  nextStep: text('next_step'),
  wonLostReasonId: ref('won_lost_reason_id'),
  wonLostNote: text('won_lost_note'),
  stageEnteredAt: instant('stage_entered_at').notNull(),
  closedAt: instant('closed_at'),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: rowVersion(),
}, (t) => [
  index('deals_board_idx').on(t.tenantId, t.pipelineId, t.stageId, t.stageEnteredAt),
  index('deals_owner_idx').on(t.tenantId, t.ownerId, t.status),
  index('deals_team_idx').on(t.tenantId, t.teamId, t.status),
  index('deals_lead_idx').on(t.tenantId, t.leadId),
  index('deals_created_idx').on(t.tenantId, t.createdAt),
  // Sync pulls read the changes since a version.
  index('deals_version_idx').on(t.tenantId, t.version),
]);

export const stageHistory = pgTable('stage_history', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  dealId: ref('deal_id').notNull().references(() => deals.id, { onDelete: 'cascade' }),
  pipelineId: ref('pipeline_id').notNull(),
  stageId: ref('stage_id').notNull(),
  enteredAt: instant('entered_at').notNull(),
  exitedAt: instant('exited_at'),
  actorId: ref('actor_id'),
  version: rowVersion(),
}, (t) => [index('stage_history_deal_idx').on(t.tenantId, t.dealId, t.enteredAt), index('stage_history_version_idx').on(t.tenantId, t.version)]);

export const winLossReasons = pgTable('win_loss_reasons', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  kind: text('kind', { enum: ['won', 'lost'] }).notNull(),
  label: text('label').notNull(),
  active: bool('active').notNull(),
  version: rowVersion(),
}, (t) => [index('win_loss_reasons_tenant_idx').on(t.tenantId, t.kind)]);
