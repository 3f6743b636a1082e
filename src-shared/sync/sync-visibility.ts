// Which replicated rows a user's replica holds: the shared visibility rules extended to every replicated table.
import type { ApprovalRef, DealRef, OwnedRecord, PipelineRef, Viewer } from '../domain/visibility';
import { canReadDeal, canReadPipeline, canSeeLead } from '../domain/visibility';
import type { ReplicatedTable } from './replicated-tables';

export interface LeadScope extends OwnedRecord {
  archived: boolean;
}

export interface RequestScope {
  dealId: string;
  approverId: string | null;
}

export interface DealScope extends DealRef {
  id: string;
}

/**
 * What the rules need besides the row itself: the tenant's pipelines, the parents the row hangs off, and the viewer's
 * own approval requests, which let them read a deal (and its pipeline) they would not see otherwise.
 */
export interface VisibilityContext {
  viewer: Viewer;
  pipelines: ReadonlyMap<string, PipelineRef>;
  leads: ReadonlyMap<string, LeadScope>;
  deals: ReadonlyMap<string, DealScope>;
  approvalRequests: ReadonlyMap<string, RequestScope>;
  /** The approval requests routed to the viewer, by deal id: at least those of every deal judged with this context. */
  heldApprovals: ReadonlyMap<string, readonly ApprovalRef[]>;
  /** The pipelines of the deals whose approval the viewer holds (part of the view scope: a change resets the replica). */
  heldDealPipelineIds: readonly string[];
}

/** The parents a row's visibility depends on, for a loader to fetch before asking `rowVisible`. */
export interface ParentRefs {
  leads: string[];
  deals: string[];
  approvalRequests: string[];
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Archived leads stay on the server and stop replicating (BRIEF: archiving). */
export const leadVisible = (ctx: VisibilityContext, id: string): boolean => {
  const lead = ctx.leads.get(id);
  return lead !== undefined && !lead.archived && canSeeLead(ctx.viewer, lead);
};

const dealReadable = (ctx: VisibilityContext, deal: DealScope): boolean =>
  canReadDeal(ctx.viewer, deal, ctx.pipelines.get(deal.pipelineId), ctx.heldApprovals.get(deal.id) ?? []);

const pipelineReadable = (ctx: VisibilityContext, pipeline: PipelineRef): boolean => canReadPipeline(ctx.viewer, pipeline, ctx.heldDealPipelineIds);

/** A deal is seen by the role's rules, or read by whoever holds one of its approval requests. */
export const dealVisible = (ctx: VisibilityContext, id: string): boolean => {
  const deal = ctx.deals.get(id);
  return deal !== undefined && dealReadable(ctx, deal);
};

/** An approval request is seen with its deal, and always by its current approver (the inbox). */
export const requestVisible = (ctx: VisibilityContext, id: string): boolean => {
  const request = ctx.approvalRequests.get(id);
  return request !== undefined && (request.approverId === ctx.viewer.userId || dealVisible(ctx, request.dealId));
};

function entityVisible(ctx: VisibilityContext, entityType: string, entityId: string): boolean {
  if (entityType === 'lead') return leadVisible(ctx, entityId);
  if (entityType === 'deal') return dealVisible(ctx, entityId);
  if (entityType === 'approval') return requestVisible(ctx, entityId);
  if (entityType === 'pipeline') {
    const pipeline = ctx.pipelines.get(entityId);
    return pipeline !== undefined && pipelineReadable(ctx, pipeline);
  }
  // Contacts, companies, users, teams and configuration are the tenant's shared reference data.
  return true;
}

/**
 * Every field of a row that rowVisible and collectParents read, whatever its table: a server may judge rows holding
 * only these (and send the rest as it is).
 */
export const VISIBILITY_FIELDS = [
  'id', 'tenantId', 'ownerId', 'teamId', 'pipelineId', 'access', 'archived', 'dealId', 'approverId', 'requestId', 'leadId',
  'userId', 'entityType', 'entityId', 'clientUserId', 'serverUserId',
] as const;

/** Whether `row` of `table` belongs in the viewer's replica. The row must be of the viewer's tenant. */
export function rowVisible(table: ReplicatedTable, row: Row, ctx: VisibilityContext): boolean {
  const tenantId = table === 'tenants' ? row['id'] : row['tenantId'];
  if (tenantId !== ctx.viewer.tenantId) return false;
  switch (table) {
    case 'pipelines':
      return pipelineReadable(ctx, row as unknown as PipelineRef);
    case 'stages':
    case 'stage_transition_rules':
      return entityVisible(ctx, 'pipeline', str(row['pipelineId']));
    case 'leads':
      return row['archived'] !== true && canSeeLead(ctx.viewer, row as unknown as OwnedRecord);
    case 'deals':
      return dealReadable(ctx, row as unknown as DealScope);
    case 'stage_history':
      return dealVisible(ctx, str(row['dealId']));
    case 'approval_requests':
      return row['approverId'] === ctx.viewer.userId || dealVisible(ctx, str(row['dealId']));
    case 'approval_events':
      return requestVisible(ctx, str(row['requestId']));
    case 'nurture_enrollments':
      return leadVisible(ctx, str(row['leadId']));
    case 'notifications':
      return row['userId'] === ctx.viewer.userId;
    case 'activities':
    case 'audit_log':
      return entityVisible(ctx, str(row['entityType']), str(row['entityId']));
    case 'conflicts':
      return row['clientUserId'] === ctx.viewer.userId || row['serverUserId'] === ctx.viewer.userId || entityVisible(ctx, str(row['entityType']), str(row['entityId']));
    default:
      // Tenant-wide reference data: tenant, roles, teams, users, reasons, policies, delegations, configuration,
      // companies and contacts.
      return true;
  }
}

/** Adds to `refs` the parents `row` of `table` needs to be judged (approval events need their request's deal too). */
export function collectParents(table: ReplicatedTable, row: Row, refs: ParentRefs): void {
  switch (table) {
    case 'stage_history':
    case 'approval_requests':
      refs.deals.push(str(row['dealId']));
      return;
    case 'approval_events':
      refs.approvalRequests.push(str(row['requestId']));
      return;
    case 'nurture_enrollments':
      refs.leads.push(str(row['leadId']));
      return;
    case 'activities':
    case 'audit_log':
    case 'conflicts': {
      const type = str(row['entityType']);
      const id = str(row['entityId']);
      if (type === 'lead') refs.leads.push(id);
      else if (type === 'deal') refs.deals.push(id);
      else if (type === 'approval') refs.approvalRequests.push(id);
      return;
    }
    default:
  }
}

/** A short stable hash (53-bit, cyrb53) of a string, for fingerprints that fit in a cursor. */
export function hashString(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The fingerprint of what a viewer may see beyond the rows themselves: role, permissions, teams and the pipelines
 * they read (by their access, or through an approval they hold). When it changes, rows the viewer's replica holds may have left (or entered) the view without changing,
 * so the next pull is a reset.
 */
export function viewScope(viewer: Viewer, visiblePipelineIds: readonly string[]): string {
  const parts = [
    viewer.tenantId, viewer.userId, viewer.role, viewer.teamId ?? '',
    [...viewer.permissions].sort().join(','), [...viewer.managedTeamIds].sort().join(','), [...visiblePipelineIds].sort().join(','),
  ];
  return hashString(parts.join('|'));
}
