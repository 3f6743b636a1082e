// Handlers of the activities methods.
import type { ACTIVITIES_API } from '../../../src-shared/api/activities.api';
import type { HandlerMap } from '../../../src-shared/api/contract';
import type { CoreContext } from '../core-context';
import { mustRead, readEntities } from '../core-context';

export const activitiesHandlers: HandlerMap<typeof ACTIVITIES_API, CoreContext> = {
  async 'activities.log'(input, ctx) {
    const id = input.id ?? ctx.newId();
    await ctx.writes.applyMutation('activities.log', { ...input, id });
    return mustRead(ctx, 'activities', id, 'activity');
  },
  'activities.list'(input, ctx) {
    const conds = ['entity_type = ?', 'entity_id = ?', 'occurred_at < ?'];
    const params: unknown[] = [input.entityType, input.entityId, input.before ?? Number.MAX_SAFE_INTEGER];
    if (input.kinds?.length) {
      conds.push(`kind IN (${input.kinds.map(() => '?').join(', ')})`);
      params.push(...input.kinds);
    }
    if (input.openTasksOnly) conds.push(`kind = 'task' AND done_at IS NULL`);
    return readEntities(ctx, 'activities', conds.join(' AND '), params, `ORDER BY occurred_at DESC, id DESC LIMIT ${input.limit}`);
  },
  async 'activities.complete'(input, ctx) {
    await ctx.writes.applyMutation('activities.complete', input);
    return mustRead(ctx, 'activities', input.id, 'activity');
  },
};
