// Approval policies (levels by deal amount), delegations, requests and their history.
import { z } from 'zod';
import { Id, Instant, CalendarDate, MinorUnits, ShortText } from './common.schema';
import { RoleName } from './accounts.schema';

/** Who approves a level. */
export const ApproverSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('role'), role: RoleName }),
  z.object({ kind: z.literal('user'), userId: Id }),
  z.object({ kind: z.literal('managerOfOwner') }),
]);
export type ApproverSpec = z.infer<typeof ApproverSpec>;

export const TimeoutAction = z.enum(['reassign', 'autoApprove', 'autoReject', 'notify']);
export type TimeoutAction = z.infer<typeof TimeoutAction>;

export const ApprovalLevel = z.object({
  /** The level applies to deals whose amount is at least this (minor units). */
  minAmountMinor: MinorUnits,
  approver: ApproverSpec,
  deadlineHours: z.number().int().min(1).max(24 * 90),
  escalationTarget: ApproverSpec.nullable(),
  timeoutAction: TimeoutAction,
});
export type ApprovalLevel = z.infer<typeof ApprovalLevel>;

export const ApprovalPolicy = z.object({
  id: Id,
  tenantId: Id,
  name: ShortText.min(1),
  /** Sorted by minAmountMinor; a deal passes through every level whose threshold its amount reaches. */
  levels: z.array(ApprovalLevel).min(1),
  configVersion: z.number().int().min(1),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

export const Delegation = z.object({
  id: Id,
  tenantId: Id,
  fromUserId: Id,
  toUserId: Id,
  startsAt: Instant,
  endsAt: Instant,
});
export type Delegation = z.infer<typeof Delegation>;

export const ApprovalStatus = z.enum(['pending', 'approved', 'rejected', 'voided']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** The deal fields an approval is bound to; a later change to any of them voids the approval. */
export const ApprovalBinding = z.object({
  amountMinor: MinorUnits.nullable(),
  discountPct: z.number().min(0).max(100).nullable(),
  expectedCloseDate: CalendarDate.nullable(),
  targetStageId: Id,
});
export type ApprovalBinding = z.infer<typeof ApprovalBinding>;

export const ApprovalRequest = z.object({
  id: Id,
  tenantId: Id,
  dealId: Id,
  policyId: Id,
  requestedBy: Id,
  binding: ApprovalBinding,
  /** Index into the policy's levels that this request must pass, in order. */
  levelIndexes: z.array(z.number().int().min(0)),
  /** Position in levelIndexes currently awaiting a decision. */
  currentStep: z.number().int().min(0),
  approverId: Id.nullable(),
  dueAt: Instant.nullable(),
  status: ApprovalStatus,
  createdAt: Instant,
  decidedAt: Instant.nullable(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const ApprovalEventKind = z.enum(['requested', 'approved', 'rejected', 'escalated', 'reassigned', 'autoApproved', 'autoRejected', 'notified', 'voided']);
export type ApprovalEventKind = z.infer<typeof ApprovalEventKind>;

/** One hop in an approval's history. */
export const ApprovalEvent = z.object({
  id: Id,
  tenantId: Id,
  requestId: Id,
  step: z.number().int().min(0),
  kind: ApprovalEventKind,
  actorId: Id.nullable(),
  /** Set when the actor decided as a delegate of someone else. */
  onBehalfOf: Id.nullable(),
  comment: z.string().max(2000).nullable(),
  at: Instant,
});
export type ApprovalEvent = z.infer<typeof ApprovalEvent>;
