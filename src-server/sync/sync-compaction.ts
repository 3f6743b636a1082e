// Compaction of the sync change log: old tombstones are dropped and the tenant's horizon raised past them, so a
// desktop whose cursor is older than the horizon resyncs in full instead of missing a delete.
import { and, eq, lte, max, sql } from 'drizzle-orm';
import type { ServerContext } from '../app/server-context';
import type { BackgroundService } from '../app/server-areas';
import type { AppDb } from '../db/database';
import { syncHorizons, syncTombstones } from '../db/schema/sync.table';

export const DEFAULT_TOMBSTONE_RETENTION_MS = 30 * 24 * 3_600_000;

/** Drops tombstones deleted before `before` in every tenant; returns how many went. */
export async function compactTombstones(db: AppDb, before: number, now: number): Promise<number> {
  const tenants = await db.select({ tenantId: syncTombstones.tenantId, version: max(syncTombstones.version) }).from(syncTombstones)
    .where(lte(syncTombstones.deletedAt, before)).groupBy(syncTombstones.tenantId);
  let dropped = 0;
  for (const { tenantId, version } of tenants) {
    if (version === null) continue;
    dropped += await db.transaction(async (tx) => {
      // The horizon first: a pull that starts now with an older cursor resets rather than trusting a thinned log.
      await tx.insert(syncHorizons).values({ tenantId, version, compactedAt: now })
        .onConflictDoUpdate({ target: syncHorizons.tenantId, set: { version: sql`greatest(${syncHorizons.version}, ${version})`, compactedAt: now } });
      const gone = await tx.delete(syncTombstones).where(and(eq(syncTombstones.tenantId, tenantId), lte(syncTombstones.version, version))).returning({ id: syncTombstones.rowId });
      return gone.length;
    });
  }
  return dropped;
}

/** Compacts hourly in the background; a failure is logged and retried at the next round. */
export function createSyncCompactionService(options: { retentionMs?: number; everyMs?: number } = {}): BackgroundService {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  return {
    name: 'sync-compaction',
    async start(ctx: ServerContext) {
      const round = () => {
        const now = ctx.clock.now();
        running = compactTombstones(ctx.db, now - (options.retentionMs ?? DEFAULT_TOMBSTONE_RETENTION_MS), now)
          .then((n) => { if (n > 0) ctx.log.info({ tombstones: n }, 'sync change log compacted'); })
          .catch((err: unknown) => ctx.log.warn({ err }, 'sync compaction failed; retrying at the next round'));
      };
      timer = setInterval(round, options.everyMs ?? 3_600_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
