// The server's MutationTx over one PostgreSQL transaction: every write stamped with the transaction's change version,
// audited, and deletes remembered as tombstones for sync. Writes are queued and sent together (see flush).
import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { SQL, SQLWrapper } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { AuditAction } from '../../src-shared/domain/activities.schema';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import type { Lead } from '../../src-shared/domain/leads.schema';
import type { MutatorEnv } from '../../src-shared/mutators/mutator';
import { primaryKeyOf } from '../../src-shared/mutators/mutation-tx';
import type { EntityMap, MutationTx, TableName, Where, WriteOptions } from '../../src-shared/mutators/mutation-tx';
import { AUDITED, MATCH_KEY_FIELDS, auditCreated, auditDiff, changedFields } from '../../src-shared/mutators/write-rules';
import type { AppDb } from '../db/database';
import { auditLog } from '../db/schema/activities.table';
import { leadDedupeKeys } from '../db/schema/leads.table';
import { PreparedStatement } from '../db/prepared-statement';
import { syncTombstones } from '../db/schema/sync.table';
import { pgTableOf, withoutVersion } from './pg-tables';

const byKey = new Map<TableName, PreparedStatement<Record<string, unknown>>>();

/** A row of `table` by its key, within the tenant: the read every mutator makes. */
function rowByKey(table: TableName): PreparedStatement<Record<string, unknown>> {
  let statement = byKey.get(table);
  if (!statement) {
    const info = pgTableOf(table);
    statement = new PreparedStatement(`mutation_get_${table}`, () => sql`SELECT ${info.selectList} FROM ${info.table} WHERE ${info.pk} = ${sql.placeholder('key')} AND ${info.tenant} = ${sql.placeholder('tenant')}`);
    byKey.set(table, statement);
  }
  return statement;
}

const notFound = (table: string, key: string) => new AppError(ErrorCode.NOT_FOUND, `${table} ${key} not found`);

/**
 * Must be used inside a transaction that took its change version (nextVersion) before any read: that lock on the
 * tenant's counter serializes the tenant's writers, so what a mutator reads is still current when it writes.
 */
export class PgMutationTx implements MutationTx {
  /** Tables written so far. */
  readonly touched = new Set<string>();
  private readonly tenantId: string;
  private readonly queued: SQL[] = [];
  /**
   * Rows this mutation read, as they stand after its own updates (undefined: read as absent, or deleted). The merge
   * step and the mutator read the same rows; the second read costs nothing. Inserted rows are read back from the
   * database (it fills their defaults).
   */
  private readonly known = new Map<string, Record<string, unknown> | undefined>();

  constructor(private readonly tx: AppDb, private readonly env: MutatorEnv, private readonly version: number) {
    this.tenantId = env.actor.tenantId;
  }

  /** Queues a write (no result needed): it reaches the database with the next read or at flush(). */
  queue(write: SQLWrapper): void {
    this.queued.push(write.getSQL());
  }

  /**
   * Sends the queued writes as one statement (the first ones as data-modifying WITH clauses): a mutation's row, its
   * audit entry, its match keys and the client's progress cost one round trip, not four. The parts of one statement
   * share a snapshot, so each queue holds at most one write of a row: every update and delete reads its row first,
   * which flushes. Foreign keys are checked at the statement's end, when every part has run.
   */
  async flush(): Promise<void> {
    if (this.queued.length === 0) return;
    const writes = this.queued.splice(0);
    const last = writes.pop()!;
    const withs = writes.map((w, i) => sql`${sql.raw(`w${i}`)} AS (${w})`);
    await this.tx.execute(withs.length === 0 ? last : sql`WITH ${sql.join(withs, sql`, `)} ${last}`);
  }

  async get<T extends TableName>(table: T, key: string): Promise<EntityMap[T] | undefined> {
    const id = `${table} ${key}`;
    if (!this.known.has(id)) {
      await this.flush();
      const [row] = await rowByKey(table).rows(this.tx, { key, tenant: this.tenantId });
      this.known.set(id, row ? withoutVersion<Record<string, unknown>>(row) : undefined);
    }
    const row = this.known.get(id);
    // A copy: what a mutator does to the object it got is no write.
    return row ? ({ ...row } as EntityMap[T]) : undefined;
  }

  async find<T extends TableName>(table: T, where: Where<EntityMap[T]>): Promise<EntityMap[T][]> {
    await this.flush();
    const info = pgTableOf(table);
    const conds: SQL[] = [eq(info.tenant, this.tenantId)];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      const col = info.columns[key];
      if (!col) throw new Error(`${table} has no field ${key}`);
      conds.push(value === null ? isNull(col) : eq(col, value));
    }
    const rows = await this.tx.select().from(info.table).where(and(...conds));
    return rows.map((r) => withoutVersion<EntityMap[T]>(r));
  }

  async insert<T extends TableName>(table: T, row: EntityMap[T], opts: WriteOptions = {}): Promise<void> {
    const info = pgTableOf(table);
    const rec = row as Record<string, unknown>;
    if (rec[table === 'tenants' ? 'id' : 'tenantId'] !== this.tenantId) throw new AppError(ErrorCode.FORBIDDEN, `cannot write ${table} of another tenant`);
    this.queue(this.tx.insert(info.table).values({ ...rec, version: this.version }));
    this.known.delete(`${table} ${String(rec[primaryKeyOf(table)])}`);
    this.touched.add(table);
    this.audit(table, rec, opts.action ?? 'create', null, { ...auditCreated(rec), ...opts.note });
    if (table === 'leads') this.writeMatchKeys(row as Lead, false);
  }

  async update<T extends TableName>(table: T, key: string, patch: Partial<EntityMap[T]>, opts: WriteOptions = {}): Promise<EntityMap[T]> {
    const info = pgTableOf(table);
    const before = await this.get(table, key);
    if (!before) throw notFound(table, key);
    const prev = before as Record<string, unknown>;
    const changed = changedFields(prev, patch as Record<string, unknown>);
    const pkField = table === 'scoring_configs' ? 'tenantId' : 'id';
    if (changed && (pkField in changed || 'tenantId' in changed)) throw new AppError(ErrorCode.FORBIDDEN, `cannot change the key or tenant of ${table} ${key}`);
    if (!changed) {
      if (opts.note) this.audit(table, prev, opts.action ?? 'update', {}, { ...opts.note });
      return before;
    }
    if (info.hasUpdatedAt && !('updatedAt' in changed)) changed['updatedAt'] = this.env.now;
    this.queue(this.tx.update(info.table).set({ ...changed, version: this.version }).where(and(eq(info.pk, key), eq(info.tenant, this.tenantId))));
    this.touched.add(table);
    const after = { ...prev, ...changed } as EntityMap[T];
    this.known.set(`${table} ${key}`, { ...after });
    const diff = auditDiff(prev, changed);
    this.audit(table, prev, opts.action ?? 'update', diff.before, { ...diff.after, ...opts.note });
    if (table === 'leads' && MATCH_KEY_FIELDS.some((f) => f in changed)) this.writeMatchKeys(after as Lead, true);
    return after;
  }

  async delete<T extends TableName>(table: T, key: string, opts: WriteOptions = {}): Promise<void> {
    const info = pgTableOf(table);
    const before = await this.get(table, key);
    if (!before) throw notFound(table, key);
    // The lead's match keys and a deal's stage history go with it (ON DELETE CASCADE); replicas cascade alike. The
    // table's delete trigger leaves a tombstone at the end of the statement; the mutation's own time goes on it after.
    this.queue(this.tx.delete(info.table).where(and(eq(info.pk, key), eq(info.tenant, this.tenantId))));
    this.known.set(`${table} ${key}`, undefined);
    await this.flush();
    this.queue(this.tx
      .insert(syncTombstones)
      .values({ tenantId: this.tenantId, tableName: table, rowId: key, version: this.version, deletedAt: this.env.now })
      .onConflictDoUpdate({ target: [syncTombstones.tenantId, syncTombstones.tableName, syncTombstones.rowId], set: { version: this.version, deletedAt: this.env.now } }));
    this.touched.add(table);
    const rec = before as Record<string, unknown>;
    this.audit(table, rec, opts.action ?? 'delete', auditCreated(rec), opts.note ? { ...opts.note } : null);
  }

  private audit(table: TableName, row: Record<string, unknown>, action: AuditAction, before: Record<string, unknown> | null, after: Record<string, unknown> | null): void {
    const target = AUDITED[table];
    if (!target) return;
    this.queue(this.tx.insert(auditLog).values({
      id: this.env.newId(), tenantId: this.tenantId, actorId: this.env.actor.userId, entityType: target.entityType,
      entityId: String(row[target.idField]), action, before, after, at: this.env.now, version: this.version,
    }));
    this.touched.add('audit_log');
  }

  private writeMatchKeys(lead: Lead, replace: boolean): void {
    const keys = matchKeys(lead);
    // Only the keys that went: the insert, in the same statement, does not see this delete.
    if (replace) this.queue(this.tx.delete(leadDedupeKeys).where(and(eq(leadDedupeKeys.leadId, lead.id), keys.length > 0 ? notInArray(leadDedupeKeys.key, keys) : undefined)));
    if (keys.length > 0) this.queue(this.tx.insert(leadDedupeKeys).values(keys.map((key) => ({ key, leadId: lead.id }))).onConflictDoNothing());
  }
}
