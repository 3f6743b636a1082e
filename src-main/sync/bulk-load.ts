// A large first sync into empty tables loads them without their secondary indexes and the leads' match keys, then
// builds both once at the end: keeping random-order indexes current through hundreds of small transactions costs
// several times the load itself, since each commit writes again every index page it touched.
import type Database from 'better-sqlite3';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import { prepared, preparedRaw } from '../store/statement-cache';
import { BulkThread } from './bulk-thread';
import type { BulkOp } from './bulk-thread';
import { replicaCodec } from './replica-codecs';

/** What a bulk load put off, kept in sync_state until it is built (a restart finishes it). */
export interface BulkLoad {
  /** Secondary indexes dropped for the load and not built yet, with the statements that create them again. */
  indexes: BulkIndex[];
  /** The leads' match keys were not written during the load. */
  matchKeys: boolean;
  /**
   * Every lead the load wrote has its keys in the staging table (STAGING), written with it. A load begun by an older
   * version staged them in memory only: they are computed again from the leads at its end.
   */
  staged?: boolean;
}

export interface BulkIndex {
  name: string;
  sql: string;
  /** Its table (missing in records of older versions: such indexes are built at the end). */
  table?: string;
}

/** The leads' match keys: its own secondary index waits with the leads'. */
const KEYS_TABLE = 'lead_dedupe_keys';
/** Where the match keys of the leads a load writes wait for its end: one row per lead, its keys as a JSON array. */
const STAGING = 'sync_bulk_keys';

/**
 * Drops the secondary indexes of `tables` (empty, about to be filled); with `leads` among them, the match keys wait
 * too, in the staging table. Call inside the transaction that starts the load, and store the result with it.
 */
export function deferIndexes(sqlite: Database.Database, tables: readonly string[]): BulkLoad {
  const keys = tables.includes('leads');
  const all = keys ? [...tables, KEYS_TABLE] : [...tables];
  const indexes = all.length === 0 ? [] : (sqlite.prepare(`SELECT name, sql, tbl_name AS "table" FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${all.map(() => '?').join(', ')}) ORDER BY name`).all(...all) as BulkIndex[]);
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name.replace(/"/g, '""')}"`);
  if (keys) createKeyStaging(sqlite);
  return { indexes, matchKeys: keys, staged: keys };
}

/** Runs `fn` as one transaction of the store's write queue. */
export type Step = <T>(fn: () => T) => Promise<T>;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The staging table of match keys (in the store, so a restart keeps what the load wrote). */
export function createKeyStaging(sqlite: Database.Database): void {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS ${STAGING} (lead_id TEXT PRIMARY KEY NOT NULL, keys TEXT NOT NULL) WITHOUT ROWID`);
}

const STAGE = `INSERT OR REPLACE INTO ${STAGING} (lead_id, keys) VALUES (?, ?)`;

/** Stages a lead's match keys, replacing those of an earlier version of it. */
export function stageMatchKeys(sqlite: Database.Database, leadId: string, keys: string[]): void {
  prepared(sqlite, STAGE).run(leadId, JSON.stringify(keys));
}

/** stageMatchKeys of several leads, as one statement for a bulk thread. */
export const stageMatchKeysOp = (leads: readonly (readonly [leadId: string, keys: string[]])[]): BulkOp => ({ sql: STAGE, each: leads.map(([id, keys]) => [id, JSON.stringify(keys)]) });

/**
 * Stages every lead's match keys, read back from the leads (a load begun by an older version), in steps that each
 * run until `budgetMs` is spent; `finish` runs inside the last one.
 */
export async function stageAllMatchKeys(sqlite: Database.Database, step: Step, budgetMs: number, finish: () => void): Promise<void> {
  const c = replicaCodec('leads');
  const cols = ['id', 'firstName', 'lastName', 'email', 'phone', 'companyName'].map((k) => `"${c.column(k).sql}"`).join(', ');
  await step(() => createKeyStaging(sqlite));
  const read = preparedRaw(sqlite, `SELECT ${cols} FROM leads WHERE "${c.pk.sql}" > ? ORDER BY "${c.pk.sql}" LIMIT 200`);
  for (let after: string | null = ''; after !== null;) {
    const from: string = after;
    after = await step(() => {
      const deadline = performance.now() + budgetMs;
      let last: string | null = from;
      do {
        const rows = read.all(last) as [string, string | null, string | null, string | null, string | null, string | null][];
        for (const [id, firstName, lastName, email, phone, companyName] of rows) stageMatchKeys(sqlite, id, matchKeys({ firstName, lastName, email, phone, companyName }));
        last = rows.length === 200 ? rows[199]![0] : null;
      } while (last !== null && performance.now() < deadline);
      if (last === null) finish();
      return last;
    });
    if (after !== null) await yieldToLoop();
  }
}

/**
 * The statements that move the staged keys into the keys table, in key order so its primary key grows by appends.
 * Leads a pending mutation changed keep the keys the mutation wrote; any other staged lead still there gets exactly
 * its staged keys (the newest version the server sent).
 */
function keyStatements(): string[] {
  const pending = `SELECT pk FROM sync_base WHERE tbl = 'leads'`;
  return [
    `DELETE FROM ${KEYS_TABLE} WHERE lead_id IN (SELECT lead_id FROM ${STAGING}) AND lead_id NOT IN (${pending})`,
    `INSERT OR IGNORE INTO ${KEYS_TABLE} (key, lead_id) SELECT k.value, s.lead_id FROM ${STAGING} s, json_each(s.keys) k
      WHERE s.lead_id NOT IN (${pending}) AND EXISTS (SELECT 1 FROM leads l WHERE l.id = s.lead_id) ORDER BY 1, 2`,
    `DROP TABLE ${STAGING}`,
  ];
}

/** What one build does: these indexes, and the staged match keys first if `keys`. */
export interface BulkPart {
  indexes: BulkIndex[];
  keys: boolean;
}

/**
 * The deferred work a pull has made ready: the indexes of the tables it has finished (`done`), and the match keys
 * once the leads are finished and their keys staged; none of what `taken` names (handed to a build already).
 */
export function readyPart(bulk: BulkLoad, done: (table: string) => boolean, taken: ReadonlySet<string>): BulkPart {
  const keys = bulk.matchKeys && bulk.staged === true && done('leads') && !taken.has(KEYS_TABLE);
  const ready = (i: BulkIndex) => (i.table === KEYS_TABLE ? keys : i.table !== undefined && done(i.table));
  return { indexes: bulk.indexes.filter((i) => !taken.has(i.name) && ready(i)), keys };
}

/** What remains of `bulk` after `part` is built; null when nothing does (the load is over). */
export function afterPart(bulk: BulkLoad, part: BulkPart): BulkLoad | null {
  const built = new Set(part.indexes.map((i) => i.name));
  const rest = { ...bulk, indexes: bulk.indexes.filter((i) => !built.has(i.name)), matchKeys: bulk.matchKeys && !part.keys };
  return rest.indexes.length === 0 && !rest.matchKeys ? null : rest;
}

/** The names a part takes (for readyPart's `taken`). */
export const partNames = (part: BulkPart): string[] => [...part.indexes.map((i) => i.name), ...(part.keys ? [KEYS_TABLE] : [])];

/**
 * A part in builds of one index each (the keys with their table's index), so that writes can go on between them.
 */
export function splitPart(part: BulkPart): BulkPart[] {
  const withKeys = (i: BulkIndex) => part.keys && i.table === KEYS_TABLE;
  const keys: BulkPart[] = part.keys ? [{ indexes: part.indexes.filter(withKeys), keys: true }] : [];
  return [...keys, ...part.indexes.filter((i) => !withKeys(i)).map((i) => ({ indexes: [i], keys: false }))];
}

/**
 * Builds parts of a bulk load from a worker thread on its own connection, so the main thread never blocks on a
 * build: each part (the staged match keys, then indexes) in one transaction that also stores what remains of the
 * load (or clears its record, and then gathers the planner's statistics). Stage every lead's keys before their part
 * (see stageAllMatchKeys). Run each build while the store's writes are held (see WritePath.exclusive): a write of
 * this connection meanwhile would wait on the worker's lock.
 */
export class BulkBuilder {
  private readonly thread: BulkThread;

  constructor(path: string) {
    // Below the main thread's priority: a build may take seconds, and nothing but the load's end waits on it.
    this.thread = new BulkThread(path, { pragmas: ['busy_timeout = 10000'], nice: 10, failure: "building the replica's indexes failed" });
  }

  /** Builds `part`, leaving `rest` as the load's record (null: the load is over). One build at a time. */
  build(part: BulkPart, rest: BulkLoad | null): Promise<void> {
    const indexes = part.indexes.map((i) => i.sql.replace(/^CREATE (UNIQUE )?INDEX /i, (m) => `${m}IF NOT EXISTS `));
    return this.thread.run({ exec: part.keys ? [...keyStatements(), ...indexes] : indexes, rest: rest && JSON.stringify(rest) });
  }

  /** Ends the thread (after its build, if one is under way). */
  close(): Promise<void> {
    return this.thread.close();
  }
}
