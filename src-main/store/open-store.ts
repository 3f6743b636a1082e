// Opens the desktop's SQLite store: pragmas, a migration-compatibility check, then the shipped migrations.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from './schema/all-tables';
import { assertMigratable, MIGRATIONS_TABLE } from './migrations-check';

/** Where the client migrations live in a source checkout; the packaged app passes its own folder. */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/client', import.meta.url));

export type StoreDb = BetterSQLite3Database<typeof schema>;

export interface Store {
  readonly path: string;
  /** The raw connection, for prepared statements on hot paths. */
  readonly sqlite: Database.Database;
  /** The typed drizzle handle over the same connection. */
  readonly db: StoreDb;
  close(): void;
}

export interface OpenStoreOptions {
  migrationsFolder?: string;
  /** Milliseconds a writer waits on a locked database before failing. */
  busyTimeoutMs?: number;
}

export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  const sqlite = new Database(path);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // WAL + NORMAL is durable across application crashes; only a power loss may drop the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('temp_store = MEMORY');
    // 16 MiB of page cache (the default is 2 MiB): queue, board and rescore scans stay in memory.
    sqlite.pragma('cache_size = -16384');
    // Bounded statistics gathering for PRAGMA optimize (after bulk loads and on close), so the planner knows the data.
    sqlite.pragma('analysis_limit = 1000');
    assertMigratable(sqlite, migrationsFolder);
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder, migrationsTable: MIGRATIONS_TABLE });
    const close = () => {
      if (!sqlite.open) return;
      sqlite.pragma('optimize');
      sqlite.close();
    };
    return { path, sqlite, db, close };
  } catch (err) {
    sqlite.close();
    throw err;
  }
}
