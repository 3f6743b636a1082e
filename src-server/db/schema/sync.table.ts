// The server's sync tables: conflict records (replicated), each client's mutation progress, refusals, deletes, horizon.
import { bigint, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { ErrorBody } from '../../../src-shared/api/errors';
import { id, instant, json, ref, rowVersion } from './columns';

/** Conflict records (src-shared/sync/conflicts.schema.ts); replicated to everyone who sees the record or took part. */
export const conflicts = pgTable('conflicts', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  entityType: text('entity_type', { enum: ['lead', 'deal'] }).notNull(),
  entityId: ref('entity_id').notNull(),
  kind: text('kind', { enum: ['field', 'deleted'] }).notNull(),
  field: text('field').notNull(),
  baseValue: json<unknown>('base_value'),
  serverValue: json<unknown>('server_value'),
  clientValue: json<unknown>('client_value'),
  clientUserId: ref('client_user_id').notNull(),
  serverUserId: ref('server_user_id'),
  mutationName: text('mutation_name').notNull(),
  status: text('status', { enum: ['open', 'resolved'] }).notNull(),
  resolution: text('resolution', { enum: ['server', 'client'] }),
  resolvedBy: ref('resolved_by'),
  resolvedAt: instant('resolved_at'),
  createdAt: instant('created_at').notNull(),
  version: rowVersion(),
}, (t) => [index('conflicts_entity_idx').on(t.tenantId, t.entityType, t.entityId), index('conflicts_version_idx').on(t.tenantId, t.version)]);

/** Per sync client (a device): the last mutation id processed, updated in the same transaction as the mutation. */
export const syncClients = pgTable('sync_clients', {
  clientId: ref('client_id').primaryKey(),
  tenantId: ref('tenant_id').notNull(),
  userId: ref('user_id').notNull(),
  lastMutationId: bigint('last_mutation_id', { mode: 'number' }).notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** Refused mutations, kept until the client acknowledges them in a pull. */
export const mutationResults = pgTable('mutation_results', {
  clientId: ref('client_id').notNull(),
  mutationId: bigint('mutation_id', { mode: 'number' }).notNull(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  error: jsonb('error').$type<ErrorBody>().notNull(),
  createdAt: instant('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.clientId, t.mutationId] })]);

/** Deleted replicated rows, so a pull since an older version learns of the delete; compacted below the horizon. */
export const syncTombstones = pgTable('sync_tombstones', {
  tenantId: ref('tenant_id').notNull(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  version: bigint('version', { mode: 'number' }).notNull(),
  deletedAt: instant('deleted_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.tableName, t.rowId] }), index('sync_tombstones_version_idx').on(t.tenantId, t.version)]);

/** Per tenant: tombstones up to this version were compacted away; a cursor older than it must resync in full. */
export const syncHorizons = pgTable('sync_horizons', {
  tenantId: ref('tenant_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
  compactedAt: instant('compacted_at').notNull(),
});
