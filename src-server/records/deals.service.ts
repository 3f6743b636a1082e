// Deals as the caller may see them: only in pipelines they see, then by ownership and team; and, read only, the deals
// whose approval they hold.
import { and, desc, eq } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { canEditDeal } from '../../src-shared/domain/visibility';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { DealListQuery, DealPage, DealPatch, DealRecord } from '../../src-shared/http/records.http';
import type { ServerContext } from '../app/server-context';
import { deals, pipelines } from '../db/schema/deals.table';
import { nextVersion } from '../db/tenant-version';
import { changedFields, writeAudit } from '../audit/audit-log';
import { afterCursor, pageOf } from './page-cursor';
import { dealReadableBy, visiblePipelineIds } from './visibility-sql';

type DealRow = typeof deals.$inferSelect;
const toRecord = (row: DealRow): DealRecord => row;

export const dealNotFound = () => new AppError(ErrorCode.NOT_FOUND, 'no such deal');

export async function listDeals(ctx: ServerContext, viewer: Viewer, query: DealListQuery): Promise<DealPage> {
  const visible = await visiblePipelineIds(ctx.db, viewer);
  const rows = await ctx.db
    .select()
    .from(deals)
    .where(and(
      dealReadableBy(viewer, visible),
      query.pipelineId === undefined ? undefined : eq(deals.pipelineId, query.pipelineId),
      query.stageId === undefined ? undefined : eq(deals.stageId, query.stageId),
      query.status === undefined ? undefined : eq(deals.status, query.status),
      query.ownerId === undefined ? undefined : eq(deals.ownerId, query.ownerId),
      afterCursor(query.cursor, deals.createdAt, deals.id),
    ))
    .orderBy(desc(deals.createdAt), desc(deals.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit);
  return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
}

/** A deal the viewer may not see (or in a pipeline they may not see) answers exactly like one that does not exist. */
export async function getDeal(ctx: ServerContext, viewer: Viewer, id: string): Promise<DealRecord> {
  const visible = await visiblePipelineIds(ctx.db, viewer);
  const [row] = await ctx.db.select().from(deals).where(and(eq(deals.id, id), dealReadableBy(viewer, visible)));
  if (!row) throw dealNotFound();
  return toRecord(row);
}

const EDITABLE = ['name', 'nextStep'] as const;

export async function patchDeal(ctx: ServerContext, viewer: Viewer, id: string, patch: DealPatch): Promise<DealRecord> {
  const { expectedVersion, ...changes } = patch;
  const visible = await visiblePipelineIds(ctx.db, viewer);
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ deal: deals, pipeline: pipelines })
      .from(deals)
      .innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
      .where(and(eq(deals.id, id), dealReadableBy(viewer, visible)))
      .for('update', { of: deals });
    if (!found) throw dealNotFound();
    const row = found.deal;
    if (!canEditDeal(viewer, row, found.pipeline)) throw new AppError(ErrorCode.FORBIDDEN, 'you may see this deal but not change it');
    if (expectedVersion !== undefined && expectedVersion !== row.version) {
      throw new AppError(ErrorCode.CONFLICT, `the deal changed since version ${expectedVersion} (now ${row.version}); reload and retry`, undefined, { version: row.version });
    }
    const version = await nextVersion(tx, row.tenantId);
    const [updated] = await tx.update(deals).set({ ...changes, updatedAt: ctx.clock.now(), version }).where(eq(deals.id, row.id)).returning();
    const diff = changedFields(row, updated!, EDITABLE);
    await writeAudit(tx, ctx, { tenantId: row.tenantId, actorId: viewer.userId, entityType: 'deal', entityId: row.id, action: 'update', ...diff, version });
    return toRecord(updated!);
  });
}
