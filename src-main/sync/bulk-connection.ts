// A bulk load's connections to the store for its pages' rows: one on a thread of its own that writes the rows (see
// bulk-thread.ts), and one here for what the main thread reads and for rows that must go the row-by-row way. Neither
// carries the base-capture triggers of the store's own connection, each of which calls into JavaScript for every row
// written (they are off while sync applies, but the call is made all the same), and both keep foreign keys off as
// sync's writes do.
import Database from 'better-sqlite3';
import { BulkThread } from './bulk-thread';
import type { BulkOp } from './bulk-thread';
import { ReplicaWriter } from './replica-writer';
import { SyncState } from './sync-state';

export interface BulkConnection {
  readonly sqlite: Database.Database;
  readonly writer: ReplicaWriter;
  readonly state: SyncState;
  /** Runs `fn` in one IMMEDIATE transaction of this connection. Hold the store's write queue meanwhile. */
  transaction<T>(fn: () => T): T;
  /** Runs `ops` in one transaction on the bulk thread. Hold the store's write queue meanwhile. */
  write(ops: BulkOp[]): Promise<void>;
  close(): Promise<void>;
}

export interface BulkConnectionOptions {
  /** The store's connection checkpoints from a worker (see wal-checkpointer.ts): these must not either. */
  checkpointer: boolean;
  me: () => string;
}

/**
 * `ops` with each byte array they bind copied (once, however many statements bind it), and the copies' buffers: the
 * thread takes those over rather than having them copied again, and the caller's bytes stay its own. Bytes in shared
 * memory (a large answer's, see http-exchange.ts) are shared with the thread as they are.
 */
function handedOver(ops: readonly BulkOp[]): { ops: BulkOp[]; buffers: ArrayBuffer[] } {
  const copies = new Map<Uint8Array, Uint8Array>();
  const copy = (a: unknown) => {
    if (!(a instanceof Uint8Array) || a.buffer instanceof SharedArrayBuffer) return a;
    let c = copies.get(a);
    if (!c) copies.set(a, (c = new Uint8Array(a)));
    return c;
  };
  const out = ops.map((op) => ('args' in op ? { ...op, args: op.args.map(copy) } : op));
  return { ops: out, buffers: [...copies.values()].map((c) => c.buffer as ArrayBuffer) };
}

/** Opens the connections on the store file at `path` (in WAL mode already). */
export function openBulkConnection(path: string, o: BulkConnectionOptions): BulkConnection {
  const pragmas = ['busy_timeout = 5000', 'synchronous = NORMAL', 'foreign_keys = OFF', 'temp_store = MEMORY', 'cache_size = -16384', ...(o.checkpointer ? ['wal_autocheckpoint = 0'] : [])];
  const sqlite = new Database(path);
  for (const p of pragmas) sqlite.pragma(p);
  const thread = new BulkThread(path, { pragmas, nice: 5, failure: 'writing a page of the first sync failed' });
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
    write(ops) {
      const handed = handedOver(ops);
      return thread.run({ ops: handed.ops }, handed.buffers);
    },
    async close() {
      sqlite.close();
      await thread.close();
    },
  };
}
