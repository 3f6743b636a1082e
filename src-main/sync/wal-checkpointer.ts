// Checkpoints the store's write-ahead log from a worker thread, so the fsync of a checkpoint never stalls the main
// process: with SQLite's automatic checkpoints, the commit that crosses the threshold pays for it (30–60 ms here).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next round */ }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* left for the next open */ }
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/** Turns off the connection's automatic checkpoints and checkpoints every `everyMs` from a worker instead. */
export function startWalCheckpointer(sqlite: Database.Database, path: string, everyMs = 500): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, path, everyMs } });
  worker.unref();
  worker.on('error', () => {
    // Without the worker, SQLite's own checkpoints take over again.
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  });
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
        worker.once('exit', () => resolve());
        // Waited for: a process with nothing else to do must not end before the last checkpoint has.
        worker.ref();
        worker.postMessage('stop');
      });
      return stopping;
    },
  };
}
