// The visibility predicates of src-shared/domain/visibility.ts as SQL conditions, for list queries and guarded reads.
import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { canReadPipeline, canSeePipeline, hasPermission, viewerTeamIds } from '../../src-shared/domain/visibility';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { AppDb } from '../db/database';
import { approvalRequests } from '../db/schema/approvals.table';
import { deals, pipelines } from '../db/schema/deals.table';
import { leads } from '../db/schema/leads.table';

const never = sql`false`;

/** Mirrors canSeeLead: a tested equivalence (test/integration/server/visibility-sql.test.ts). */
export function leadVisibleTo(viewer: Viewer): SQL {
  const tenant = eq(leads.tenantId, viewer.tenantId);
  if (hasPermission(viewer, 'leads.viewAll')) return tenant;
  const any: SQL[] = [eq(leads.ownerId, viewer.userId)];
  const teams = viewerTeamIds(viewer);
  if (hasPermission(viewer, 'leads.viewTeam') && teams.length > 0) any.push(inArray(leads.teamId, teams));
  if (hasPermission(viewer, 'leads.reassign')) any.push(and(isNull(leads.ownerId), isNull(leads.teamId))!);
  return and(tenant, or(...any))!;
}

/** The ids of the tenant's pipelines the viewer may see (pipelines are few; the rule is the shared predicate itself). */
export async function visiblePipelineIds(db: AppDb, viewer: Viewer): Promise<string[]> {
  const rows = await db.select({ id: pipelines.id, tenantId: pipelines.tenantId, access: pipelines.access }).from(pipelines).where(eq(pipelines.tenantId, viewer.tenantId));
  return rows.filter((p) => canSeePipeline(viewer, p)).map((p) => p.id);
}

/** Mirrors canSeeDeal, given the pipelines the viewer sees. */
export function dealVisibleTo(viewer: Viewer, pipelineIds: readonly string[]): SQL {
  if (pipelineIds.length === 0) return never;
  const scope = and(eq(deals.tenantId, viewer.tenantId), inArray(deals.pipelineId, [...pipelineIds]))!;
  if (hasPermission(viewer, 'deals.viewAll')) return scope;
  const any: SQL[] = [eq(deals.ownerId, viewer.userId)];
  const teams = viewerTeamIds(viewer);
  if (hasPermission(viewer, 'deals.viewTeam') && teams.length > 0) any.push(inArray(deals.teamId, teams));
  return and(scope, or(...any))!;
}

/** Mirrors holdsApproval over the approval requests of the deal in the outer query. */
function holdsApprovalOfDeal(viewer: Viewer): SQL {
  const held = and(
    eq(approvalRequests.tenantId, viewer.tenantId), eq(approvalRequests.dealId, deals.id),
    eq(approvalRequests.approverId, viewer.userId), ne(approvalRequests.status, 'voided'),
  );
  return sql`exists (select 1 from ${approvalRequests} where ${held})`;
}

/** Mirrors canReadDeal: seen by the role's rules (given the pipelines the viewer sees), or held for approval. */
export function dealReadableBy(viewer: Viewer, pipelineIds: readonly string[]): SQL {
  return or(dealVisibleTo(viewer, pipelineIds), and(eq(deals.tenantId, viewer.tenantId), holdsApprovalOfDeal(viewer)))!;
}

/** The pipelines of the deals whose approval the viewer holds (canReadPipeline's `heldDealPipelineIds`). */
export async function heldDealPipelineIds(db: AppDb, viewer: Viewer): Promise<string[]> {
  const rows = await db.selectDistinct({ id: deals.pipelineId }).from(deals).where(and(eq(deals.tenantId, viewer.tenantId), holdsApprovalOfDeal(viewer)));
  return rows.map((r) => r.id);
}

/**
 * The ids of the tenant's pipelines the viewer may read (canReadPipeline): those they see, and those of deals whose
 * approval they hold, looked up only when some pipeline is hidden from them.
 */
export async function readablePipelineIds(db: AppDb, viewer: Viewer): Promise<string[]> {
  const rows = await db.select({ id: pipelines.id, tenantId: pipelines.tenantId, access: pipelines.access }).from(pipelines).where(eq(pipelines.tenantId, viewer.tenantId));
  if (rows.every((p) => canSeePipeline(viewer, p))) return rows.map((p) => p.id);
  const held = await heldDealPipelineIds(db, viewer);
  return rows.filter((p) => canReadPipeline(viewer, p, held)).map((p) => p.id);
}
