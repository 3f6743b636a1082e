// Timeline activities, notifications and the audit log in the desktop store.
import { sqliteTable, text, index } from 'drizzle-orm/sqlite-core';
import { id, ref, instant, json, rowVersion } from './columns';

export const activities = sqliteTable('activities', {
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
}, (t) => [
  // A record's timeline; with the kind included, rescoring reads every lead's activities from this index alone.
  index('activities_entity_idx').on(t.entityType, t.entityId, t.occurredAt, t.kind),
  index('activities_tasks_idx').on(t.ownerId, t.kind, t.dueAt),
]);

export const notifications = sqliteTable('notifications', {
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
}, (t) => [index('notifications_user_idx').on(t.userId, t.readAt, t.createdAt)]);

export const auditLog = sqliteTable('audit_log', {
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
}, (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId, t.at)]);
