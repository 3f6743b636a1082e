// The per-tenant change version that stamps every write to a replicated table, so sync can pull "changes since".
import { eq, lt, sql } from 'drizzle-orm';
import type { AppDb } from './database';
import { tenantVersions } from './schema/auth.table';

/**
 * Takes the tenant's next change version inside `tx`. Call it once per transaction and stamp every replicated row the
 * transaction writes with it (`version` column). The upsert locks the tenant's counter row until commit, so a
 * tenant's writers commit in version order: a reader that has seen version N can never later find a commit with a
 * version below N (a plain sequence would allow that and lose changes).
 */
export async function nextVersion(tx: AppDb, tenantId: string): Promise<number> {
  const [row] = await tx
    .insert(tenantVersions)
    .values({ tenantId, version: 1, durable: 1 })
    // Committed synchronously, as every transaction but a push's batch is: the version is durable at commit.
    .onConflictDoUpdate({ target: tenantVersions.tenantId, set: { version: sql`${tenantVersions.version} + 1`, durable: sql`${tenantVersions.version} + 1` } })
    .returning({ version: tenantVersions.version });
  if (!row) throw new Error(`no change version for tenant ${tenantId}`);
  return row.version;
}

/** The tenant's latest change version (0 before its first write). */
export async function currentVersion(db: AppDb, tenantId: string): Promise<number> {
  const [row] = await db.select({ version: tenantVersions.version }).from(tenantVersions).where(eq(tenantVersions.tenantId, tenantId));
  return row?.version ?? 0;
}

/**
 * Moves the durable version up to the latest with a synchronous commit, which flushes every change before it (the log
 * is written in order): `tenantId`'s, or, without one, every tenant's that lags. The latter runs at server start: a
 * server stopped in the middle of a push batch leaves changes committed without waiting for the disk above the
 * durable version, kept out of pulls until the tenant's next synchronous commit. Returns how many tenants it moved.
 */
export async function markDurable(db: AppDb, tenantId?: string): Promise<number> {
  const rows = await db.update(tenantVersions).set({ durable: sql`${tenantVersions.version}` })
    .where(tenantId === undefined ? lt(tenantVersions.durable, tenantVersions.version) : eq(tenantVersions.tenantId, tenantId))
    .returning({ tenantId: tenantVersions.tenantId });
  return rows.length;
}
