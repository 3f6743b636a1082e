// The audit methods: a record's change history.
import { z } from 'zod';
import { defineMethods } from './contract';
import { AuditEntry, EntityType } from '../domain/activities.schema';
import { Id, Instant } from '../domain/common.schema';

export const AUDIT_API = defineMethods({
  'audit.history': {
    input: z.object({ entityType: EntityType, entityId: Id, before: Instant.optional(), limit: z.number().int().min(1).max(1000).default(200) }),
    /** Newest first; a lead's history includes the history of the leads merged into it. */
    output: z.array(AuditEntry),
  },
});
