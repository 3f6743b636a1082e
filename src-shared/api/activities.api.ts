// The activities methods: log on a record, list a record's timeline, complete a task.
import { z } from 'zod';
import { defineMethods } from './contract';
import { Activity, ActivityKind } from '../domain/activities.schema';
import { Id, Instant } from '../domain/common.schema';
import { ActivitiesLogArgs } from '../mutators/activities.mutators';

export const ACTIVITIES_API = defineMethods({
  'activities.log': { input: ActivitiesLogArgs.extend({ id: Id.optional() }), output: Activity },
  'activities.list': {
    input: z.object({
      entityType: z.enum(['lead', 'deal', 'contact', 'company']),
      entityId: Id,
      kinds: z.array(ActivityKind).max(5).optional(),
      openTasksOnly: z.boolean().default(false),
      /** Newest first; pass the last row's occurredAt to page on. */
      before: Instant.optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.array(Activity),
  },
  'activities.complete': { input: z.object({ id: Id, done: z.boolean().default(true) }), output: Activity },
});
