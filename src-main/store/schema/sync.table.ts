// The desktop's sync tables: the replicated conflict records, and the client-only outbox and sync bookkeeping.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { id, instant, json, ref, rowVersion } from './columns';

/** Conflict records (src-shared/sync/conflicts.schema.ts), replicated from the server like any entity. */
export const conflicts = sqliteTable('conflicts', {
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
}, (t) => [index('conflicts_entity_idx').on(t.entityType, t.entityId), index('conflicts_open_idx').on(t.status, t.createdAt)]);

/** Mutations applied locally and not yet confirmed by the server, in the order they were made. */
export const outbox = sqliteTable('outbox', {
  mutationId: integer('mutation_id').primaryKey(),
  name: text('name').notNull(),
  args: json<unknown>('args').notNull(),
  /** What the user saw of the fields the mutation changes (the per-field merge's base), per row id. */
  base: json<Record<string, Record<string, unknown>>>('base'),
  /** The desktop's clock when the user acted (informational: the server stamps its own time). */
  clientTime: instant('client_time').notNull(),
  protocolVersion: integer('protocol_version').notNull(),
});

/** Key/value state of the sync client: cursor, unfinished pull, next mutation id, read-only reason. */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: json<unknown>('value').notNull(),
});

/**
 * The server's version of every row a pending mutation changed (null: the row did not exist), kept until the
 * next rebase puts it back, applies what the server sent, and replays the still-pending mutations on top.
 */
export const syncBase = sqliteTable('sync_base', {
  tbl: text('tbl').notNull(),
  pk: text('pk').notNull(),
  row: text('row'),
}, (t) => [primaryKey({ columns: [t.tbl, t.pk] })]);

/** Rows a full resync has delivered so far, so its end can drop every row it did not (resumable across restarts). */
export const syncSeen = sqliteTable('sync_seen', {
  tbl: text('tbl').notNull(),
  pk: text('pk').notNull(),
}, (t) => [primaryKey({ columns: [t.tbl, t.pk] })]);
