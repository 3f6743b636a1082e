// What every handler gets: the store, the write path, the acting user, the clock and the id source.
import type { Actor } from '../../src-shared/mutators/mutator';
import type { EntityMap, TableName } from '../../src-shared/mutators/mutation-tx';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { codecOf } from '../store/entity-codecs';
import type { Store } from '../store/open-store';
import { preparedRaw } from '../store/statement-cache';
import type { WritePath } from './write-path';

export interface CoreContext {
  store: Store;
  writes: WritePath;
  actor(): Actor;
  now(): number;
  newId(): string;
}

/** One row of the actor's tenant by primary key. Reads are not permission-filtered: the replica holds only what the user may see. */
export function readEntity<T extends TableName>(ctx: CoreContext, table: T, key: string): EntityMap[T] | undefined {
  const c = codecOf(table);
  const raw = preparedRaw(ctx.store.sqlite, `SELECT ${c.selectList} FROM "${table}" WHERE "${c.pk.sql}" = ? AND "${c.tenantColumn.sql}" = ?`).get(key, ctx.actor().tenantId) as unknown[] | undefined;
  return raw ? c.fromRaw(raw) : undefined;
}

export function mustRead<T extends TableName>(ctx: CoreContext, table: T, key: string, what: string): EntityMap[T] {
  const row = readEntity(ctx, table, key);
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `${what} ${key} not found`);
  return row;
}

/** Rows of the actor's tenant matching a SQL condition (column names), in the given order. */
export function readEntities<T extends TableName>(ctx: CoreContext, table: T, where: string, params: unknown[], tail = ''): EntityMap[T][] {
  const c = codecOf(table);
  const sql = `SELECT ${c.selectList} FROM "${table}" WHERE "${c.tenantColumn.sql}" = ?${where ? ` AND (${where})` : ''} ${tail}`;
  return (preparedRaw(ctx.store.sqlite, sql).all(ctx.actor().tenantId, ...params) as unknown[][]).map((r) => c.fromRaw(r));
}
