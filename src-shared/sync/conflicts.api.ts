// The conflicts methods: the open conflict records the user can see, and resolving one.
import { z } from 'zod';
import { defineMethods } from '../api/contract';
import { Id } from '../domain/common.schema';
import { Conflict } from './conflicts.schema';

export const CONFLICTS_API = defineMethods({
  'conflicts.list': {
    input: z.object({
      /** Only the conflicts of this record. */
      entityId: Id.optional(),
      includeResolved: z.boolean().default(false),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ items: z.array(Conflict) }),
  },
  'conflicts.resolve': {
    input: z.object({ id: Id, keep: z.enum(['server', 'client']) }),
    output: Conflict,
  },
});
