// Archiving job: terminal leads untouched for longer than the tenant's retention become archived (kept on the server).
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import { DAY_MS } from '../../src-shared/domain/common.schema';
import { tenants } from '../db/schema/accounts.table';
import { leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import { writeAudit } from '../audit/audit-log';
import type { JobContext } from './job-context';
import { tenantSettings } from './tenant-settings';

const TERMINAL = ['CONVERTED', 'DISQUALIFIED'] as const;

export interface ArchiveSummary {
  archived: number;
}

/**
 * Archives, tenant by tenant in batches, the CONVERTED or DISQUALIFIED leads whose `updatedAt` is older than
 * `settings.leadRetentionDays`. Each lead is audited and takes the batch's change version (so sync learns it left
 * the default view). The row is re-checked under lock, so a lead reopened meanwhile stays, and a second run finds
 * nothing to do.
 */
export async function archiveStaleLeads(ctx: Pick<JobContext, 'db' | 'clock' | 'newId'>, batchSize = 500): Promise<ArchiveSummary> {
  const now = ctx.clock.now();
  let archived = 0;
  const tenantRows = await ctx.db.select({ id: tenants.id }).from(tenants).orderBy(asc(tenants.id));
  for (const { id: tenantId } of tenantRows) {
    const settings = await tenantSettings(ctx.db, tenantId);
    if (!settings) continue;
    const cutoff = now - settings.leadRetentionDays * DAY_MS;
    const stale = and(eq(leads.tenantId, tenantId), eq(leads.archived, false), inArray(leads.status, [...TERMINAL]), lt(leads.updatedAt, cutoff));
    for (;;) {
      const n = await ctx.db.transaction(async (tx) => {
        const batch = await tx.select().from(leads).where(stale).orderBy(asc(leads.id)).limit(batchSize).for('update', { skipLocked: true });
        if (batch.length === 0) return 0;
        const version = await nextVersion(tx, tenantId);
        await tx.update(leads).set({ archived: true, updatedAt: now, version }).where(inArray(leads.id, batch.map((l) => l.id)));
        for (const lead of batch) {
          await writeAudit(tx, ctx, { tenantId, actorId: null, entityType: 'lead', entityId: lead.id, action: 'archive', before: { archived: false }, after: { archived: true, retentionDays: settings.leadRetentionDays }, version });
        }
        return batch.length;
      });
      archived += n;
      if (n < batchSize) break;
    }
  }
  return { archived };
}
