// The server's MutationTx over one PostgreSQL transaction: every write stamped with the transaction's change version,
// audited, and deletes remembered as tombstones for sync.
import { and, eq, isNull } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { AuditAction } from '../../src-shared/domain/activities.schema';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import type { Lead } from '../../src-shared/domain/leads.schema';
import type { MutatorEnv } from '../../src-shared/mutators/mutator';
import type { EntityMap, MutationTx, TableName, Where, WriteOptions } from '../../src-shared/mutators/mutation-tx';
import { AUDITED, MATCH_KEY_FIELDS, auditCreated, auditDiff, changedFields } from '../../src-shared/mutators/write-rules';
import type { AppDb } from '../db/database';
import { auditLog } from '../db/schema/activities.table';
import { leadDedupeKeys } from '../db/schema/leads.table';
import { syncTombstones } from '../db/schema/sync.table';
import { pgTableOf, withoutVersion } from './pg-tables';

const notFound = (table: string, key: string) => new AppError(ErrorCode.NOT_FOUND, `${table} ${key} not found`);

/**
 * Must be used inside a transaction that took its change version (nextVersion) before any read: that lock on the
 * tenant's counter serializes the tenant's writers, so what a mutator reads is still current when it writes.
 */
export class PgMutationTx implements MutationTx {
  /** Tables written so far. */
  readonly touched = new Set<string>();
  private readonly tenantId: string;

  constructor(private readonly tx: AppDb, private readonly env: MutatorEnv, private readonly version: number) {
    this.tenantId = env.actor.tenantId;
  }

  async get<T extends TableName>(table: T, key: string): Promise<EntityMap[T] | undefined> {
    const info = pgTableOf(table);
    const [row] = await this.tx.select().from(info.table).where(and(eq(info.pk, key), eq(info.tenant, this.tenantId)));
    return row ? withoutVersion<EntityMap[T]>(row) : undefined;
  }

  async find<T extends TableName>(table: T, where: Where<EntityMap[T]>): Promise<EntityMap[T][]> {
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
    await this.tx.insert(info.table).values({ ...rec, version: this.version });
    this.touched.add(table);
    await this.audit(table, rec, opts.action ?? 'create', null, { ...auditCreated(rec), ...opts.note });
    if (table === 'leads') await this.writeMatchKeys(row as Lead, false);
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
      if (opts.note) await this.audit(table, prev, opts.action ?? 'update', {}, { ...opts.note });
      return before;
    }
    if (info.hasUpdatedAt && !('updatedAt' in changed)) changed['updatedAt'] = this.env.now;
    await this.tx.update(info.table).set({ ...changed, version: this.version }).where(and(eq(info.pk, key), eq(info.tenant, this.tenantId)));
    this.touched.add(table);
    const after = { ...prev, ...changed } as EntityMap[T];
    const diff = auditDiff(prev, changed);
    await this.audit(table, prev, opts.action ?? 'update', diff.before, { ...diff.after, ...opts.note });
    if (table === 'leads' && MATCH_KEY_FIELDS.some((f) => f in changed)) await this.writeMatchKeys(after as Lead, true);
    return after;
  }

  async delete<T extends TableName>(table: T, key: string, opts: WriteOptions = {}): Promise<void> {
    const info = pgTableOf(table);
    const before = await this.get(table, key);
    if (!before) throw notFound(table, key);
    // The lead's match keys and a deal's stage history go with it (ON DELETE CASCADE); replicas cascade alike.
    await this.tx.delete(info.table).where(and(eq(info.pk, key), eq(info.tenant, this.tenantId)));
    await this.tx
      .insert(syncTombstones)
      .values({ tenantId: this.tenantId, tableName: table, rowId: key, version: this.version, deletedAt: this.env.now })
      .onConflictDoUpdate({ target: [syncTombstones.tenantId, syncTombstones.tableName, syncTombstones.rowId], set: { version: this.version, deletedAt: this.env.now } });
    this.touched.add(table);
    const rec = before as Record<string, unknown>;
    await this.audit(table, rec, opts.action ?? 'delete', auditCreated(rec), opts.note ? { ...opts.note } : null);
  }

  private async audit(table: TableName, row: Record<string, unknown>, action: AuditAction, before: Record<string, unknown> | null, after: Record<string, unknown> | null): Promise<void> {
    const target = AUDITED[table];
    if (!target) return;
    await this.tx.insert(auditLog).values({
      id: this.env.newId(), tenantId: this.tenantId, actorId: this.env.actor.userId, entityType: target.entityType,
      entityId: String(row[target.idField]), action, before, after, at: this.env.now, version: this.version,
    });
    this.touched.add('audit_log');
  }

  private async writeMatchKeys(lead: Lead, replace: boolean): Promise<void> {
    if (replace) await this.tx.delete(leadDedupeKeys).where(eq(leadDedupeKeys.leadId, lead.id));
    const keys = matchKeys(lead);
    if (keys.length > 0) await this.tx.insert(leadDedupeKeys).values(keys.map((key) => ({ key, leadId: lead.id }))).onConflictDoNothing();
  }
}
