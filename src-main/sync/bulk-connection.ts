// A second connection to the store for a bulk load's rows: it carries none of the base-capture triggers of the
// store's own connection, each of which calls into JavaScript for every row written (they are off while sync
// applies, but the call is made all the same), and it keeps foreign keys off as sync's writes do.
import Database from 'better-sqlite3';
import { ReplicaWriter } from './replica-writer';
import { SyncState } from './sync-state';

export interface BulkConnection {
  readonly sqlite: Database.Database;
  readonly writer: ReplicaWriter;
  readonly state: SyncState;
  /** Runs `fn` in one IMMEDIATE transaction of this connection. Hold the store's write queue meanwhile. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface BulkConnectionOptions {
  /** The store's connection checkpoints from a worker (see wal-checkpointer.ts): this one must not either. */
  checkpointer: boolean;
  me: () => string;
}

/** Opens the connection on the store file at `path` (in WAL mode already). */
export function openBulkConnection(path: string, o: BulkConnectionOptions): BulkConnection {
  const sqlite = new Database(path);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -16384');
  if (o.checkpointer) sqlite.pragma('wal_autocheckpoint = 0');
  return {
    sqlite,
    writer: new ReplicaWriter(sqlite, o.me),
    state: new SyncState(sqlite),
    transaction(fn) {
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const result = fn();
        sqlite.exec('COMMIT');
        return result;
      } catch (err) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw err;
      }
    },
    close: () => sqlite.close(),
  };
}
