// Writes a deal's stage change: the deal row, the exit of the open history row and the entry of the new one.
import type { Deal } from '../domain/deals.schema';
import type { MutatorEnv } from './mutator';
import type { MutationTx } from './mutation-tx';

export async function enterFirstStage(tx: MutationTx, env: MutatorEnv, deal: Deal): Promise<void> {
  await tx.insert('stage_history', { id: env.newId(), tenantId: deal.tenantId, dealId: deal.id, pipelineId: deal.pipelineId, stageId: deal.stageId, enteredAt: env.now, exitedAt: null, actorId: env.actor.userId });
}

/** Applies a move's changes (from moveDeal) and records it in the stage history. */
export async function applyMove(tx: MutationTx, env: MutatorEnv, deal: Deal, changes: Partial<Deal>): Promise<Deal> {
  const after = await tx.update('deals', deal.id, changes, { action: 'move' });
  for (const open of await tx.find('stage_history', { dealId: deal.id, exitedAt: null })) {
    await tx.update('stage_history', open.id, { exitedAt: env.now });
  }
  await tx.insert('stage_history', { id: env.newId(), tenantId: deal.tenantId, dealId: deal.id, pipelineId: after.pipelineId, stageId: after.stageId, enteredAt: env.now, exitedAt: null, actorId: env.actor.userId });
  return after;
}
