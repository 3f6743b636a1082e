// Deal writes: create in a pipeline, edit (voiding approvals the edit breaks), move between stages, close.
import { z } from 'zod';
import { AppError, ErrorCode } from '../api/errors';
import { Id } from '../domain/common.schema';
import { moveDeal } from '../domain/deal-stage-machine';
import type { Deal } from '../domain/deals.schema';
import { missingRequiredFields } from '../domain/deal-stage-machine';
import { mustBeNew, mustGet, requireDealEditable, requireMoveRights } from './access';
import { openRequest, rerouteApprovals, voidRequest } from './approval-steps';
import { DealFields, DealMovePatchArgs } from './deal-args';
import { defineMutator } from './mutator';
import type { MutatorEnv } from './mutator';
import type { MutationTx } from './mutation-tx';
import { notify } from './notify';
import { loadPipelineConfig, startStage } from './pipeline-config';
import { applyMove, enterFirstStage } from './stage-history-step';

/** Refuses links to companies, contacts, leads or owners that do not exist. */
async function checkLinks(tx: MutationTx, f: { companyId?: string | null; contactId?: string | null; leadId?: string | null }): Promise<void> {
  if (f.companyId) await mustGet(tx, 'companies', f.companyId, 'company');
  if (f.contactId) await mustGet(tx, 'contacts', f.contactId, 'contact');
  if (f.leadId) await mustGet(tx, 'leads', f.leadId, 'lead');
}

async function activeUser(tx: MutationTx, id: string) {
  const user = await mustGet(tx, 'users', id, 'user');
  if (!user.active) throw new AppError(ErrorCode.VALIDATION, `user ${id} is inactive`, [{ path: 'ownerId', message: 'inactive user' }]);
  return user;
}

export const DealsCreateArgs = DealFields.extend({
  id: Id,
  name: DealFields.shape.name.unwrap(),
  pipelineId: Id,
  /** Defaults to the pipeline's first open stage. */
  stageId: Id.optional(),
  ownerId: Id.optional(),
  leadId: Id.nullable().optional(),
});

export const dealsCreate = defineMutator({
  name: 'deals.create',
  args: DealsCreateArgs,
  async run(tx, a, env) {
    await mustBeNew(tx, 'deals', a.id, 'deal');
    const config = await loadPipelineConfig(tx, a.pipelineId);
    requireMoveRights(env.actor, config.pipeline);
    const stage = startStage(config, a.stageId);
    const owner = a.ownerId && a.ownerId !== env.actor.userId ? await activeUser(tx, a.ownerId) : null;
    await checkLinks(tx, a);
    const deal: Deal = {
      id: a.id, tenantId: env.actor.tenantId, name: a.name, amountMinor: a.amountMinor ?? null,
      currency: a.currency ?? config.pipeline.currency, discountPct: a.discountPct ?? null, pipelineId: config.pipeline.id,
      stageId: stage.id, status: 'open', ownerId: owner?.id ?? env.actor.userId, teamId: owner ? owner.teamId : env.actor.teamId,
      companyId: a.companyId ?? null, contactId: a.contactId ?? null, leadId: a.leadId ?? null,
      expectedCloseDate: a.expectedCloseDate ?? null, probability: a.probability ?? stage.probability, nextStep: a.nextStep ?? null,
      wonLostReasonId: null, wonLostNote: null, stageEnteredAt: env.now, closedAt: null, createdAt: env.now, updatedAt: env.now,
    };
    // Creating for someone else is allowed to whoever could then edit the deal (e.g. the team's manager).
    if (owner) requireDealEditable(env.actor, deal, config.pipeline);
    const missing = missingRequiredFields(deal, stage);
    if (missing.length > 0) {
      throw new AppError(ErrorCode.MISSING_FIELDS, `stage ${stage.name} requires ${missing.join(', ')}`, missing.map((path) => ({ path, message: `required by stage ${stage.name}` })), { missing, stageId: stage.id });
    }
    await tx.insert('deals', deal);
    await enterFirstStage(tx, env, deal);
    if (owner) await notify(tx, env, { userId: owner.id, kind: 'assignment', title: `Deal assigned to you: ${deal.name}`, entityType: 'deal', entityId: deal.id });
  },
});

export const dealsUpdate = defineMutator({
  name: 'deals.update',
  args: z.object({ id: Id, patch: DealFields.extend({ ownerId: Id.optional() }) }),
  async run(tx, a, env) {
    const deal = await mustGet(tx, 'deals', a.id, 'deal');
    const pipeline = await mustGet(tx, 'pipelines', deal.pipelineId, 'pipeline');
    requireDealEditable(env.actor, deal, pipeline);
    await checkLinks(tx, a.patch);
    const patch: Partial<Deal> = {};
    for (const [k, v] of Object.entries(a.patch)) if (v !== undefined) Object.assign(patch, { [k]: v });
    const newOwner = a.patch.ownerId && a.patch.ownerId !== deal.ownerId ? await activeUser(tx, a.patch.ownerId) : null;
    if (newOwner) {
      patch.teamId = newOwner.teamId;
      // Handing a deal over must leave it with someone the actor may still manage, or to whoever sees all deals.
      requireDealEditable(env.actor, { ...deal, ...patch }, pipeline);
    }
    const after = await tx.update('deals', deal.id, patch, newOwner ? { action: 'assign' } : {});
    await rerouteApprovals(tx, env, deal, after);
    if (newOwner) await notify(tx, env, { userId: newOwner.id, kind: 'assignment', title: `Deal assigned to you: ${deal.name}`, entityType: 'deal', entityId: deal.id });
  },
});

/** The won/lost reason must exist, be active and fit the target stage's kind. */
async function checkReason(tx: MutationTx, reasonId: string | undefined, kind: 'won' | 'lost'): Promise<void> {
  if (!reasonId) return;
  const reason = await mustGet(tx, 'win_loss_reasons', reasonId, 'reason');
  if (reason.kind !== kind || !reason.active) throw new AppError(ErrorCode.VALIDATION, `reason ${reason.label} is not an active ${kind} reason`, [{ path: 'reasonId', message: `expected an active ${kind} reason` }]);
}

export interface MoveArgs {
  id: string;
  toStageId: string;
  patch?: z.output<typeof DealMovePatchArgs>;
  reasonId?: string;
  note?: string;
  approvalRequestId: string;
}

/**
 * Moves a deal, or, when the target stage is gated and no matching approval exists, saves the patch and opens an
 * approval request with the client-chosen id (the deal stays where it is). `requireGate` refuses an ungated move
 * (approvals.request asks only for approvals).
 */
export async function moveOrRequest(tx: MutationTx, env: MutatorEnv, a: MoveArgs, requireGate = false): Promise<void> {
  const deal = await mustGet(tx, 'deals', a.id, 'deal');
  const config = await loadPipelineConfig(tx, deal.pipelineId);
  requireDealEditable(env.actor, deal, config.pipeline);
  requireMoveRights(env.actor, config.pipeline);
  const target = config.stages.find((s) => s.id === a.toStageId);
  if (target && target.kind !== 'open') await checkReason(tx, a.reasonId, target.kind);
  const approved = (await tx.find('approval_requests', { dealId: deal.id, status: 'approved' }))
    .filter((r) => r.binding.targetStageId === a.toStageId)
    .sort((x, y) => (y.decidedAt ?? 0) - (x.decidedAt ?? 0))[0];
  const outcome = moveDeal(deal, a.toStageId, { ...config, reasonId: a.reasonId ?? null, patch: a.patch ?? {}, approvedBinding: approved?.binding ?? null, now: env.now });
  if (!outcome.ok) throw AppError.fromRefusal(outcome.refusal);
  if (outcome.value.kind === 'moved') {
    if (requireGate) throw new AppError(ErrorCode.INVALID_TRANSITION, `moving this deal to ${target?.name ?? a.toStageId} needs no approval`);
    const closing = outcome.value.changes.status !== 'open';
    await applyMove(tx, env, deal, { ...outcome.value.changes, ...(closing && a.note !== undefined ? { wonLostNote: a.note } : {}) });
    // A request waiting for a move elsewhere is moot once the deal has gone another way.
    for (const r of await tx.find('approval_requests', { dealId: deal.id, status: 'pending' })) {
      if (r.binding.targetStageId !== a.toStageId) await voidRequest(tx, env, r, 'the deal moved to another stage');
    }
    return;
  }
  const patched = a.patch ? await tx.update('deals', deal.id, Object.fromEntries(Object.entries(a.patch).filter(([, v]) => v !== undefined))) : deal;
  await openRequest(tx, env, patched, outcome.value, a.approvalRequestId);
}

const MoveArgsSchema = z.object({
  id: Id,
  toStageId: Id,
  patch: DealMovePatchArgs.optional(),
  reasonId: Id.optional(),
  note: z.string().trim().max(2000).optional(),
  /** The id of the approval request to open if the move turns out to need one. */
  approvalRequestId: Id,
});

export const dealsMove = defineMutator({
  name: 'deals.move',
  args: MoveArgsSchema,
  run: (tx, a, env) => moveOrRequest(tx, env, a),
});

export const dealsClose = defineMutator({
  name: 'deals.close',
  args: z.object({
    id: Id,
    outcome: z.enum(['won', 'lost']),
    reasonId: Id,
    note: z.string().trim().max(2000).optional(),
    /** Which won/lost stage, when the pipeline has several; defaults to its first of that kind. */
    stageId: Id.optional(),
    approvalRequestId: Id,
  }),
  async run(tx, a, env) {
    const deal = await mustGet(tx, 'deals', a.id, 'deal');
    const stages = (await tx.find('stages', { pipelineId: deal.pipelineId })).sort((x, y) => x.position - y.position);
    const stage = a.stageId ? stages.find((s) => s.id === a.stageId) : stages.find((s) => s.kind === a.outcome);
    if (!stage || stage.kind !== a.outcome) throw new AppError(ErrorCode.NOT_FOUND, `no ${a.outcome} stage ${a.stageId ?? ''} in the deal's pipeline`.replace('  ', ' '));
    await moveOrRequest(tx, env, { id: a.id, toStageId: stage.id, reasonId: a.reasonId, ...(a.note !== undefined ? { note: a.note } : {}), approvalRequestId: a.approvalRequestId });
  },
});
