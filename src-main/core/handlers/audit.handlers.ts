// Handlers of the audit and notifications methods.
import type { AUDIT_API } from '../../../src-shared/api/audit.api';
import type { HandlerMap } from '../../../src-shared/api/contract';
import type { NOTIFICATIONS_API } from '../../../src-shared/api/notifications.api';
import type { CoreContext } from '../core-context';
import { readEntities } from '../core-context';
import { auditHistory } from '../queries/audit-history.query';
import { prepared } from '../../store/statement-cache';

function unreadCount(ctx: CoreContext): number {
  const me = ctx.actor();
  return (prepared(ctx.store.sqlite, 'SELECT count(*) AS n FROM notifications WHERE tenant_id = ? AND user_id = ? AND read_at IS NULL').get(me.tenantId, me.userId) as { n: number }).n;
}

export const auditHandlers: HandlerMap<typeof AUDIT_API, CoreContext> = {
  'audit.history': (input, ctx) => auditHistory(ctx, input),
};

export const notificationsHandlers: HandlerMap<typeof NOTIFICATIONS_API, CoreContext> = {
  'notifications.list'(input, ctx) {
    const items = readEntities(ctx, 'notifications', `user_id = ?${input.unreadOnly ? ' AND read_at IS NULL' : ''}`, [ctx.actor().userId], `ORDER BY created_at DESC, id DESC LIMIT ${input.limit}`);
    return { items, unread: unreadCount(ctx) };
  },
  async 'notifications.markRead'(input, ctx) {
    await ctx.writes.applyMutation('notifications.markRead', input);
    return { unread: unreadCount(ctx) };
  },
};
