// Loads what the shared replication rules need to judge a batch of rows: the tenant's pipelines and the rows' parents.
import { and, eq, sql } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';
import type { DealRef, PipelineRef, Viewer } from '../../src-shared/domain/visibility';
import { canSeePipeline } from '../../src-shared/domain/visibility';
import type { LeadScope, ParentRefs, RequestScope, VisibilityContext } from '../../src-shared/sync/sync-visibility';
import { collectParents, viewScope } from '../../src-shared/sync/sync-visibility';
import type { ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import type { AppDb } from '../db/database';
import { approvalRequests } from '../db/schema/approvals.table';
import { deals, pipelines } from '../db/schema/deals.table';
import { leads } from '../db/schema/leads.table';

export interface ViewerView {
  viewer: Viewer;
  pipelines: Map<string, PipelineRef>;
  scope: string;
}

export async function loadViewerView(tx: AppDb, viewer: Viewer): Promise<ViewerView> {
  const rows = await tx.select({ id: pipelines.id, tenantId: pipelines.tenantId, access: pipelines.access }).from(pipelines).where(eq(pipelines.tenantId, viewer.tenantId));
  const map = new Map(rows.map((p) => [p.id, p]));
  const visible = rows.filter((p) => canSeePipeline(viewer, p)).map((p) => p.id);
  return { viewer, pipelines: map, scope: viewScope(viewer, visible) };
}

const CHUNK = 10_000;

/** `column = ANY(ids)` with the ids as one array parameter (a parameter per id costs dearly to build and send). */
const anyOf = (column: AnyColumn, ids: string[]): SQL => sql`${column} = ANY(${sql.param(ids)}::text[])`;

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)].filter((id) => id !== '');
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await load(unique.slice(i, i + CHUNK))));
  return out;
}

/** A context holding the parents `rows` need (approval events need their request's deal too). */
export async function contextFor(tx: AppDb, view: ViewerView, batches: { table: ReplicatedTable; rows: Record<string, unknown>[] }[]): Promise<VisibilityContext> {
  const refs: ParentRefs = { leads: [], deals: [], approvalRequests: [] };
  for (const b of batches) for (const row of b.rows) collectParents(b.table, row, refs);
  const tenantId = view.viewer.tenantId;
  const requests = await inChunks(refs.approvalRequests, (ids) =>
    tx.select({ id: approvalRequests.id, dealId: approvalRequests.dealId, approverId: approvalRequests.approverId }).from(approvalRequests)
      .where(and(eq(approvalRequests.tenantId, tenantId), anyOf(approvalRequests.id, ids))));
  const leadRows = await inChunks(refs.leads, (ids) =>
    tx.select({ id: leads.id, tenantId: leads.tenantId, ownerId: leads.ownerId, teamId: leads.teamId, archived: leads.archived }).from(leads)
      .where(and(eq(leads.tenantId, tenantId), anyOf(leads.id, ids))));
  const dealRows = await inChunks([...refs.deals, ...requests.map((r) => r.dealId)], (ids) =>
    tx.select({ id: deals.id, tenantId: deals.tenantId, ownerId: deals.ownerId, teamId: deals.teamId, pipelineId: deals.pipelineId }).from(deals)
      .where(and(eq(deals.tenantId, tenantId), anyOf(deals.id, ids))));
  return {
    viewer: view.viewer,
    pipelines: view.pipelines,
    leads: new Map<string, LeadScope>(leadRows.map((l) => [l.id, l])),
    deals: new Map<string, DealRef>(dealRows.map((d) => [d.id, d])),
    approvalRequests: new Map<string, RequestScope>(requests.map((r) => [r.id, r])),
  };
}
