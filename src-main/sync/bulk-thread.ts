// A worker thread with a connection of its own to the store, for a bulk load's heavy SQLite work: writing its pages'
// rows and building the indexes it deferred. The main thread only works out the statements and waits for their
// transaction, so its event loop never blocks on them, however long they take or however busy the machine's cores.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { prepared } from '../store/statement-cache';

/**
 * A statement of a transaction: run once with `args` (then it must change exactly `expect.changes` rows, or the
 * transaction fails with `expect.mismatch`), or once per row of `each`.
 */
export type BulkOp =
  | { sql: string; args: unknown[]; expect?: { changes: number; mismatch: string } }
  | { sql: string; each: unknown[][] };

/** One transaction: `ops`, then `exec`'s statements, then the bulk load's record set to `rest` (null: removed). */
export interface BulkRequest {
  ops?: BulkOp[];
  exec?: string[];
  rest?: string | null;
}

/** Runs `op` on `sqlite`, as the thread does. */
export function runOp(sqlite: Database.Database, op: BulkOp): void {
  const statement = prepared(sqlite, op.sql);
  if ('each' in op) {
    for (const row of op.each) statement.run(row);
    return;
  }
  const { changes } = statement.run(op.args);
  if (op.expect && changes !== op.expect.changes) throw new Error(op.expect.mismatch);
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
for (const p of workerData.pragmas) db.pragma(p);
if (workerData.nice > 0 && process.platform === 'linux') {
  // On Linux a niceness is a thread's own (elsewhere it would lower the whole process).
  try { require('node:os').setPriority(workerData.nice); } catch {}
}
const statements = new Map();
const prepare = (sql) => {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
};
parentPort.on('message', ({ ops, exec, rest }) => {
  try {
    db.exec('BEGIN IMMEDIATE');
    for (const op of ops || []) {
      const s = prepare(op.sql);
      if (op.each) {
        for (const row of op.each) s.run(row);
        continue;
      }
      const { changes } = s.run(op.args);
      if (op.expect && changes !== op.expect.changes) throw new Error(op.expect.mismatch);
    }
    for (const sql of exec || []) db.exec(sql);
    if (rest === null) db.prepare("DELETE FROM sync_state WHERE key = 'bulk'").run();
    else if (rest !== undefined) db.prepare("UPDATE sync_state SET value = ? WHERE key = 'bulk'").run(rest);
    db.exec('COMMIT');
    if (rest === null) {
      // The planner's statistics, bounded per index (as PRAGMA optimize does after a load).
      db.pragma('analysis_limit = 1000');
      db.exec('ANALYZE');
    }
    parentPort.postMessage({ ok: true });
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    parentPort.postMessage({ ok: false, message: String((err && err.message) || err) });
  }
});
`;

export interface BulkThreadOptions {
  /** Pragmas of its connection, e.g. `busy_timeout = 10000`. */
  pragmas: string[];
  /**
   * A niceness above 0 runs it below the main thread's priority (on Linux): when the cores are busy, the main
   * thread's event loop gets one first.
   */
  nice?: number;
  /** What a failure's message starts with, e.g. "building the replica's indexes failed". */
  failure: string;
}

/**
 * Runs requests one transaction at a time on its thread. Run each while the store's writes are held (see
 * WritePath.exclusive): a write of another connection meanwhile would wait on the thread's lock.
 */
export class BulkThread {
  private worker: Worker | null = null;
  private pending: { resolve: () => void; reject: (err: Error) => void } | null = null;

  constructor(private readonly path: string, private readonly o: BulkThreadOptions) {}

  /** Runs `request` in one transaction; `transfer` hands buffers of its ops over instead of copying them. */
  run(request: BulkRequest, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.pending) return Promise.reject(new Error('a request of this thread is under way'));
    const worker = this.start();
    // Held only while it works: an idle thread keeps no process alive.
    worker.ref();
    return new Promise<void>((resolve, reject) => {
      this.pending = { resolve, reject };
      worker.postMessage(request, transfer);
    });
  }

  /** Ends the thread (after its request, if one is under way). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    // Waited for: a process with nothing else to do must not end before the thread has.
    worker?.ref();
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER, { eval: true, workerData: { driver, path: this.path, pragmas: this.o.pragmas, nice: this.o.nice ?? 0 } });
    worker.unref();
    const settle = (err: Error | null) => {
      const p = this.pending;
      this.pending = null;
      worker.unref();
      if (err) p?.reject(err);
      else p?.resolve();
    };
    worker.on('message', (m: { ok: boolean; message?: string }) => settle(m.ok ? null : new Error(`${this.o.failure}: ${m.message}`)));
    worker.once('error', (err) => {
      this.worker = null;
      settle(err);
    });
    worker.once('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      settle(new Error(`${this.o.failure}: its thread stopped (${code}) before it finished`));
    });
    this.worker = worker;
    return worker;
  }
}
