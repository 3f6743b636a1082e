// Approval writes: ask for approval of a gated move, and decide (approve or reject), level by level.
import { z } from 'zod';
import { AppError, ErrorCode } from '../api/errors';
import { canDecide } from '../domain/approval-levels';
import type { ApprovalRequest } from '../domain/approvals.schema';
import type { Refusal } from '../domain/result';
import { Id } from '../domain/common.schema';
import { bindingMatches, dealMoveBinding, moveDeal } from '../domain/deal-stage-machine';
import { mustGet } from './access';
import { addEvent, approverFor } from './approval-steps';
import { DealMovePatchArgs } from './deal-args';
import { moveOrRequest } from './deals.mutators';
import { defineMutator } from './mutator';
import type { MutationTx } from './mutation-tx';
import { notify } from './notify';
import { loadPipelineConfig } from './pipeline-config';
import { applyMove } from './stage-history-step';

export const approvalsRequest = defineMutator({
  name: 'approvals.request',
  args: z.object({ id: Id, dealId: Id, toStageId: Id, patch: DealMovePatchArgs.optional() }),
  run: (tx, a, env) => moveOrRequest(tx, env, { id: a.dealId, toStageId: a.toStageId, ...(a.patch ? { patch: a.patch } : {}), approvalRequestId: a.id }, true),
});

/**
 * Why a decision cannot be taken, in the words its maker needs. A decision made offline may reach the server after
 * the deadline job reassigned the request: the generic "only X may decide" would not say what happened.
 */
async function decideRefusal(tx: MutationTx, request: ApprovalRequest, refusal: Refusal): Promise<AppError> {
  if (refusal.code !== ErrorCode.FORBIDDEN || request.approverId === null) return AppError.fromRefusal(refusal);
  const events = await tx.find('approval_events', { requestId: request.id, step: request.currentStep });
  if (!events.some((e) => e.kind === 'reassigned' || e.kind === 'escalated')) return AppError.fromRefusal(refusal);
  const approver = await tx.get('users', request.approverId);
  return new AppError(ErrorCode.FORBIDDEN, `this approval was escalated to ${approver?.name ?? request.approverId} after its deadline passed; only they or their delegate can decide it now, so your decision was not applied`, undefined, { approverId: request.approverId, escalated: true });
}

export const approvalsDecide = defineMutator({
  name: 'approvals.decide',
  args: z.object({ requestId: Id, decision: z.enum(['approve', 'reject']), comment: z.string().trim().max(2000).optional() }),
  async run(tx, a, env) {
    const request = await mustGet(tx, 'approval_requests', a.requestId, 'approval request');
    const allowed = canDecide(request, env.actor.userId, await tx.find('delegations', {}), env.now);
    if (!allowed.ok) throw await decideRefusal(tx, request, allowed.refusal);
    const deal = await mustGet(tx, 'deals', request.dealId, 'deal');
    if (!bindingMatches(request.binding, dealMoveBinding(deal, request.binding.targetStageId))) {
      throw new AppError(ErrorCode.STALE_APPROVAL, 'the deal changed since this approval was requested', undefined, { requestId: request.id });
    }
    const comment = a.comment ?? null;
    const who = { onBehalfOf: allowed.value.onBehalfOf, comment };
    if (a.decision === 'reject') {
      const rejected = await tx.update('approval_requests', request.id, { status: 'rejected', decidedAt: env.now }, { action: 'decide' });
      await addEvent(tx, env, rejected, 'rejected', who);
      await notify(tx, env, { userId: request.requestedBy, kind: 'approval.decided', title: `Approval rejected: ${deal.name}`, body: comment, entityType: 'approval', entityId: request.id });
      return;
    }
    await addEvent(tx, env, request, 'approved', who);
    const nextStep = request.currentStep + 1;
    if (nextStep < request.levelIndexes.length) {
      const policy = await mustGet(tx, 'approval_policies', request.policyId, 'approval policy');
      const next = await approverFor(tx, env, policy, request.levelIndexes[nextStep]!, deal);
      await tx.update('approval_requests', request.id, { currentStep: nextStep, approverId: next.approverId, dueAt: next.dueAt }, { action: 'decide' });
      await notify(tx, env, { userId: next.approverId, kind: 'approval.requested', title: `Approval requested: ${deal.name}`, entityType: 'approval', entityId: request.id });
      return;
    }
    await tx.update('approval_requests', request.id, { status: 'approved', decidedAt: env.now }, { action: 'decide' });
    await notify(tx, env, { userId: request.requestedBy, kind: 'approval.decided', title: `Approval granted: ${deal.name}`, body: comment, entityType: 'approval', entityId: request.id });
    // The approved move happens now when it still validates; otherwise the approval stands for a later move.
    if (deal.stageId === request.binding.targetStageId) return;
    const config = await loadPipelineConfig(tx, deal.pipelineId);
    const outcome = moveDeal(deal, request.binding.targetStageId, { ...config, approvedBinding: request.binding, now: env.now });
    if (outcome.ok && outcome.value.kind === 'moved') await applyMove(tx, env, deal, outcome.value.changes);
  },
});
