// The approvals methods: request, decide, the approver's inbox, a deal's approval history.
import { z } from 'zod';
import { defineMethods } from './contract';
import { ApprovalEvent, ApprovalRequest } from '../domain/approvals.schema';
import { Id } from '../domain/common.schema';
import { Deal } from '../domain/deals.schema';
import { DealMovePatchArgs } from '../mutators/deal-args';

export const InboxItem = z.object({
  request: ApprovalRequest,
  /** Null while the deal has not reached this replica: the request's binding still carries amount, close date and target stage. */
  deal: Deal.pick({ id: true, name: true, amountMinor: true, currency: true, ownerId: true, stageId: true, expectedCloseDate: true }).nullable(),
  targetStageName: z.string(),
  /** Set when the actor sees this as someone's delegate. */
  onBehalfOf: Id.nullable(),
});

export const APPROVALS_API = defineMethods({
  'approvals.request': { input: z.object({ id: Id.optional(), dealId: Id, toStageId: Id, patch: DealMovePatchArgs.optional() }), output: ApprovalRequest },
  'approvals.decide': {
    input: z.object({ requestId: Id, decision: z.enum(['approve', 'reject']), comment: z.string().trim().max(2000).optional() }),
    output: z.object({ request: ApprovalRequest, deal: Deal }),
  },
  'approvals.inbox': { input: z.object({}), output: z.array(InboxItem) },
  'approvals.history': {
    input: z.union([z.object({ dealId: Id }), z.object({ requestId: Id })]),
    output: z.array(z.object({ request: ApprovalRequest, events: z.array(ApprovalEvent) })),
  },
});
