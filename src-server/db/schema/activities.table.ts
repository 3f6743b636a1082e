// Timeline activities, notifications and the audit log in the tenant database.
import { pgTable, text, index } from 'drizzle-orm/pg-core';
import { id, ref, instant, json, rowVersion } from './columns';

export const activities = pgTable('activities', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  entityType: text('entity_type', { enum: ['lead', 'deal', 'contact', 'company'] }).notNull(),
  entityId: ref('entity_id').notNull(),
  kind: text('kind', { enum: ['call', 'email', 'meeting', 'note', 'task'] }).notNull(),
  subject: text('subject').notNull(),
  body: text('body'),
  occurredAt: instant('occurred_at').notNull(),
  dueAt: instant('due_at'),
  doneAt: instant('done_at'),
  ownerId: ref('owner_id'),
  createdAt: instant('created_at').notNull(),
  version: rowVersion(),
}, (t) => [index('activities_entity_idx').on(t.tenantId, t.entityType, t.entityId, t.occurredAt), index('activities_tasks_idx').on(t.tenantId, t.ownerId, t.kind, t.dueAt), index('activities_version_idx').on(t.tenantId, t.version)]);

export const notifications = pgTable('notifications', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  userId: ref('user_id').notNull(),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body'),
  entityType: text('entity_type'),
  entityId: ref('entity_id'),
  readAt: instant('read_at'),
  createdAt: instant('created_at').notNull(),
  version: rowVersion(),
}, (t) => [index('notifications_user_idx').on(t.tenantId, t.userId, t.readAt, t.createdAt), index('notifications_version_idx').on(t.tenantId, t.version)]);

export const auditLog = pgTable('audit_log', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  actorId: ref('actor_id'),
  entityType: text('entity_type').notNull(),
  entityId: ref('entity_id').notNull(),
  action: text('action').notNull(),
  before: json<Record<string, unknown>>('before'),
  after: json<Record<string, unknown>>('after'),
  at: instant('at').notNull(),
  version: rowVersion(),
}, (t) => [index('audit_log_entity_idx').on(t.tenantId, t.entityType, t.entityId, t.at), index('audit_log_version_idx').on(t.tenantId, t.version)]);
