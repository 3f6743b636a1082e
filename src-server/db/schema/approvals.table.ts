// Approval policies, delegations, requests and their event history in the tenant database.
import { pgTable, text, integer, index } from 'drizzle-orm/pg-core';
import type { ApprovalBinding, ApprovalLevel } from '../../../src-shared/domain/approvals.schema';
import { id, ref, instant, json, rowVersion } from './columns';

export const approvalPolicies = pgTable('approval_policies', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  levels: json<ApprovalLevel[]>('levels').notNull(),
  configVersion: integer('config_version').notNull(),
  version: rowVersion(),
}, (t) => [index('approval_policies_tenant_idx').on(t.tenantId)]);

export const delegations = pgTable('delegations', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  fromUserId: ref('from_user_id').notNull(),
  toUserId: ref('to_user_id').notNull(),
  startsAt: instant('starts_at').notNull(),
  endsAt: instant('ends_at').notNull(),
  version: rowVersion(),
}, (t) => [index('delegations_from_idx').on(t.tenantId, t.fromUserId)]);

export const approvalRequests = pgTable('approval_requests', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  dealId: ref('deal_id').notNull(),
  policyId: ref('policy_id').notNull(),
  requestedBy: ref('requested_by').notNull(),
  binding: json<ApprovalBinding>('binding').notNull(),
  levelIndexes: json<number[]>('level_indexes').notNull(),
  currentStep: integer('current_step').notNull(),
  approverId: ref('approver_id'),
  dueAt: instant('due_at'),
  status: text('status', { enum: ['pending', 'approved', 'rejected', 'voided'] }).notNull(),
  createdAt: instant('created_at').notNull(),
  decidedAt: instant('decided_at'),
  version: rowVersion(),
}, (t) => [index('approval_requests_inbox_idx').on(t.tenantId, t.approverId, t.status), index('approval_requests_deal_idx').on(t.tenantId, t.dealId), index('approval_requests_version_idx').on(t.tenantId, t.version)]);

export const approvalEvents = pgTable('approval_events', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  requestId: ref('request_id').notNull().references(() => approvalRequests.id, { onDelete: 'cascade' }),
  step: integer('step').notNull(),
  kind: text('kind', { enum: ['requested', 'approved', 'rejected', 'escalated', 'reassigned', 'autoApproved', 'autoRejected', 'notified', 'voided'] }).notNull(),
  actorId: ref('actor_id'),
  onBehalfOf: ref('on_behalf_of'),
  comment: text('comment'),
  at: instant('at').notNull(),
  version: rowVersion(),
}, (t) => [index('approval_events_request_idx').on(t.tenantId, t.requestId, t.at), index('approval_events_version_idx').on(t.tenantId, t.version)]);
