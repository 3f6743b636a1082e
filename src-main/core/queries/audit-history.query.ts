// A record's audit history, newest first; a lead's includes the history of the leads merged into it.
import type { AuditEntry, EntityType } from '../../../src-shared/domain/activities.schema';
import { prepared } from '../../store/statement-cache';
import type { CoreContext } from '../core-context';

interface Row {
  id: string; tenantId: string; actorId: string | null; entityType: EntityType; entityId: string;
  action: AuditEntry['action']; before: string | null; after: string | null; at: number;
}

const COLUMNS = 'id, tenant_id AS tenantId, actor_id AS actorId, entity_type AS entityType, entity_id AS entityId, action, before, after, at';

/** The ids whose history is this record's: itself and, through merge notes, every lead merged into it. */
function historyIds(ctx: CoreContext, entityType: EntityType, entityId: string): string[] {
  const ids = [entityId];
  if (entityType !== 'lead') return ids;
  const merges = prepared(ctx.store.sqlite, `SELECT json_extract(after, '$.mergedLeadId') AS loser FROM audit_log WHERE tenant_id = ? AND entity_type = 'lead' AND entity_id = ? AND action = 'merge'`);
  for (let i = 0; i < ids.length && ids.length < 1000; i++) {
    for (const { loser } of merges.all(ctx.actor().tenantId, ids[i]) as { loser: string | null }[]) if (loser && !ids.includes(loser)) ids.push(loser);
  }
  return ids;
}

export function auditHistory(ctx: CoreContext, q: { entityType: EntityType; entityId: string; before?: number | undefined; limit: number }): AuditEntry[] {
  const ids = historyIds(ctx, q.entityType, q.entityId);
  const rows = prepared(ctx.store.sqlite, `SELECT ${COLUMNS} FROM audit_log
    WHERE tenant_id = ? AND entity_type = ? AND entity_id IN (SELECT value FROM json_each(?)) AND at < ?
    ORDER BY at DESC, id DESC LIMIT ?`).all(ctx.actor().tenantId, q.entityType, JSON.stringify(ids), q.before ?? Number.MAX_SAFE_INTEGER, q.limit) as Row[];
  return rows.map((r) => ({ ...r, before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after) }));
}
