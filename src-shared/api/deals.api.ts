// The deals methods: create, edit, move (or request approval), close, read one, the board.
import { z } from 'zod';
import { defineMethods } from './contract';
import { ApprovalRequest } from '../domain/approvals.schema';
import { CurrencyCode, Id, Instant, MinorUnits } from '../domain/common.schema';
import { Deal, Pipeline, Stage, StageHistory } from '../domain/deals.schema';
import { DealFields, DealMovePatchArgs } from '../mutators/deal-args';
import { DealsCreateArgs } from '../mutators/deals.mutators';

/** A move either happened, or the target stage is gated and an approval request now waits. */
export const MoveResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('moved'), deal: Deal }),
  z.object({ kind: z.literal('approvalRequired'), deal: Deal, request: ApprovalRequest }),
]);
export type MoveResult = z.infer<typeof MoveResult>;

export const BoardCard = Deal.pick({ id: true, name: true, amountMinor: true, currency: true, ownerId: true, companyId: true, expectedCloseDate: true, probability: true, stageEnteredAt: true, status: true }).extend({
  /** Idle in the stage longer than the stage's rotting days. */
  rotting: z.boolean(),
});
export type BoardCard = z.infer<typeof BoardCard>;

export const BoardColumn = z.object({
  stage: Stage,
  count: z.number().int(),
  /** Sum of amounts (minor units) of the stage's deals, and the same weighted by each deal's probability. */
  sumAmountMinor: MinorUnits,
  weightedAmountMinor: MinorUnits,
  rottingCount: z.number().int(),
  cards: z.array(BoardCard),
  /** More cards than shown: page them with deals.boardStage. */
  hasMore: z.boolean(),
});

const BoardFilters = z.object({
  ownerId: z.array(Id).max(200).optional(),
  search: z.string().trim().max(200).optional(),
});

export const DEALS_API = defineMethods({
  'deals.create': { input: DealsCreateArgs.extend({ id: Id.optional() }), output: Deal },
  'deals.update': { input: z.object({ id: Id, patch: DealFields.extend({ ownerId: Id.optional() }) }), output: Deal },
  'deals.move': {
    input: z.object({ id: Id, toStageId: Id, patch: DealMovePatchArgs.optional(), reasonId: Id.optional(), note: z.string().trim().max(2000).optional() }),
    output: MoveResult,
  },
  'deals.close': {
    input: z.object({ id: Id, outcome: z.enum(['won', 'lost']), reasonId: Id, note: z.string().trim().max(2000).optional(), stageId: Id.optional() }),
    output: MoveResult,
  },
  'deals.get': { input: z.object({ id: Id }), output: z.object({ deal: Deal, stageHistory: z.array(StageHistory), approvals: z.array(ApprovalRequest) }) },
  'deals.board': {
    input: BoardFilters.extend({ pipelineId: Id, cardsPerStage: z.number().int().min(0).max(500).default(50) }),
    output: z.object({ pipeline: Pipeline, currency: CurrencyCode, columns: z.array(BoardColumn), at: Instant }),
  },
  'deals.boardStage': {
    input: BoardFilters.extend({ pipelineId: Id, stageId: Id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(50) }),
    output: z.object({ cards: z.array(BoardCard), hasMore: z.boolean() }),
  },
});
