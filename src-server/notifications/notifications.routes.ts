// HTTP routes of notifications: GET /notifications, POST /notifications/:id/read, and the WebSocket GET /ws.
import type { FastifyPluginAsync } from 'fastify';
import websocket from '@fastify/websocket';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { NotificationListQuery } from '../../src-shared/http/notifications.http';
import type { NotificationList, NotificationRecord } from '../../src-shared/http/notifications.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf, requireAuth } from '../auth/authenticate';
import { parseInput } from '../http/parse-input';
import { createNotificationHub } from './notification-hub';
import { listNotifications, markNotificationRead } from './notifications.repo';
import { serveSocket } from './notifications.socket';

const WsQuery = z.object({ token: z.string().max(4096).optional() });

/** Registered under `/api/v1`; the hub lives as long as the app and is closed with it. */
export const notificationRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const hub = await createNotificationHub(ctx.database, ctx.log);
  app.addHook('onClose', async () => hub.close());
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  // Authenticated by the token in the URL or the first message: browsers cannot set headers on a WebSocket.
  app.get('/ws', { websocket: true }, (socket, request) => {
    const query = WsQuery.safeParse(request.query);
    serveSocket(ctx, hub, socket, query.success ? query.data.token : undefined);
  });

  await app.register(async (rest) => {
    rest.addHook('onRequest', requireAuth(ctx));

    rest.get('/notifications', async (request): Promise<NotificationList> => {
      const { user } = authOf(request);
      return listNotifications(ctx.db, user.tenantId, user.id, parseInput(NotificationListQuery, request.query, 'query'));
    });

    rest.post('/notifications/:id/read', async (request): Promise<NotificationRecord> => {
      const { user } = authOf(request);
      const { id } = parseInput(IdParams, request.params, 'params');
      const read = await markNotificationRead(ctx.db, user.tenantId, user.id, id, ctx.clock.now());
      if (!read) throw new AppError(ErrorCode.NOT_FOUND, 'no such notification');
      return read;
    });
  });
};
