// Handlers of the approvals methods.
import type { APPROVALS_API } from '../../../src-shared/api/approvals.api';
import type { HandlerMap } from '../../../src-shared/api/contract';
import type { CoreContext } from '../core-context';
import { mustRead, readEntities } from '../core-context';

export const approvalsHandlers: HandlerMap<typeof APPROVALS_API, CoreContext> = {
  async 'approvals.request'(input, ctx) {
    const id = input.id ?? ctx.newId();
    await ctx.writes.applyMutation('approvals.request', { ...input, id });
    return mustRead(ctx, 'approval_requests', id, 'approval request');
  },
  async 'approvals.decide'(input, ctx) {
    await ctx.writes.applyMutation('approvals.decide', input);
    const request = mustRead(ctx, 'approval_requests', input.requestId, 'approval request');
    return { request, deal: mustRead(ctx, 'deals', request.dealId, 'deal') };
  },
  'approvals.inbox'(_input, ctx) {
    const me = ctx.actor();
    const now = ctx.now();
    const requests = readEntities(ctx, 'approval_requests', `status = 'pending' AND (approver_id = ? OR approver_id IN (
        SELECT from_user_id FROM delegations WHERE tenant_id = ? AND to_user_id = ? AND starts_at <= ? AND ends_at > ?))`,
    [me.userId, me.tenantId, me.userId, now, now], 'ORDER BY due_at, created_at');
    return requests.map((request) => {
      // A request can arrive before its deal (a pull in progress, an older server): it still lists, with what it carries.
      const deal = readEntities(ctx, 'deals', 'id = ?', [request.dealId])[0];
      const target = readEntities(ctx, 'stages', 'id = ?', [request.binding.targetStageId])[0];
      return {
        request,
        deal: deal ? { id: deal.id, name: deal.name, amountMinor: deal.amountMinor, currency: deal.currency, ownerId: deal.ownerId, stageId: deal.stageId, expectedCloseDate: deal.expectedCloseDate } : null,
        targetStageName: target?.name ?? request.binding.targetStageId,
        onBehalfOf: request.approverId === me.userId ? null : request.approverId,
      };
    });
  },
  'approvals.history'(input, ctx) {
    const requests = 'dealId' in input
      ? readEntities(ctx, 'approval_requests', 'deal_id = ?', [input.dealId], 'ORDER BY created_at, id')
      : [mustRead(ctx, 'approval_requests', input.requestId, 'approval request')];
    return requests.map((request) => ({ request, events: readEntities(ctx, 'approval_events', 'request_id = ?', [request.id], 'ORDER BY at, id') }));
  },
};
