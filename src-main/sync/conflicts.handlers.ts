// Handlers of the conflicts methods, over the local replica of the conflict records.
import type { HandlerMap } from '../../src-shared/api/contract';
import type { CONFLICTS_API } from '../../src-shared/sync/conflicts.api';
import type { CoreContext } from '../core/core-context';
import { mustRead, readEntities } from '../core/core-context';

export const conflictsHandlers: HandlerMap<typeof CONFLICTS_API, CoreContext> = {
  'conflicts.list'(input, ctx) {
    const conds: string[] = [];
    const params: unknown[] = [];
    if (!input.includeResolved) conds.push(`status = 'open'`);
    if (input.entityId) {
      conds.push('entity_id = ?');
      params.push(input.entityId);
    }
    return { items: readEntities(ctx, 'conflicts', conds.join(' AND '), params, `ORDER BY created_at DESC, id LIMIT ${input.limit}`) };
  },
  async 'conflicts.resolve'(input, ctx) {
    await ctx.writes.applyMutation('conflicts.resolve', { ...input, approvalRequestId: ctx.newId() });
    return mustRead(ctx, 'conflicts', input.id, 'conflict');
  },
};
