// How replicated rows map onto the desktop store: the entity codecs, plus the audit log's, with the sync `version`.
import type { ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import type { TableName } from '../../src-shared/mutators/mutation-tx';
import { codecOf, TableCodec } from '../store/entity-codecs';
import { auditLog } from '../store/schema/activities.table';

let auditCodec: TableCodec<unknown> | null = null;

/** The codec of any replicated table (the audit log is not an entity table, but maps the same way). */
export function replicaCodec(table: ReplicatedTable): TableCodec<unknown> {
  if (table === 'audit_log') return (auditCodec ??= new TableCodec<unknown>('audit_log' as TableName, auditLog));
  return codecOf(table) as TableCodec<unknown>;
}
