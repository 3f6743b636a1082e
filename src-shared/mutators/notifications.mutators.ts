// Notification writes: mark one's own notifications read.
import { z } from 'zod';
import { AppError, ErrorCode } from '../api/errors';
import { Id } from '../domain/common.schema';
import { defineMutator } from './mutator';

export const notificationsMarkRead = defineMutator({
  name: 'notifications.markRead',
  args: z.union([z.object({ ids: z.array(Id).min(1).max(1000) }), z.object({ all: z.literal(true) })]),
  async run(tx, a, env) {
    if ('all' in a) {
      for (const n of await tx.find('notifications', { userId: env.actor.userId, readAt: null })) await tx.update('notifications', n.id, { readAt: env.now });
      return;
    }
    for (const id of new Set(a.ids)) {
      const n = await tx.get('notifications', id);
      // Someone else's notification is not there for this user at all.
      if (!n || n.userId !== env.actor.userId) throw new AppError(ErrorCode.NOT_FOUND, `notification ${id} not found`);
      if (n.readAt === null) await tx.update('notifications', n.id, { readAt: env.now });
    }
  },
});
