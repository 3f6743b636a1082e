// The desktop's MutationTx over one open SQLite transaction: audit entries and lead match keys written alongside.
import type Database from 'better-sqlite3';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { AuditAction } from '../../src-shared/domain/activities.schema';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import type { Lead } from '../../src-shared/domain/leads.schema';
import type { MutatorEnv } from '../../src-shared/mutators/mutator';
import type { EntityMap, MutationTx, TableName, Where, WriteOptions } from '../../src-shared/mutators/mutation-tx';
import { AUDITED, MATCH_KEY_FIELDS, auditCreated, auditDiff, changedFields } from '../../src-shared/mutators/write-rules';
import { codecOf, encodeValue } from './entity-codecs';
import { prepared, preparedRaw } from './statement-cache';

const AUDIT_INSERT = 'INSERT INTO audit_log (id, tenant_id, actor_id, entity_type, entity_id, action, before, after, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const KEY_INSERT = 'INSERT OR IGNORE INTO lead_dedupe_keys (key, lead_id) VALUES (?, ?)';
const KEYS_DELETE = 'DELETE FROM lead_dedupe_keys WHERE lead_id = ?';

const notFound = (table: string, key: string) => new AppError(ErrorCode.NOT_FOUND, `${table} ${key} not found`);

/**
 * Must be used inside a transaction the caller opened. Synchronous underneath (better-sqlite3); the methods are
 * async only to share the MutationTx interface with the server, so a mutator runs within one macrotask.
 */
export class SqliteMutationTx implements MutationTx {
  /** Tables written so far, for the `changed` event after commit. */
  readonly touched = new Set<string>();
  private readonly tenantId: string;

  constructor(private readonly sqlite: Database.Database, private readonly env: MutatorEnv) {
    this.tenantId = env.actor.tenantId;
  }

  async get<T extends TableName>(table: T, key: string): Promise<EntityMap[T] | undefined> {
    return this.getSync(table, key);
  }

  getSync<T extends TableName>(table: T, key: string): EntityMap[T] | undefined {
    const c = codecOf(table);
    const raw = preparedRaw(this.sqlite, `SELECT ${c.selectList} FROM "${table}" WHERE "${c.pk.sql}" = ? AND "${c.tenantColumn.sql}" = ?`).get(key, this.tenantId) as unknown[] | undefined;
    return raw ? c.fromRaw(raw, true) : undefined;
  }

  async find<T extends TableName>(table: T, where: Where<EntityMap[T]>): Promise<EntityMap[T][]> {
    const c = codecOf(table);
    const conds = [`"${c.tenantColumn.sql}" = ?`];
    const params: unknown[] = [this.tenantId];
    for (const key of Object.keys(where).sort()) {
      const value = (where as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const col = c.column(key);
      if (value === null) conds.push(`"${col.sql}" IS NULL`);
      else {
        conds.push(`"${col.sql}" = ?`);
        params.push(encodeValue(col.kind, value));
      }
    }
    const rows = preparedRaw(this.sqlite, `SELECT ${c.selectList} FROM "${table}" WHERE ${conds.join(' AND ')}`).all(...params) as unknown[][];
    return rows.map((r) => c.fromRaw(r, true));
  }

  async insert<T extends TableName>(table: T, row: EntityMap[T], opts: WriteOptions = {}): Promise<void> {
    const c = codecOf(table);
    const rec = row as Record<string, unknown>;
    if (rec[c.tenantColumn.key] !== this.tenantId) throw new AppError(ErrorCode.FORBIDDEN, `cannot write ${table} of another tenant`);
    const placeholders = c.columns.map(() => '?').join(', ');
    prepared(this.sqlite, `INSERT INTO "${table}" (${c.selectList}) VALUES (${placeholders})`).run(...c.toParams(row));
    this.touched.add(table);
    this.audit(table, rec, opts.action ?? 'create', null, { ...auditCreated(rec), ...opts.note });
    if (table === 'leads') this.writeMatchKeys(row as Lead, false);
  }

  async update<T extends TableName>(table: T, key: string, patch: Partial<EntityMap[T]>, opts: WriteOptions = {}): Promise<EntityMap[T]> {
    const c = codecOf(table);
    const before = this.getSync(table, key);
    if (!before) throw notFound(table, key);
    const prev = before as Record<string, unknown>;
    const changed = changedFields(prev, patch as Record<string, unknown>);
    if (changed && (c.pk.key in changed || c.tenantColumn.key in changed)) throw new AppError(ErrorCode.FORBIDDEN, `cannot change the key or tenant of ${table} ${key}`);
    if (!changed) {
      if (opts.note) this.audit(table, prev, opts.action ?? 'update', {}, { ...opts.note });
      return before;
    }
    if ('updatedAt' in prev && !('updatedAt' in changed)) changed['updatedAt'] = this.env.now;
    const keys = Object.keys(changed).sort();
    const sets = keys.map((k) => `"${c.column(k).sql}" = ?`).join(', ');
    const params = keys.map((k) => encodeValue(c.column(k).kind, changed[k]));
    prepared(this.sqlite, `UPDATE "${table}" SET ${sets} WHERE "${c.pk.sql}" = ?`).run(...params, key);
    this.touched.add(table);
    const after = { ...prev, ...changed } as EntityMap[T];
    const diff = auditDiff(prev, changed);
    this.audit(table, prev, opts.action ?? 'update', diff.before, { ...diff.after, ...opts.note });
    if (table === 'leads' && MATCH_KEY_FIELDS.some((f) => f in changed)) this.writeMatchKeys(after as Lead, true);
    return after;
  }

  async delete<T extends TableName>(table: T, key: string, opts: WriteOptions = {}): Promise<void> {
    const c = codecOf(table);
    const before = this.getSync(table, key);
    if (!before) throw notFound(table, key);
    // The lead's match keys go with it through the foreign key's ON DELETE CASCADE.
    prepared(this.sqlite, `DELETE FROM "${table}" WHERE "${c.pk.sql}" = ?`).run(key);
    this.touched.add(table);
    const rec = before as Record<string, unknown>;
    this.audit(table, rec, opts.action ?? 'delete', auditCreated(rec), opts.note ? { ...opts.note } : null);
  }

  private audit(table: TableName, row: Record<string, unknown>, action: AuditAction, before: Record<string, unknown> | null, after: Record<string, unknown> | null): void {
    const target = AUDITED[table];
    if (!target) return;
    prepared(this.sqlite, AUDIT_INSERT).run(
      this.env.newId(), this.tenantId, this.env.actor.userId, target.entityType, row[target.idField],
      action, before && JSON.stringify(before), after && JSON.stringify(after), this.env.now,
    );
    this.touched.add('audit_log');
  }

  private writeMatchKeys(lead: Lead, replace: boolean): void {
    if (replace) prepared(this.sqlite, KEYS_DELETE).run(lead.id);
    const insert = prepared(this.sqlite, KEY_INSERT);
    for (const k of matchKeys(lead)) insert.run(k, lead.id);
  }
}
