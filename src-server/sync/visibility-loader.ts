// Loads what the shared replication rules need to judge a batch of rows: the tenant's pipelines, the rows' parents and
// the viewer's approval requests on the deals among them.
import { and, eq, sql } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';
import type { ApprovalRef, PipelineRef, Viewer } from '../../src-shared/domain/visibility';
import { canReadPipeline, canSeeDeal, canSeePipeline } from '../../src-shared/domain/visibility';
import type { DealScope, LeadScope, ParentRefs, RequestScope, VisibilityContext } from '../../src-shared/sync/sync-visibility';
import { collectParents, viewScope } from '../../src-shared/sync/sync-visibility';
import type { ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import type { AppDb } from '../db/database';
import { approvalRequests } from '../db/schema/approvals.table';
import { deals, pipelines } from '../db/schema/deals.table';
import { leads } from '../db/schema/leads.table';
import { heldDealPipelineIds } from '../records/visibility-sql';
import { pgTableOf, selectRows } from './pg-tables';

type Row = Record<string, unknown>;
type Batch = { table: ReplicatedTable; rows: Row[] };

export interface ViewerView {
  viewer: Viewer;
  pipelines: Map<string, PipelineRef>;
  /** The pipelines of the deals whose approval the viewer holds (looked up only when some pipeline is hidden). */
  heldDealPipelineIds: string[];
  scope: string;
}

export async function loadViewerView(tx: AppDb, viewer: Viewer): Promise<ViewerView> {
  const rows = await tx.select({ id: pipelines.id, tenantId: pipelines.tenantId, access: pipelines.access }).from(pipelines).where(eq(pipelines.tenantId, viewer.tenantId));
  const map = new Map(rows.map((p) => [p.id, p]));
  // An approval can open a hidden pipeline to its approver: that is part of the scope, so a change resets the replica.
  const held = rows.every((p) => canSeePipeline(viewer, p)) ? [] : await heldDealPipelineIds(tx, viewer);
  const readable = rows.filter((p) => canReadPipeline(viewer, p, held)).map((p) => p.id);
  return { viewer, pipelines: map, heldDealPipelineIds: held, scope: viewScope(viewer, readable) };
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
export async function contextFor(tx: AppDb, view: ViewerView, batches: readonly Batch[]): Promise<VisibilityContext> {
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
  // The viewer's own requests on every deal judged here (the deal rows of the batches and the parents above); which
  // of them still count is the shared rule's call (holdsApproval).
  const judged = [...dealRows.map((d) => d.id), ...batches.filter((b) => b.table === 'deals').flatMap((b) => b.rows.map((r) => String(r['id'])))];
  const held = await inChunks(judged, (ids) =>
    tx.select({ tenantId: approvalRequests.tenantId, dealId: approvalRequests.dealId, approverId: approvalRequests.approverId, status: approvalRequests.status }).from(approvalRequests)
      .where(and(eq(approvalRequests.tenantId, tenantId), eq(approvalRequests.approverId, view.viewer.userId), anyOf(approvalRequests.dealId, ids))));
  const heldApprovals = new Map<string, ApprovalRef[]>();
  for (const r of held) heldApprovals.set(r.dealId, [...(heldApprovals.get(r.dealId) ?? []), r]);
  return {
    viewer: view.viewer,
    pipelines: view.pipelines,
    leads: new Map<string, LeadScope>(leadRows.map((l) => [l.id, l])),
    deals: new Map<string, DealScope>(dealRows.map((d) => [d.id, d])),
    approvalRequests: new Map<string, RequestScope>(requests.map((r) => [r.id, r])),
    heldApprovals,
    heldDealPipelineIds: view.heldDealPipelineIds,
  };
}

/**
 * The deals of the approval requests in `batches` that the batches do not hold and the viewer does not see by their
 * role: whether the viewer holds one of their requests now decides whether such a deal enters or leaves their
 * replica. The request changed, the deal did not, so no version window would bring it.
 */
export async function dealsOfChangedRequests(tx: AppDb, view: ViewerView, batches: readonly Batch[]): Promise<Batch[]> {
  const inBatches = new Set(batches.filter((b) => b.table === 'deals').flatMap((b) => b.rows.map((r) => String(r['id']))));
  const ids = batches.filter((b) => b.table === 'approval_requests').flatMap((b) => b.rows.map((r) => String(r['dealId']))).filter((id) => !inBatches.has(id));
  if (ids.length === 0) return [];
  const info = pgTableOf('deals');
  const rows = await inChunks(ids, (chunk) => selectRows(tx, 'deals', and(eq(info.tenant, view.viewer.tenantId), anyOf(info.pk, chunk))!));
  // A deal the viewer sees anyway is in their replica already.
  const judged = rows.filter((r) => {
    const pipeline = view.pipelines.get(String(r['pipelineId']));
    return pipeline === undefined || !canSeeDeal(view.viewer, r as unknown as DealScope, pipeline);
  });
  return judged.length > 0 ? [{ table: 'deals', rows: judged }] : [];
}
