// Approval policy rules: which levels a deal amount passes through, who approves, who may decide, what a timeout does.
import { ErrorCode } from '../api/errors';
import type { Role, User } from './accounts.schema';
import type { ApprovalEventKind, ApprovalLevel, ApprovalPolicy, ApprovalRequest, ApproverSpec, Delegation } from './approvals.schema';
import type { Result } from './result';
import { ok, refuse } from './result';

/**
 * Indexes of every level whose threshold the amount reaches, lowest threshold first (ties keep policy order).
 * A deal without an amount counts as 0, so only levels starting at 0 apply to it. An empty list means the
 * amount needs no approval under this policy.
 */
export function levelsForAmount(policy: ApprovalPolicy, amountMinor: number | null): number[] {
  const amount = amountMinor ?? 0;
  return policy.levels
    .map((level, index) => ({ min: level.minAmountMinor, index }))
    .filter((l) => l.min <= amount)
    .sort((a, b) => a.min - b.min || a.index - b.index)
    .map((l) => l.index);
}

export type ApproverUser = Pick<User, 'id' | 'role' | 'managerId' | 'active'>;

export interface ApproverContext {
  ownerId: string | null;
  users: readonly ApproverUser[];
  delegations: readonly Delegation[];
  now: number;
  amountMinor?: number | null;
  /** When given, a role approver must have an approval limit covering the amount. */
  roles?: readonly Role[];
}

export interface ResolvedApprover {
  approverId: string;
  /** The approver the delegate stands in for; null when the approver decides in person. */
  onBehalfOf: string | null;
}

const isActiveDelegation = (d: Delegation, now: number) => d.startsAt <= now && now < d.endsAt;

/**
 * The delegation in force for a user: the most recently started one (ties by id), so a fresh delegation
 * overrides an older overlapping one. Only one hop is followed, which also rules out cycles.
 */
export function activeDelegation(fromUserId: string, delegations: readonly Delegation[], now: number): Delegation | null {
  let best: Delegation | null = null;
  for (const d of delegations) {
    if (d.fromUserId !== fromUserId || d.toUserId === fromUserId || !isActiveDelegation(d, now)) continue;
    if (!best || d.startsAt > best.startsAt || (d.startsAt === best.startsAt && d.id < best.id)) best = d;
  }
  return best;
}

const noApprover = (message: string, details: Record<string, unknown>) => refuse(ErrorCode.NOT_FOUND, message, { details });

function baseApprover(spec: ApproverSpec, ctx: ApproverContext): Result<ApproverUser> {
  switch (spec.kind) {
    case 'user': {
      const user = ctx.users.find((u) => u.id === spec.userId);
      if (!user?.active) return noApprover(`approver ${spec.userId} is not an active user`, { spec });
      return ok(user);
    }
    case 'managerOfOwner': {
      if (ctx.ownerId === null) return noApprover('the deal has no owner, so no owner’s manager to approve', { spec });
      const owner = ctx.users.find((u) => u.id === ctx.ownerId);
      const manager = owner?.managerId ? ctx.users.find((u) => u.id === owner.managerId) : undefined;
      if (!manager?.active) return noApprover(`the owner ${ctx.ownerId} has no active manager`, { spec });
      return ok(manager);
    }
    case 'role': {
      const amount = ctx.amountMinor ?? 0;
      const role = ctx.roles?.find((r) => r.name === spec.role);
      if (role && role.approvalLimitMinor !== null && role.approvalLimitMinor < amount) {
        return noApprover(`the ${spec.role} role may approve up to ${role.approvalLimitMinor}, below the amount ${amount}`, {
          spec,
          approvalLimitMinor: role.approvalLimitMinor,
          amountMinor: amount,
        });
      }
      const candidates = ctx.users.filter((u) => u.active && u.role === spec.role).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const first = candidates[0];
      if (!first) return noApprover(`no active user has the ${spec.role} role`, { spec });
      return ok(first);
    }
  }
}

/** Who approves under a spec right now; an active delegation to an active user redirects to the delegate. */
export function resolveApprover(spec: ApproverSpec, ctx: ApproverContext): Result<ResolvedApprover> {
  const base = baseApprover(spec, ctx);
  if (!base.ok) return base;
  const approverId = base.value.id;
  const delegation = activeDelegation(approverId, ctx.delegations, ctx.now);
  const delegate = delegation ? ctx.users.find((u) => u.id === delegation.toUserId && u.active) : undefined;
  return ok(delegate ? { approverId: delegate.id, onBehalfOf: approverId } : { approverId, onBehalfOf: null });
}

/** What a level's deadline passing does, as data the approval job carries out and records as `event`. */
export type TimeoutOutcome =
  | { kind: 'reassign'; to: ApproverSpec; event: ApprovalEventKind }
  | { kind: 'autoApprove'; event: ApprovalEventKind }
  | { kind: 'autoReject'; event: ApprovalEventKind }
  /** Remind the approver (and tell the escalation target, if any) and keep waiting. */
  | { kind: 'notify'; escalateTo: ApproverSpec | null; event: ApprovalEventKind };

export function timeoutOutcome(level: ApprovalLevel): TimeoutOutcome {
  switch (level.timeoutAction) {
    case 'reassign':
      // With nobody to reassign to, the best the job can do is raise the alarm.
      return level.escalationTarget
        ? { kind: 'reassign', to: level.escalationTarget, event: 'reassigned' }
        : { kind: 'notify', escalateTo: null, event: 'notified' };
    case 'autoApprove':
      return { kind: 'autoApprove', event: 'autoApproved' };
    case 'autoReject':
      return { kind: 'autoReject', event: 'autoRejected' };
    case 'notify':
      return { kind: 'notify', escalateTo: level.escalationTarget, event: 'notified' };
  }
}

/**
 * Whether an actor may decide a pending request: its approver, or the approver's active delegate. Returns whom
 * the actor decides for, which the approval history records.
 */
export function canDecide(
  request: Pick<ApprovalRequest, 'status' | 'approverId'>,
  actorId: string,
  delegations: readonly Delegation[],
  now: number,
): Result<{ onBehalfOf: string | null }> {
  if (request.status !== 'pending') {
    return refuse(ErrorCode.INVALID_TRANSITION, `the approval is already ${request.status}`, { details: { status: request.status } });
  }
  const approverId = request.approverId;
  if (approverId === null) return refuse(ErrorCode.FORBIDDEN, 'the approval has no approver assigned yet');
  if (actorId === approverId) return ok({ onBehalfOf: null });
  const delegated = delegations.some((d) => d.fromUserId === approverId && d.toUserId === actorId && isActiveDelegation(d, now));
  if (delegated) return ok({ onBehalfOf: approverId });
  return refuse(ErrorCode.FORBIDDEN, `only ${approverId} or an active delegate may decide this approval`, { details: { approverId } });
}
