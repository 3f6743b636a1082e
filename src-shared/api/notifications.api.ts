// The notifications methods: the user's alerts (assignments, approvals, refusals) and marking them read.
import { z } from 'zod';
import { defineMethods } from './contract';
import { Notification } from '../domain/activities.schema';
import { Id } from '../domain/common.schema';

export const NOTIFICATIONS_API = defineMethods({
  'notifications.list': {
    input: z.object({ unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(50) }),
    output: z.object({ items: z.array(Notification), unread: z.number().int() }),
  },
  'notifications.markRead': {
    input: z.union([z.object({ ids: z.array(Id).min(1).max(1000) }), z.object({ all: z.literal(true) })]),
    output: z.object({ unread: z.number().int() }),
  },
});
