// Prepared statements cached per connection: the write path prepares each distinct SQL text once.
import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The cached prepared statement for `sql` on this connection. */
export function prepared(sqlite: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(sqlite);
  if (!cache) {
    cache = new Map();
    caches.set(sqlite, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = sqlite.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** Same, in raw mode: rows come back as value arrays in select-list order. */
export function preparedRaw(sqlite: Database.Database, sql: string): Database.Statement {
  return prepared(sqlite, `${sql} /* raw */`).raw(true);
}
