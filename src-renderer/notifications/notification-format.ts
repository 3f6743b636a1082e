// Readable words for notifications: the kind, where clicking one leads, and the order they are listed in.
import type { Notification, NotificationKind } from '../../src-shared/domain/activities.schema';

export const KIND_LABELS: Record<NotificationKind, string> = {
  assignment: 'Assignment',
  'approval.requested': 'Approval request',
  'approval.decided': 'Approval decision',
  'approval.escalated': 'Approval escalated',
  'mutation.refused': 'Refused change',
  conflict: 'Conflict',
  mention: 'Mention',
  'task.due': 'Task due',
};

export const kindLabel = (kind: NotificationKind): string => KIND_LABELS[kind];

/** Where clicking a notification takes the user: the related lead, or nowhere (no screen for the others yet). */
export function notificationTarget(n: Pick<Notification, 'entityType' | 'entityId'>): { name: 'lead'; id: string } | null {
  return n.entityType === 'lead' && n.entityId !== null ? { name: 'lead', id: n.entityId } : null;
}

/** Newest first; equal times by id (UUIDv7 ids grow with time), so the order is stable. */
export function newestFirst<T extends Pick<Notification, 'id' | 'createdAt'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** The accessible name of a notification's row: "Unread assignment: A lead was assigned to you". */
export function notificationLabel(n: Pick<Notification, 'kind' | 'title' | 'readAt'>): string {
  return `${n.readAt === null ? 'Unread ' : ''}${n.readAt === null ? kindLabel(n.kind).toLowerCase() : kindLabel(n.kind)}: ${n.title}`;
}
