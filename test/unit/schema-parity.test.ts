// The desktop (SQLite) and server (PostgreSQL) schemas must not drift: same tables, columns, nullability and kinds.
import { describe, expect, it } from 'vitest';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import * as client from '../../src-main/store/schema/all-tables';
import * as server from '../../src-server/db/schema/all-tables';

/** Desktop-only tables: local settings and the sync client's own bookkeeping. */
const CLIENT_ONLY = new Set(['local_meta', 'outbox', 'sync_state', 'sync_base', 'sync_seen', 'pending_conflicts']);

type Kind = 'text' | 'integer' | 'real' | 'boolean' | 'json';
function kindOf(columnType: string, sqlType: string): Kind {
  if (/json/i.test(columnType) || /json/i.test(sqlType)) return 'json';
  if (/boolean/i.test(columnType)) return 'boolean';
  if (/real|double/i.test(sqlType)) return 'real';
  if (/int/i.test(sqlType)) return 'integer';
  return 'text';
}

function describeColumns(cols: { name: string; notNull: boolean; columnType: string; getSQLType(): string }[]) {
  return Object.fromEntries(cols.map((c) => [c.name, { notNull: c.notNull, kind: kindOf(c.columnType, c.getSQLType()) }]));
}

const clientTables = new Map(Object.values(client).filter((t) => t instanceof SQLiteTable).map((t) => { const c = sqliteConfig(t); return [c.name, describeColumns(c.columns)]; }));
const serverTables = new Map(Object.values(server).filter((t) => t instanceof PgTable).map((t) => { const c = pgConfig(t); return [c.name, describeColumns(c.columns)]; }));

describe('schema parity', () => {
  it('has the shared tables on both sides', () => {
    expect(clientTables.size).toBeGreaterThan(15);
    for (const name of clientTables.keys()) {
      if (!CLIENT_ONLY.has(name)) expect(serverTables.has(name), `server lacks table ${name}`).toBe(true);
    }
  });

  it.each([...clientTables.keys()].filter((n) => !CLIENT_ONLY.has(n)))('%s has the same columns on both sides', (name) => {
    expect(serverTables.get(name)).toEqual(clientTables.get(name));
  });
});
