// Approval requests inside mutations: open one for a gated move, route it level by level, void it when its deal changes.
import { AppError, ErrorCode } from '../api/errors';
import { levelsForAmount, resolveApprover } from '../domain/approval-levels';
import type { ResolvedApprover } from '../domain/approval-levels';
import type { ApprovalBinding, ApprovalEventKind, ApprovalPolicy, ApprovalRequest } from '../domain/approvals.schema';
import { HOUR_MS } from '../domain/common.schema';
import { approvalVoidedBy, dealMoveBinding } from '../domain/deal-stage-machine';
import type { Deal } from '../domain/deals.schema';
import { mustGet } from './access';
import type { MutatorEnv } from './mutator';
import type { MutationTx } from './mutation-tx';
import { notify } from './notify';

export async function approverFor(tx: MutationTx, env: MutatorEnv, policy: ApprovalPolicy, levelIndex: number, deal: Deal): Promise<ResolvedApprover & { dueAt: number }> {
  const level = policy.levels[levelIndex];
  if (!level) throw new AppError(ErrorCode.NOT_FOUND, `policy ${policy.name} has no level ${levelIndex}`);
  const ctx = {
    ownerId: deal.ownerId,
    users: await tx.find('users', {}),
    delegations: await tx.find('delegations', {}),
    roles: await tx.find('roles', {}),
    now: env.now,
    amountMinor: deal.amountMinor,
  };
  const resolved = resolveApprover(level.approver, ctx);
  if (!resolved.ok) throw AppError.fromRefusal(resolved.refusal);
  return { ...resolved.value, dueAt: env.now + level.deadlineHours * HOUR_MS };
}

export async function addEvent(tx: MutationTx, env: MutatorEnv, request: ApprovalRequest, kind: ApprovalEventKind, extra: { onBehalfOf?: string | null; comment?: string | null } = {}): Promise<void> {
  await tx.insert('approval_events', {
    id: env.newId(), tenantId: request.tenantId, requestId: request.id, step: request.currentStep, kind,
    actorId: env.actor.userId, onBehalfOf: extra.onBehalfOf ?? null, comment: extra.comment ?? null, at: env.now,
  });
}

/** Opens a pending request at its first level, unless the same move with the same binding is already pending. */
export async function openRequest(tx: MutationTx, env: MutatorEnv, deal: Deal, gate: { policyId: string; levelIndexes: number[]; binding: ApprovalBinding }, requestId: string): Promise<ApprovalRequest> {
  const pending = await tx.find('approval_requests', { dealId: deal.id, status: 'pending' });
  const same = pending.find((r) => JSON.stringify(r.binding) === JSON.stringify(gate.binding));
  if (same) return same;
  // One pending request per deal: a request for another move or other terms is superseded.
  for (const other of pending) await voidRequest(tx, env, other, 'superseded by a new request');
  const policy = await mustGet(tx, 'approval_policies', gate.policyId, 'approval policy');
  const approver = await approverFor(tx, env, policy, gate.levelIndexes[0]!, deal);
  const request: ApprovalRequest = {
    id: requestId, tenantId: deal.tenantId, dealId: deal.id, policyId: policy.id, requestedBy: env.actor.userId,
    binding: gate.binding, levelIndexes: gate.levelIndexes, currentStep: 0, approverId: approver.approverId,
    dueAt: approver.dueAt, status: 'pending', createdAt: env.now, decidedAt: null,
  };
  await tx.insert('approval_requests', request);
  await addEvent(tx, env, request, 'requested', { onBehalfOf: approver.onBehalfOf });
  await notify(tx, env, { userId: approver.approverId, kind: 'approval.requested', title: `Approval requested: ${deal.name}`, entityType: 'approval', entityId: request.id });
  return request;
}

export async function voidRequest(tx: MutationTx, env: MutatorEnv, request: ApprovalRequest, why: string): Promise<void> {
  const voided = await tx.update('approval_requests', request.id, { status: 'voided', decidedAt: env.now }, { action: 'decide' });
  await addEvent(tx, env, voided, 'voided', { comment: why });
  await notify(tx, env, { userId: request.requestedBy, kind: 'approval.decided', title: 'An approval was voided', body: why, entityType: 'approval', entityId: request.id });
}

/**
 * After an edit of a deal's bound fields (amount, discount, close date): voids every pending or granted approval
 * the edit breaks and routes a new request for the same target stage by the new amount, if it still needs one.
 */
export async function rerouteApprovals(tx: MutationTx, env: MutatorEnv, before: Deal, after: Deal): Promise<void> {
  const live = [...(await tx.find('approval_requests', { dealId: after.id, status: 'pending' })), ...(await tx.find('approval_requests', { dealId: after.id, status: 'approved' }))];
  for (const request of live) {
    if (!approvalVoidedBy(before, after, request.binding)) continue;
    await voidRequest(tx, env, request, 'the deal’s amount, discount or close date changed after the request');
    const policy = await tx.get('approval_policies', request.policyId);
    if (!policy) continue;
    const levelIndexes = levelsForAmount(policy, after.amountMinor);
    if (levelIndexes.length === 0) continue;
    const binding = dealMoveBinding(after, request.binding.targetStageId);
    await openRequest(tx, env, after, { policyId: policy.id, levelIndexes, binding }, env.newId());
  }
}
