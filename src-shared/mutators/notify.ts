// Writes an in-app notification row inside a mutation (assignment and approval alerts).
import type { Notification } from '../domain/activities.schema';
import type { MutatorEnv } from './mutator';
import type { MutationTx } from './mutation-tx';

export type NotificationDraft = Pick<Notification, 'userId' | 'kind' | 'title'> & Partial<Pick<Notification, 'body' | 'entityType' | 'entityId'>>;

/** Notifies a user, unless they are the actor (nobody needs an alert about what they just did). */
export async function notify(tx: MutationTx, env: MutatorEnv, draft: NotificationDraft): Promise<void> {
  if (draft.userId === env.actor.userId) return;
  await tx.insert('notifications', {
    id: env.newId(),
    tenantId: env.actor.tenantId,
    userId: draft.userId,
    kind: draft.kind,
    title: draft.title,
    body: draft.body ?? null,
    entityType: draft.entityType ?? null,
    entityId: draft.entityId ?? null,
    readAt: null,
    createdAt: env.now,
  });
}
