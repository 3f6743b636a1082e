// Resolving a conflict record: keep the server's value, or apply the offline one through the usual mutators.
import { z } from 'zod';
import { AppError, ErrorCode } from '../api/errors';
import { Id } from '../domain/common.schema';
import { mustGet, requireDealEditable, requireLeadEditable } from '../mutators/access';
import { dealsUpdate, moveOrRequest } from '../mutators/deals.mutators';
import { leadsAssign, leadsUpdate } from '../mutators/leads.mutators';
import { defineMutator } from '../mutators/mutator';
import type { MutatorEnv } from '../mutators/mutator';
import type { MutationTx } from '../mutators/mutation-tx';
import type { Conflict } from './conflicts.schema';

/** Applies the offline value the conflict held back, with every rule of the mutation that would have set it. */
async function applyClientValue(tx: MutationTx, env: MutatorEnv, c: Conflict, approvalRequestId: string): Promise<void> {
  if (c.entityType === 'deal') {
    if (c.field === 'stageId') {
      if (typeof c.clientValue !== 'string') throw new AppError(ErrorCode.VALIDATION, 'the conflict holds no stage to move to');
      await moveOrRequest(tx, env, { id: c.entityId, toStageId: c.clientValue, approvalRequestId });
      return;
    }
    await dealsUpdate.run(tx, dealsUpdate.args.parse({ id: c.entityId, patch: { [c.field]: c.clientValue } }), env);
    return;
  }
  if (c.field === 'ownerId') {
    await leadsAssign.run(tx, leadsAssign.args.parse({ ids: [c.entityId], ownerId: c.clientValue }), env);
    return;
  }
  await leadsUpdate.run(tx, leadsUpdate.args.parse({ id: c.entityId, patch: { [c.field]: c.clientValue } }), env);
}

export const conflictsResolve = defineMutator({
  name: 'conflicts.resolve',
  args: z.object({
    id: Id,
    keep: z.enum(['server', 'client']),
    /** The id of the approval request to open if keeping an offline stage move turns out to need one. */
    approvalRequestId: Id.optional(),
  }),
  async run(tx, a, env) {
    const conflict = await mustGet(tx, 'conflicts', a.id, 'conflict');
    if (conflict.status !== 'open') throw new AppError(ErrorCode.CONFLICT, `conflict ${a.id} is already resolved`, undefined, { resolution: conflict.resolution });
    if (conflict.kind === 'deleted' && a.keep === 'client') throw new AppError(ErrorCode.INVALID_TRANSITION, 'a deleted record cannot be brought back from a conflict');
    if (conflict.kind === 'field') {
      // Whoever may change the record may settle it; the two people involved may at least keep the server's value.
      if (conflict.entityType === 'deal') {
        const deal = await mustGet(tx, 'deals', conflict.entityId, 'deal');
        const pipeline = await mustGet(tx, 'pipelines', deal.pipelineId, 'pipeline');
        if (a.keep === 'client') requireDealEditable(env.actor, deal, pipeline);
      } else if (a.keep === 'client') {
        requireLeadEditable(env.actor, await mustGet(tx, 'leads', conflict.entityId, 'lead'));
      }
    }
    const involved = conflict.clientUserId === env.actor.userId || conflict.serverUserId === env.actor.userId;
    if (!involved && a.keep === 'server' && conflict.kind === 'deleted') throw new AppError(ErrorCode.FORBIDDEN, 'only the people involved may dismiss this conflict');
    if (a.keep === 'client') await applyClientValue(tx, env, conflict, a.approvalRequestId ?? env.newId());
    await tx.update('conflicts', conflict.id, { status: 'resolved', resolution: a.keep, resolvedBy: env.actor.userId, resolvedAt: env.now });
  },
});
