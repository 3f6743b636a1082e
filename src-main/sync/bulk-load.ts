// A large first sync into empty tables loads them without their secondary indexes and the leads' match keys, then
// builds both once at the end: keeping random-order indexes current through hundreds of small transactions costs
// several times the load itself, since each commit writes again every index page it touched.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import { prepared, preparedRaw } from '../store/statement-cache';
import { replicaCodec } from './replica-codecs';

/** What a bulk load put off, kept in sync_state until it is built (a restart finishes it). */
export interface BulkLoad {
  /** Secondary indexes dropped for the load, with the statements that create them again. */
  indexes: { name: string; sql: string }[];
  /** The leads' match keys were not written during the load. */
  matchKeys: boolean;
}

/** The leads' match keys: its own secondary index waits with the leads'. */
const KEYS_TABLE = 'lead_dedupe_keys';

/**
 * Drops the secondary indexes of `tables` (empty, about to be filled); with `leads` among them, the match keys wait
 * too. Call inside the transaction that starts the load, and store the result with it.
 */
export function deferIndexes(sqlite: Database.Database, tables: readonly string[]): BulkLoad {
  const keys = tables.includes('leads');
  const all = keys ? [...tables, KEYS_TABLE] : [...tables];
  const indexes = all.length === 0 ? [] : (sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${all.map(() => '?').join(', ')}) ORDER BY name`).all(...all) as { name: string; sql: string }[]);
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name.replace(/"/g, '""')}"`);
  return { indexes, matchKeys: keys };
}

/** Runs `fn` as one transaction of the store's write queue. */
export type Step = <T>(fn: () => T) => Promise<T>;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The temporary table (of this connection) where match keys wait, ordered by key. */
export function createKeyStaging(sqlite: Database.Database): void {
  sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS sync_bulk_keys (key TEXT NOT NULL, lead_id TEXT NOT NULL, PRIMARY KEY (key, lead_id)) WITHOUT ROWID');
}

/** Stages one arriving lead's match keys (while the load waits on the server, computing them costs no time). */
export function stageMatchKeys(sqlite: Database.Database, lead: { id: string; firstName: string | null; lastName: string | null; email: string | null; phone: string | null; companyName: string | null }): void {
  const keep = prepared(sqlite, 'INSERT OR IGNORE INTO temp.sync_bulk_keys (key, lead_id) VALUES (?, ?)');
  for (const k of matchKeys(lead)) keep.run(k, lead.id);
}

/**
 * Copies every lead's match keys from the staging table in key order, so the key index grows by appends; unless
 * `staged` (every lead of the load staged its keys as it arrived, in this process), computes them first. Leads a
 * pending mutation changed are left to the mutations (which write their keys). Each step runs until `budgetMs` is
 * spent; `finish` runs inside the last one.
 */
export async function buildMatchKeys(sqlite: Database.Database, step: Step, budgetMs: number, staged: boolean, finish: () => void): Promise<void> {
  if (!staged) await computeMatchKeys(sqlite, step, budgetMs);
  await copyMatchKeys(sqlite, step, budgetMs, finish);
}

/** Every lead's match keys into the staging table, read back from the leads (a load resumed after a restart). */
async function computeMatchKeys(sqlite: Database.Database, step: Step, budgetMs: number): Promise<void> {
  const c = replicaCodec('leads');
  const cols = ['id', 'firstName', 'lastName', 'email', 'phone', 'companyName'].map((k) => `"${c.column(k).sql}"`).join(', ');
  await step(() => {
    createKeyStaging(sqlite);
    sqlite.exec('DELETE FROM temp.sync_bulk_keys');
  });
  const read = preparedRaw(sqlite, `SELECT ${cols} FROM leads WHERE "${c.pk.sql}" > ? ORDER BY "${c.pk.sql}" LIMIT 200`);
  const keep = prepared(sqlite, 'INSERT OR IGNORE INTO temp.sync_bulk_keys (key, lead_id) VALUES (?, ?)');
  for (let after: string | null = ''; after !== null;) {
    const from: string = after;
    after = await step(() => {
      const deadline = performance.now() + budgetMs;
      let last: string | null = from;
      do {
        const rows = read.all(last) as [string, string | null, string | null, string | null, string | null, string | null][];
        for (const [id, firstName, lastName, email, phone, companyName] of rows) {
          for (const k of matchKeys({ firstName, lastName, email, phone, companyName })) keep.run(k, id);
        }
        last = rows.length === 200 ? rows[199]![0] : null;
      } while (last !== null && performance.now() < deadline);
      return last;
    });
    if (after !== null) await yieldToLoop();
  }
}

async function copyMatchKeys(sqlite: Database.Database, step: Step, budgetMs: number, finish: () => void): Promise<void> {
  await step(() => createKeyStaging(sqlite));
  // Only keys of leads still there: a lead can leave before the load ends.
  const next = preparedRaw(sqlite, 'SELECT k.key, k.lead_id FROM temp.sync_bulk_keys k WHERE (k.key, k.lead_id) > (?, ?) AND EXISTS (SELECT 1 FROM main.leads l WHERE l.id = k.lead_id) ORDER BY k.key, k.lead_id LIMIT 1000');
  const insert = prepared(sqlite, `INSERT OR IGNORE INTO main.${KEYS_TABLE} (key, lead_id) VALUES (?, ?)`);
  const pending = preparedRaw(sqlite, `SELECT pk FROM sync_base WHERE tbl = 'leads'`);
  for (let at: [string, string] | null = ['', '']; at !== null;) {
    const from: [string, string] = at;
    at = await step(() => {
      const deadline = performance.now() + budgetMs;
      const skip = new Set((pending.all() as [string][]).map((r) => r[0]));
      let last: [string, string] | null = from;
      do {
        const rows = next.all(...last) as [string, string][];
        for (const [key, leadId] of rows) if (!skip.has(leadId)) insert.run(key, leadId);
        last = rows.length === 1000 ? rows[999]! : null;
      } while (last !== null && performance.now() < deadline);
      if (last === null) {
        sqlite.exec('DROP TABLE temp.sync_bulk_keys');
        finish();
      }
      return last;
    });
    if (at !== null) await yieldToLoop();
  }
}

const INDEX_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
try {
  db.pragma('busy_timeout = 10000');
  db.exec('BEGIN IMMEDIATE');
  for (const sql of workerData.statements) db.exec(sql);
  db.prepare("DELETE FROM sync_state WHERE key = 'bulk'").run();
  db.exec('COMMIT');
  // The planner's statistics, bounded per index (as PRAGMA optimize does after a load).
  db.pragma('analysis_limit = 1000');
  db.exec('ANALYZE');
  parentPort.postMessage({ ok: true });
} catch (err) {
  if (db.inTransaction) db.exec('ROLLBACK');
  parentPort.postMessage({ ok: false, message: String((err && err.message) || err) });
} finally {
  db.close();
}
`;

/**
 * Creates the deferred indexes from a worker thread on its own connection, in one transaction that also clears the
 * bulk-load record, so the main thread never blocks on a build. Run it while the store's writes are held (see
 * WritePath.exclusive): a write of this connection meanwhile would wait on the worker's lock.
 */
export function createIndexesInWorker(path: string, bulk: BulkLoad): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const statements = bulk.indexes.map((i) => i.sql.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `));
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(INDEX_WORKER, { eval: true, workerData: { driver, path, statements } });
    let answered = false;
    worker.once('message', (m: { ok: boolean; message?: string }) => {
      answered = true;
      if (m.ok) resolve();
      else reject(new Error(`building the replica's indexes failed: ${m.message}`));
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the index builder stopped (${code}) before it finished`));
    });
  });
}
