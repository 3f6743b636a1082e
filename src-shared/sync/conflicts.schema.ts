// A conflict record: the same high-risk field changed on the server and offline, kept for both reps to resolve.
import { z } from 'zod';
import { Id, Instant } from '../domain/common.schema';

export const ConflictKind = z.enum([
  /** Both sides changed the same high-risk field: the server's value stands until someone resolves. */
  'field',
  /** The record was deleted on the server while a desktop edited it offline: the delete wins. */
  'deleted',
]);
export type ConflictKind = z.infer<typeof ConflictKind>;

export const Conflict = z.object({
  id: Id,
  tenantId: Id,
  entityType: z.enum(['lead', 'deal']),
  entityId: Id,
  kind: ConflictKind,
  /** The field both sides changed (`''` for a deleted record). */
  field: z.string().max(64),
  /** What the offline editor saw before changing it. */
  baseValue: z.unknown(),
  /** What the server holds (the other change). */
  serverValue: z.unknown(),
  /** What the offline editor wanted. */
  clientValue: z.unknown(),
  /** Who made the offline change. */
  clientUserId: Id,
  /** Who made the server's change, when the audit log says. */
  serverUserId: Id.nullable(),
  mutationName: z.string().max(100),
  status: z.enum(['open', 'resolved']),
  resolution: z.enum(['server', 'client']).nullable(),
  resolvedBy: Id.nullable(),
  resolvedAt: Instant.nullable(),
  createdAt: Instant,
});
export type Conflict = z.infer<typeof Conflict>;
