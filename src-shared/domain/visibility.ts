// Who may see and change which records: pure predicates shared by the server, sync filtering and the desktop.
import type { Permission, RoleName } from './accounts.schema';
import type { ApprovalStatus } from './approvals.schema';
import type { PipelineAccess } from './deals.schema';

/** The signed-in user as the permission rules see them. */
export interface Viewer {
  userId: string;
  tenantId: string;
  role: RoleName;
  teamId: string | null;
  permissions: readonly Permission[];
  /** Teams whose manager this user is. */
  managedTeamIds: readonly string[];
}

/** What the rules read from a lead or a deal. */
export interface OwnedRecord {
  tenantId: string;
  ownerId: string | null;
  teamId: string | null;
}

export interface DealRef extends OwnedRecord {
  pipelineId: string;
}

/** An approval request as the rules see it: whose it is and where it stands. */
export interface ApprovalRef {
  tenantId: string;
  dealId: string;
  approverId: string | null;
  status: ApprovalStatus;
}

export interface PipelineRef {
  id: string;
  tenantId: string;
  access: PipelineAccess;
}

/** A user a record may be assigned to. */
export interface AssigneeRef {
  id: string;
  tenantId: string;
  teamId: string | null;
  active: boolean;
}

export const hasPermission = (viewer: Viewer, permission: Permission): boolean => viewer.permissions.includes(permission);

/** The viewer's own team and the teams they manage. */
export function viewerTeamIds(viewer: Viewer): string[] {
  const ids = new Set(viewer.managedTeamIds);
  if (viewer.teamId !== null) ids.add(viewer.teamId);
  return [...ids];
}

const inViewerTeams = (viewer: Viewer, teamId: string | null) => teamId !== null && (teamId === viewer.teamId || viewer.managedTeamIds.includes(teamId));
const unassigned = (record: OwnedRecord) => record.ownerId === null && record.teamId === null;

/**
 * Sees a lead: everything with `leads.viewAll`; otherwise their own, their teams' with `leads.viewTeam`, and the
 * unassigned queue with `leads.reassign` (whoever may hand leads out must see what is waiting). Never another tenant's.
 */
export function canSeeLead(viewer: Viewer, lead: OwnedRecord): boolean {
  if (lead.tenantId !== viewer.tenantId) return false;
  if (hasPermission(viewer, 'leads.viewAll')) return true;
  if (lead.ownerId === viewer.userId) return true;
  if (hasPermission(viewer, 'leads.viewTeam') && inViewerTeams(viewer, lead.teamId)) return true;
  return hasPermission(viewer, 'leads.reassign') && unassigned(lead);
}

/** Edits a visible lead: its owner, a manager of its team, anyone with `leads.viewAll`, or a dispatcher of the unassigned queue. */
export function canEditLead(viewer: Viewer, lead: OwnedRecord): boolean {
  if (!canSeeLead(viewer, lead)) return false;
  if (lead.ownerId === viewer.userId || hasPermission(viewer, 'leads.viewAll')) return true;
  if (lead.teamId !== null && viewer.managedTeamIds.includes(lead.teamId)) return true;
  return hasPermission(viewer, 'leads.reassign') && unassigned(lead);
}

/**
 * Assigns a lead to someone: needs `leads.reassign` and edit rights on the lead; the assignee must be an active user
 * of the tenant and, unless the viewer sees all leads, the viewer themself or in one of the viewer's teams.
 */
export function canAssignLeadTo(viewer: Viewer, lead: OwnedRecord, assignee: AssigneeRef): boolean {
  if (!hasPermission(viewer, 'leads.reassign') || !canEditLead(viewer, lead)) return false;
  if (assignee.tenantId !== viewer.tenantId || !assignee.active) return false;
  if (hasPermission(viewer, 'leads.viewAll') || assignee.id === viewer.userId) return true;
  return inViewerTeams(viewer, assignee.teamId);
}

/**
 * Sees a pipeline: with `deals.viewAll` every pipeline of the tenant; otherwise when the role is among the view roles
 * and, if the pipeline names teams, one of the viewer's teams is among them. A pipeline one may not see does not
 * exist for them, nor do its deals.
 */
export function canSeePipeline(viewer: Viewer, pipeline: PipelineRef): boolean {
  if (pipeline.tenantId !== viewer.tenantId) return false;
  if (hasPermission(viewer, 'deals.viewAll')) return true;
  if (!pipeline.access.viewRoles.includes(viewer.role)) return false;
  const teams = pipeline.access.viewTeamIds;
  return teams.length === 0 || viewerTeamIds(viewer).some((t) => teams.includes(t));
}

/** Moves deals between the stages of a pipeline they see, when their role is among its move roles. */
export function canMoveInPipeline(viewer: Viewer, pipeline: PipelineRef): boolean {
  return canSeePipeline(viewer, pipeline) && pipeline.access.moveRoles.includes(viewer.role);
}

/**
 * Edits a pipeline's configuration: needs `pipelines.edit` and a role among its edit roles; a holder of `config.edit`
 * may always, so a pipeline's rules can never lock every administrator out.
 */
export function canEditPipeline(viewer: Viewer, pipeline: PipelineRef): boolean {
  if (!canSeePipeline(viewer, pipeline)) return false;
  if (hasPermission(viewer, 'config.edit')) return true;
  return hasPermission(viewer, 'pipelines.edit') && pipeline.access.editRoles.includes(viewer.role);
}

/** Sees a deal: its pipeline must be visible, then own, team's with `deals.viewTeam`, or all with `deals.viewAll`. */
export function canSeeDeal(viewer: Viewer, deal: DealRef, pipeline: PipelineRef): boolean {
  if (deal.tenantId !== viewer.tenantId || deal.pipelineId !== pipeline.id || !canSeePipeline(viewer, pipeline)) return false;
  if (hasPermission(viewer, 'deals.viewAll') || deal.ownerId === viewer.userId) return true;
  return hasPermission(viewer, 'deals.viewTeam') && inViewerTeams(viewer, deal.teamId);
}

/** Edits a visible deal's fields: its owner, a manager of its team, or anyone with `deals.viewAll`. */
export function canEditDeal(viewer: Viewer, deal: DealRef, pipeline: PipelineRef): boolean {
  if (!canSeeDeal(viewer, deal, pipeline)) return false;
  if (deal.ownerId === viewer.userId || hasPermission(viewer, 'deals.viewAll')) return true;
  return deal.teamId !== null && viewer.managedTeamIds.includes(deal.teamId);
}

/**
 * Holds an approval request: it is routed to them (the level's approver, a delegate standing in, an escalation target)
 * and pending, or it was decided while it was theirs. A voided request, or one routed on to someone else, is not.
 */
export function holdsApproval(viewer: Viewer, request: ApprovalRef): boolean {
  return request.tenantId === viewer.tenantId && request.approverId === viewer.userId && request.status !== 'voided';
}

/**
 * Reads a deal: sees it, or holds one of its approval requests, whatever their role, team or the pipeline's access
 * (an approver must see what they decide, offline too). Reading is all the approval gives: edits still need
 * canEditDeal. `requests`: approval requests, of this deal or others (only this deal's count).
 */
export function canReadDeal(viewer: Viewer, deal: DealRef & { id: string }, pipeline: PipelineRef | undefined, requests: readonly ApprovalRef[]): boolean {
  if (pipeline !== undefined && canSeeDeal(viewer, deal, pipeline)) return true;
  return deal.tenantId === viewer.tenantId && requests.some((r) => r.dealId === deal.id && holdsApproval(viewer, r));
}

/**
 * Reads a pipeline with its stages and rules: sees it, or it holds a deal whose approval the viewer holds (the inbox
 * names the deal's stage and the stage it asks for, and deciding runs the pipeline's move rules).
 * `heldDealPipelineIds`: the pipelines of the deals whose approval the viewer holds.
 */
export function canReadPipeline(viewer: Viewer, pipeline: PipelineRef, heldDealPipelineIds: readonly string[]): boolean {
  return canSeePipeline(viewer, pipeline) || (pipeline.tenantId === viewer.tenantId && heldDealPipelineIds.includes(pipeline.id));
}
