// The per-field merge of a pushed mutation, run in its transaction before the mutator: conflict records for the
// high-risk fields both sides changed, and for edits of records the server has deleted.
import { and, desc, eq } from 'drizzle-orm';
import type { Mutator, MutatorEnv } from '../../src-shared/mutators/mutator';
import { MERGE_RULES, mergeMutation } from '../../src-shared/sync/merge-rules';
import type { FieldConflict, MergeTable } from '../../src-shared/sync/merge-rules';
import type { Conflict } from '../../src-shared/sync/conflicts.schema';
import type { SyncMutation } from '../../src-shared/sync/sync-protocol';
import type { AppDb } from '../db/database';
import { auditLog } from '../db/schema/activities.table';
import { syncTombstones } from '../db/schema/sync.table';
import type { PgMutationTx } from './pg-mutation-tx';

export interface MergeResult {
  /** The args to run; null when nothing is left to run. */
  args: unknown;
  /** Conflict records to insert once the mutation has applied. */
  conflicts: Conflict[];
}

const ENTITY: Record<MergeTable, 'lead' | 'deal'> = { leads: 'lead', deals: 'deal' };

/** Who last set `field` of the record, from its audit entries (null when none says). */
async function lastWriterOf(tx: AppDb, tenantId: string, entityType: string, entityId: string, field: string): Promise<string | null> {
  const entries = await tx
    .select({ actorId: auditLog.actorId, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(desc(auditLog.version), desc(auditLog.at))
    .limit(50);
  return entries.find((e) => e.after !== null && field in e.after)?.actorId ?? null;
}

async function deletedOnServer(tx: AppDb, tenantId: string, table: MergeTable, id: string): Promise<boolean> {
  const [row] = await tx.select({ v: syncTombstones.version }).from(syncTombstones)
    .where(and(eq(syncTombstones.tenantId, tenantId), eq(syncTombstones.tableName, table), eq(syncTombstones.rowId, id)));
  return row !== undefined;
}

/**
 * Merges `m` (already validated as `args` for `mutator`) against the rows it targets. Mutations without a merge
 * rule, or pushed without a base, run as they are (server order).
 */
export async function mergeStep(tx: AppDb, mtx: PgMutationTx, env: MutatorEnv, mutator: Mutator, m: SyncMutation, args: unknown): Promise<MergeResult> {
  const rule = MERGE_RULES[mutator.name];
  if (!rule) return { args, conflicts: [] };
  const rows = new Map<string, Record<string, unknown>>();
  const conflicts: Conflict[] = [];
  const entityType = ENTITY[rule.table];
  const record = (c: FieldConflict, kind: Conflict['kind'], serverUserId: string | null): Conflict => ({
    id: env.newId(), tenantId: env.actor.tenantId, entityType, entityId: c.id, kind, field: c.field,
    baseValue: c.base, serverValue: c.server, clientValue: c.client, clientUserId: env.actor.userId, serverUserId,
    mutationName: mutator.name, status: 'open', resolution: null, resolvedBy: null, resolvedAt: null, createdAt: env.now,
  });
  for (const target of rule.targets(args)) {
    const row = await mtx.get(rule.table, target.id);
    if (row) {
      rows.set(target.id, row as unknown as Record<string, unknown>);
    } else if (m.base?.[target.id] && (await deletedOnServer(tx, env.actor.tenantId, rule.table, target.id))) {
      // Edited offline, deleted on the server: the delete wins, and the editor learns of it.
      conflicts.push(record({ id: target.id, field: '', base: null, server: null, client: target.fields }, 'deleted', null));
    }
  }
  const merged = mergeMutation(rule, args, m.base, (id) => rows.get(id));
  for (const c of merged.conflicts) {
    conflicts.push(record(c, 'field', await lastWriterOf(tx, env.actor.tenantId, entityType, c.id, c.field)));
  }
  return { args: merged.args, conflicts };
}
