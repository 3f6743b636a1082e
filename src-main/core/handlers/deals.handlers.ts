// Handlers of the deals and pipelines methods.
import type { HandlerMap } from '../../../src-shared/api/contract';
import type { DEALS_API, MoveResult } from '../../../src-shared/api/deals.api';
import type { PIPELINES_API } from '../../../src-shared/api/pipelines.api';
import { AppError, ErrorCode } from '../../../src-shared/api/errors';
import type { CoreContext } from '../core-context';
import { mustRead, readEntities, readEntity } from '../core-context';
import { dealBoard, stageCards } from '../queries/deal-board.query';

/** What a move did: the deal reached the target, or it stayed and a request (new, or the same one already pending) waits. */
function moveResult(ctx: CoreContext, dealId: string, requestId: string, reached: (stageId: string) => boolean): MoveResult {
  const deal = mustRead(ctx, 'deals', dealId, 'deal');
  const created = readEntity(ctx, 'approval_requests', requestId);
  if (created) return { kind: 'approvalRequired', deal, request: created };
  if (reached(deal.stageId)) return { kind: 'moved', deal };
  const pending = readEntities(ctx, 'approval_requests', `deal_id = ? AND status = 'pending'`, [dealId]).find((r) => reached(r.binding.targetStageId));
  if (!pending) throw new Error(`deal ${dealId} neither moved nor has a pending approval`);
  return { kind: 'approvalRequired', deal, request: pending };
}

export const dealsHandlers: HandlerMap<typeof DEALS_API, CoreContext> = {
  async 'deals.create'(input, ctx) {
    const id = input.id ?? ctx.newId();
    await ctx.writes.applyMutation('deals.create', { ...input, id });
    return mustRead(ctx, 'deals', id, 'deal');
  },
  async 'deals.update'(input, ctx) {
    await ctx.writes.applyMutation('deals.update', input);
    return mustRead(ctx, 'deals', input.id, 'deal');
  },
  async 'deals.move'(input, ctx) {
    const approvalRequestId = ctx.newId();
    await ctx.writes.applyMutation('deals.move', { ...input, approvalRequestId });
    return moveResult(ctx, input.id, approvalRequestId, (stageId) => stageId === input.toStageId);
  },
  async 'deals.close'(input, ctx) {
    const approvalRequestId = ctx.newId();
    await ctx.writes.applyMutation('deals.close', { ...input, approvalRequestId });
    return moveResult(ctx, input.id, approvalRequestId, (stageId) => (input.stageId ? stageId === input.stageId : mustRead(ctx, 'stages', stageId, 'stage').kind === input.outcome));
  },
  'deals.get'(input, ctx) {
    const deal = mustRead(ctx, 'deals', input.id, 'deal');
    return {
      deal,
      stageHistory: readEntities(ctx, 'stage_history', 'deal_id = ?', [deal.id], 'ORDER BY entered_at, id'),
      approvals: readEntities(ctx, 'approval_requests', 'deal_id = ?', [deal.id], 'ORDER BY created_at DESC'),
    };
  },
  'deals.board': (input, ctx) => dealBoard(ctx, input.pipelineId, input, input.cardsPerStage),
  'deals.boardStage'(input, ctx) {
    const stage = mustRead(ctx, 'stages', input.stageId, 'stage');
    if (stage.pipelineId !== input.pipelineId) throw new AppError(ErrorCode.NOT_FOUND, `stage ${input.stageId} is not in pipeline ${input.pipelineId}`);
    return stageCards(ctx, input.pipelineId, stage, input, input.offset, input.limit);
  },
};

export const pipelinesHandlers: HandlerMap<typeof PIPELINES_API, CoreContext> = {
  'pipelines.list'(_input, ctx) {
    const stages = readEntities(ctx, 'stages', '', [], 'ORDER BY pipeline_id, position');
    return readEntities(ctx, 'pipelines', '', [], 'ORDER BY position, name').map((pipeline) => ({ pipeline, stages: stages.filter((s) => s.pipelineId === pipeline.id) }));
  },
};
