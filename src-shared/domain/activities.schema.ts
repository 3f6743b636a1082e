// Timeline activities, per-user notifications and audit entries.
import { z } from 'zod';
import { Id, Instant, ShortText, LongText } from './common.schema';

export const EntityType = z.enum(['lead', 'deal', 'contact', 'company', 'activity', 'pipeline', 'approval', 'user', 'team', 'config']);
export type EntityType = z.infer<typeof EntityType>;

export const ActivityKind = z.enum(['call', 'email', 'meeting', 'note', 'task']);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const Activity = z.object({
  id: Id,
  tenantId: Id,
  entityType: z.enum(['lead', 'deal', 'contact', 'company']),
  entityId: Id,
  kind: ActivityKind,
  subject: ShortText.min(1),
  body: LongText.nullable(),
  /** When it happened (calls, meetings) or was logged. */
  occurredAt: Instant,
  /** Tasks only. */
  dueAt: Instant.nullable(),
  doneAt: Instant.nullable(),
  ownerId: Id.nullable(),
  createdAt: Instant,
});
export type Activity = z.infer<typeof Activity>;

export const NotificationKind = z.enum(['assignment', 'approval.requested', 'approval.decided', 'approval.escalated', 'mutation.refused', 'conflict', 'mention', 'task.due']);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const Notification = z.object({
  id: Id,
  tenantId: Id,
  userId: Id,
  kind: NotificationKind,
  title: ShortText,
  body: z.string().max(2000).nullable(),
  entityType: EntityType.nullable(),
  entityId: Id.nullable(),
  readAt: Instant.nullable(),
  createdAt: Instant,
});
export type Notification = z.infer<typeof Notification>;

export const AuditAction = z.enum(['create', 'update', 'delete', 'merge', 'convert', 'move', 'assign', 'archive', 'decide']);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  id: Id,
  tenantId: Id,
  actorId: Id.nullable(),
  entityType: EntityType,
  entityId: Id,
  action: AuditAction,
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  at: Instant,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
