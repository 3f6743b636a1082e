// Readable words for notifications: the kind, where clicking one leads, and the order they are listed in.
import type { Notification, NotificationKind } from '../../src-shared/domain/activities.schema';
import { fieldLabel, mutationLabel } from '../sync/conflict-format';

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
  return `${n.readAt === null ? 'Unread ' : ''}${n.readAt === null ? kindLabel(n.kind).toLowerCase() : kindLabel(n.kind)}: ${notificationTitle(n)}`;
}

/**
 * The title in words. The server names refusals and conflicts by their code ("Not applied: leads.qualify",
 * "Conflicting change of lead ownerId"); those read as "Qualify lead was refused", "Conflicting change of a lead’s
 * owner". Any other title is shown as written.
 */
export function notificationTitle(n: Pick<Notification, 'kind' | 'title'>): string {
  if (n.kind === 'mutation.refused') {
    const m = /^Not applied: ([\w.]+)$/.exec(n.title);
    if (m) return `${mutationLabel(m[1]!)} was refused`;
  }
  if (n.kind === 'conflict') {
    const m = /^Conflicting change of (lead|deal) (\w+)$/.exec(n.title);
    if (m) return m[2] === 'record' ? `Conflicting change of a ${m[1]}` : `Conflicting change of a ${m[1]}’s ${fieldLabel(m[2]!).toLowerCase()}`;
  }
  return n.title;
}
