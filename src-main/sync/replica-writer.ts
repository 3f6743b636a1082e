// Writes what the server sends into the replica: upserts and deletes (with cascades on view exits), redirected to
// sync_base for rows a pending mutation changed, and the rebase's restore and a full resync's sweep.
import type Database from 'better-sqlite3';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { CHILDREN, isReplicatedTable, PARENT_TABLES, REPLICATED_TABLES } from '../../src-shared/sync/replicated-tables';
import type { ParentTable, ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import type { Adopt, TableChanges } from '../../src-shared/sync/sync-protocol';
import { encodeValue } from '../store/entity-codecs';
import type { ColumnCodec } from '../store/entity-codecs';
import { prepared, preparedRaw } from '../store/statement-cache';
import { stageMatchKeys, stageMatchKeysOp } from './bulk-load';
import { runOp } from './bulk-thread';
import type { BulkOp } from './bulk-thread';
import { elementsOf } from './json-slicer';
import type { JsonRun } from './json-slicer';
import { replicaCodec } from './replica-codecs';

const VERSION_COLUMN: ColumnCodec = { key: 'version', sql: 'version', kind: 'plain' };
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const baseKey = (table: string, pk: string) => `${table}\u0000${pk}`;

/** The fields of a lead's match keys, from a row (null where not sent). */
function keyFieldsOf(at: NonNullable<RowPlan['keyFields']>, values: unknown[]): Parameters<typeof matchKeys>[0] {
  const v = (i: number) => (i < 0 ? null : values[i]) as string | null;
  return { firstName: v(at.firstName), lastName: v(at.lastName), email: v(at.email), phone: v(at.phone), companyName: v(at.companyName) };
}

/** The rows of a run, parsed. */
function rowsOf(table: string, run: JsonRun): unknown[][] {
  const rows = elementsOf(run);
  if (!rows.every((r) => Array.isArray(r))) throw new Error(`rows of ${table} arrived that are not arrays of values`);
  return rows as unknown[][];
}

/** A row's values as bound parameters: the known fields, encoded for their columns. */
function encodeRow(plan: RowPlan, values: unknown[]): unknown[] {
  const params = new Array<unknown>(plan.from.length);
  for (let n = 0; n < params.length; n++) params[n] = encodeValue(plan.kinds[n]!, values[plan.from[n]!]);
  return params;
}

export interface ApplyContext {
  /** Tables written, for the UI's `changed` event. */
  touched: Set<string>;
  /** While a full resync runs: the tables whose arrivals are recorded, so its end can drop the rest. */
  resetTables: ReadonlySet<string> | null;
  /** Incremental pulls: parents that arrive new are noted, for their children to be asked for. */
  adopt: Adopt | null;
}

/** How rows of one table in one field order are written: worked out once per (table, fields), not per row. */
interface RowPlan {
  upsert: Database.Statement;
  /** Per bound parameter: the index of its value in a row, and its column's encoding. */
  from: number[];
  kinds: ColumnCodec['kind'][];
  /** Every field is a plain column, in order: a row is bound as it arrived. */
  asIs: boolean;
  /** The columns' names, for a base's JSON. */
  names: string[];
  pkIndex: number;
  /** Leads: where the fields of the match keys sit in a row (-1: not sent). */
  keyFields: Record<(typeof KEY_FIELDS)[number], number> | null;
  /** The statements that read the rows from their JSON text (see applyRun), prepared when first needed. */
  fromText: { upsert: Database.Statement; seen: Database.Statement; keys: Database.Statement | null } | null;
}

const KEY_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'companyName'] as const;
const DELETE_KEYS = 'DELETE FROM lead_dedupe_keys WHERE lead_id = ?';
const INSERT_KEY = 'INSERT OR IGNORE INTO lead_dedupe_keys (key, lead_id) VALUES (?, ?)';

/** Replaces the match keys of `leads` (writeMatchKeys for each, as statements). */
const matchKeysOps = (leads: readonly (readonly [leadId: string, keys: string[]])[]): BulkOp[] => [
  { sql: DELETE_KEYS, each: leads.map(([id]) => [id]) },
  { sql: INSERT_KEY, each: leads.flatMap(([id, keys]) => keys.map((k) => [k, id])) },
];

export class ReplicaWriter {
  private baseKeys = new Set<string>();
  private readonly plans = new Map<string, RowPlan>();
  private lastPlan: { table: string; fields: string[]; plan: RowPlan } | null = null;
  /** A bulk load is under way: leads' match keys are staged, not written (built at its end, see bulk-load.ts). */
  deferMatchKeys = false;

  /** `me`: the replica's user, whose approval inbox and conflicts survive a deal's or lead's exit. */
  constructor(private readonly sqlite: Database.Database, private readonly me: () => string) {}

  /** Reads which rows pending mutations changed; call at the start of each apply transaction. */
  loadBaseKeys(): void {
    this.baseKeys = new Set((prepared(this.sqlite, 'SELECT tbl, pk FROM sync_base').all() as { tbl: string; pk: string }[]).map((r) => baseKey(r.tbl, r.pk)));
  }

  hasPendingBase(): boolean {
    return this.baseKeys.size > 0;
  }

  /** Applies one table's changes: deletes first (a row deleted and re-sent comes back), then upserts. */
  apply(change: TableChanges, ctx: ApplyContext): void {
    if (!isReplicatedTable(change.table)) return;
    const table = change.table;
    for (const id of change.deletes) this.deleteRow(table, id, ctx.touched);
    if (change.rows.length === 0) return;
    const plan = this.planOf(table, change.fields);
    const seen = ctx.resetTables?.has(table) ? prepared(this.sqlite, 'INSERT OR IGNORE INTO sync_seen (tbl, pk) VALUES (?, ?)') : null;
    const exists = ctx.adopt && (PARENT_TABLES as string[]).includes(table) ? prepared(this.sqlite, `SELECT 1 FROM ${q(table)} WHERE ${q(replicaCodec(table).pk.sql)} = ?`) : null;
    const bases = this.baseKeys.size > 0;
    for (const values of change.rows) {
      const pk = String(values[plan.pkIndex]);
      seen?.run(table, pk);
      const params = plan.asIs && values.length === plan.from.length ? values : encodeRow(plan, values);
      if (bases && this.baseKeys.has(baseKey(table, pk))) {
        // A pending mutation changed this row: the server's version waits in the base until the rebase.
        const json: Record<string, unknown> = {};
        plan.names.forEach((name, n) => (json[name] = params[n]));
        prepared(this.sqlite, 'UPDATE sync_base SET row = ? WHERE tbl = ? AND pk = ?').run(JSON.stringify(json), table, pk);
        continue;
      }
      if (exists && exists.get(pk) === undefined) ctx.adopt![table as ParentTable].push(pk);
      plan.upsert.run(params);
      if (plan.keyFields) {
        const keys = matchKeys(keyFieldsOf(plan.keyFields, values));
        if (this.deferMatchKeys) stageMatchKeys(this.sqlite, pk, keys);
        else this.writeMatchKeys(pk, keys);
      }
    }
    ctx.touched.add(table);
  }

  /**
   * Applies rows of one table given as the server's JSON text (a run of whole rows, see rowRunsOf): SQLite reads the
   * values from the text itself, so no JavaScript value is made per row but the leads' match-key fields. With a
   * pending mutation's base or a parent's adoption to mind, the rows are parsed and go the row-by-row way.
   */
  applyRun(change: TableChanges, run: JsonRun, ctx: ApplyContext): void {
    const ops = this.runOps(change, run, ctx);
    if (ops) {
      for (const op of ops) runOp(this.sqlite, op);
      return;
    }
    if (!isReplicatedTable(change.table)) return;
    this.apply({ table: change.table, fields: change.fields, rows: rowsOf(change.table, run), deletes: [] }, ctx);
  }

  /**
   * applyRun's writes as statements for another connection to run (a bulk load's thread, see bulk-thread.ts), the
   * leads' match keys worked out here; null when the run has to be parsed (see applyRun).
   */
  runOps(change: TableChanges, run: JsonRun, ctx: ApplyContext): BulkOp[] | null {
    if (!isReplicatedTable(change.table)) return [];
    if (ctx.adopt || this.baseKeys.size > 0) return null;
    const table = change.table;
    const plan = this.planOf(table, change.fields);
    const text = (plan.fromText ??= this.textStatements(table, plan));
    const ops: BulkOp[] = [];
    if (ctx.resetTables?.has(table)) ops.push({ sql: text.seen.source, args: [table, run.bytes] });
    ops.push({ sql: text.upsert.source, args: [run.bytes], expect: { changes: run.count, mismatch: `rows of ${table} arrived that are not arrays of values` } });
    if (text.keys) {
      const leads = (text.keys.all(run.bytes) as [string, ...(string | null)[]][]).map(([id, firstName, lastName, email, phone, companyName]) =>
        [id, matchKeys({ firstName: firstName ?? null, lastName: lastName ?? null, email: email ?? null, phone: phone ?? null, companyName: companyName ?? null })] as const);
      ops.push(...(this.deferMatchKeys ? [stageMatchKeysOp(leads)] : matchKeysOps(leads)));
    }
    ctx.touched.add(table);
    return ops;
  }

  /** The plan's statements over a run's bytes: each element one row, its values by position. */
  private textStatements(table: ReplicatedTable, plan: RowPlan): NonNullable<RowPlan['fromText']> {
    const rows = `jsonb_each('[' || CAST(? AS TEXT) || ']')`;
    const codec = replicaCodec(table);
    // JSON columns keep the value's own text (as JSON.stringify of the parsed value writes it), JSON null as NULL.
    const values = plan.from.map((i, n) => (plan.kinds[n] === 'json' ? `nullif(value->${i}, 'null')` : `value->>${i}`));
    const pk = q(codec.pk.sql);
    const cols = plan.names.map(q);
    const upsert = prepared(this.sqlite, `INSERT INTO ${q(table)} (${cols.join(', ')}) SELECT ${values.join(', ')} FROM ${rows} WHERE json_type(value) = 'array' ON CONFLICT(${pk}) DO UPDATE SET ${cols.filter((c) => c !== pk).map((c) => `${c} = excluded.${c}`).join(', ')}`);
    const seen = prepared(this.sqlite, `INSERT OR IGNORE INTO sync_seen (tbl, pk) SELECT ?, value->>${plan.pkIndex} FROM ${rows}`);
    const at = (i: number) => (i < 0 ? 'NULL' : `value->>${i}`);
    const f = plan.keyFields;
    const keys = f ? preparedRaw(this.sqlite, `SELECT ${[plan.pkIndex, f.firstName, f.lastName, f.email, f.phone, f.companyName].map(at).join(', ')} FROM ${rows}`) : null;
    return { upsert, seen, keys };
  }

  private planOf(table: ReplicatedTable, fields: string[]): RowPlan {
    // A page's table comes in many slices and runs, all with the same fields.
    if (this.lastPlan?.table === table && this.lastPlan.fields === fields) return this.lastPlan.plan;
    const id = `${table}\u0000${fields.join('\u0000')}`;
    let plan = this.plans.get(id);
    if (!plan) plan = this.newPlan(table, fields, id);
    this.lastPlan = { table, fields, plan };
    return plan;
  }

  private newPlan(table: ReplicatedTable, fields: string[], id: string): RowPlan {
    const codec = replicaCodec(table);
    const cols = fields.map((f) => (f === 'version' ? VERSION_COLUMN : codec.byKey.get(f) ?? null));
    const from = cols.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
    const names = from.map((i) => cols[i]!.sql);
    const pkIndex = fields.indexOf(codec.pk.key);
    if (pkIndex < 0) throw new Error(`rows of ${table} arrived without their key ${codec.pk.key}`);
    const colList = names.map(q);
    const pk = q(codec.pk.sql);
    const upsert = prepared(this.sqlite, `INSERT INTO ${q(table)} (${colList.join(', ')}) VALUES (${colList.map(() => '?').join(', ')}) ON CONFLICT(${pk}) DO UPDATE SET ${colList.filter((c) => c !== pk).map((c) => `${c} = excluded.${c}`).join(', ')}`);
    const kinds = from.map((i) => cols[i]!.kind);
    const keyFields = table === 'leads' ? Object.fromEntries(KEY_FIELDS.map((k) => [k, fields.indexOf(k)])) as RowPlan['keyFields'] : null;
    const plan = { upsert, from, kinds, asIs: from.length === fields.length && kinds.every((k) => k === 'plain'), names, pkIndex, keyFields, fromText: null };
    this.plans.set(id, plan);
    return plan;
  }

  /** Deletes a row (or, under a pending change, its base) and the children it takes out of view with it. */
  deleteRow(table: ReplicatedTable, pk: string, touched: Set<string>): void {
    const codec = replicaCodec(table);
    if (this.baseKeys.has(baseKey(table, pk))) {
      prepared(this.sqlite, 'UPDATE sync_base SET row = NULL WHERE tbl = ? AND pk = ?').run(table, pk);
    } else {
      const gone = prepared(this.sqlite, `DELETE FROM ${q(table)} WHERE ${q(codec.pk.sql)} = ?`).run(pk);
      if (gone.changes === 0) return;
      if (table === 'leads') prepared(this.sqlite, 'DELETE FROM lead_dedupe_keys WHERE lead_id = ?').run(pk);
      touched.add(table);
    }
    if (!(PARENT_TABLES as string[]).includes(table)) return;
    for (const link of CHILDREN[table as ParentTable]) {
      for (const child of this.childrenLeaving(link.table, link.field, link.entityType, pk)) this.deleteRow(link.table, child, touched);
    }
  }

  /** Children of a parent leaving the view, but those the user still sees by another rule (see sync-visibility.ts). */
  private childrenLeaving(table: ReplicatedTable, field: string, entityType: string | undefined, parentId: string): string[] {
    const codec = replicaCodec(table);
    const conds = [`${q(codec.column(field).sql)} = ?`];
    const params: unknown[] = [parentId];
    if (entityType) {
      conds.push('entity_type = ?');
      params.push(entityType);
    }
    if (table === 'approval_requests') {
      conds.push('(approver_id IS NULL OR approver_id <> ?)');
      params.push(this.me());
    }
    if (table === 'conflicts') {
      conds.push('client_user_id <> ? AND (server_user_id IS NULL OR server_user_id <> ?)');
      params.push(this.me(), this.me());
    }
    return (prepared(this.sqlite, `SELECT ${q(codec.pk.sql)} AS pk FROM ${q(table)} WHERE ${conds.join(' AND ')}`).all(...params) as { pk: string }[]).map((r) => r.pk);
  }

  /** Puts back the server's version of every row pending mutations changed, and forgets the bases. */
  restoreBases(touched: Set<string>): void {
    const tables = (prepared(this.sqlite, 'SELECT DISTINCT tbl FROM sync_base').all() as { tbl: string }[]).map((r) => r.tbl).filter(isReplicatedTable);
    for (const table of REPLICATED_TABLES.filter((t) => tables.includes(t))) {
      const codec = replicaCodec(table);
      const pk = q(codec.pk.sql);
      prepared(this.sqlite, `DELETE FROM ${q(table)} WHERE ${pk} IN (SELECT pk FROM sync_base WHERE tbl = ? AND row IS NULL)`).run(table);
      const cols = [...codec.columns.map((c) => c.sql), 'version'];
      prepared(this.sqlite, `INSERT OR REPLACE INTO ${q(table)} (${cols.map(q).join(', ')}) SELECT ${cols.map((c) => `json_extract(row, '$."${c}"')`).join(', ')} FROM sync_base WHERE tbl = ? AND row IS NOT NULL`).run(table);
      if (table === 'leads') {
        const ids = (prepared(this.sqlite, `SELECT pk FROM sync_base WHERE tbl = 'leads'`).all() as { pk: string }[]).map((r) => r.pk);
        const read = prepared(this.sqlite, `SELECT ${codec.selectList} FROM leads WHERE id = ?`).raw(true);
        for (const id of ids) {
          prepared(this.sqlite, 'DELETE FROM lead_dedupe_keys WHERE lead_id = ?').run(id);
          const raw = read.get(id) as unknown[] | undefined;
          if (raw) this.writeMatchKeys(id, matchKeys(codec.fromRaw(raw) as Lead), false);
        }
      }
      touched.add(table);
    }
    prepared(this.sqlite, 'DELETE FROM sync_base').run();
    this.baseKeys.clear();
  }

  /** The end of a full resync: rows of `tables` it did not deliver are gone from the user's view. */
  sweep(tables: readonly string[], touched: Set<string>): void {
    for (const table of tables.filter(isReplicatedTable)) {
      const codec = replicaCodec(table);
      const pk = q(codec.pk.sql);
      const stale = `${pk} NOT IN (SELECT pk FROM sync_seen WHERE tbl = '${table}')`;
      const gone = prepared(this.sqlite, `DELETE FROM ${q(table)} WHERE ${stale} AND ${pk} NOT IN (SELECT pk FROM sync_base WHERE tbl = '${table}')`).run();
      prepared(this.sqlite, `UPDATE sync_base SET row = NULL WHERE tbl = ? AND row IS NOT NULL AND pk NOT IN (SELECT pk FROM sync_seen WHERE tbl = ?)`).run(table, table);
      if (gone.changes > 0) touched.add(table);
    }
    // Only a sweep of leads leaves keys behind (a scan of every key otherwise, after a bulk load built them).
    if (tables.includes('leads')) prepared(this.sqlite, 'DELETE FROM lead_dedupe_keys WHERE lead_id NOT IN (SELECT id FROM leads)').run();
    prepared(this.sqlite, 'DELETE FROM sync_seen').run();
  }

  private writeMatchKeys(leadId: string, keys: string[], replace = true): void {
    if (replace) prepared(this.sqlite, DELETE_KEYS).run(leadId);
    const insert = prepared(this.sqlite, INSERT_KEY);
    for (const k of keys) insert.run(k, leadId);
  }
}
