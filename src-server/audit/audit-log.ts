// Appends an audit entry (actor, before/after) in the same transaction as the change it records.
import type { AuditAction, EntityType } from '../../src-shared/domain/activities.schema';
import type { ServerContext } from '../app/server-context';
import type { AppDb } from '../db/database';
import { auditLog } from '../db/schema/activities.table';

export interface AuditEntry {
  tenantId: string;
  actorId: string | null;
  entityType: EntityType;
  entityId: string;
  action: AuditAction;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** The change version of the transaction (from nextVersion). */
  version: number;
}

export async function writeAudit(tx: AppDb, ctx: Pick<ServerContext, 'clock' | 'newId'>, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({ id: ctx.newId(), at: ctx.clock.now(), ...entry });
}

/** Only the fields that changed, for compact before/after records. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T, keys: readonly (keyof T)[]): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of keys) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k as string] = before[k];
      a[k as string] = after[k];
    }
  }
  return { before: b, after: a };
}
