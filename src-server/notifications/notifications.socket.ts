// One WebSocket connection of GET /api/v1/ws: authenticates with an access token, then relays the user's events.
import type { WebSocket } from 'ws';
import { decodeJwt } from 'jose';
import { ClientWsMessage, WS_CLOSE } from '../../src-shared/http/notifications.http';
import type { ServerWsMessage } from '../../src-shared/http/notifications.http';
import type { ServerContext } from '../app/server-context';
import { loadSignedInState } from '../accounts/accounts.repo';
import { verifyAccessToken } from '../auth/tokens';
import type { HubEvent, NotificationHub } from './notification-hub';
import { getNotification } from './notifications.repo';

/** A socket that has not authenticated by then is closed. */
export const WS_AUTH_TIMEOUT_MS = 10_000;

interface Identity {
  tenantId: string;
  userId: string;
}

/**
 * Serves one socket. Authentication: `?token=` on the URL, or a first `{type:'auth', token}` message. Once
 * authenticated, it receives only its own user's notifications (and its tenant's pokes). The socket is closed when
 * the token expires, unless an `auth` message with a fresh token for the same user arrived before.
 */
export function serveSocket(ctx: Pick<ServerContext, 'db' | 'log' | 'clock' | 'signingKey'>, hub: NotificationHub, socket: WebSocket, queryToken: string | undefined): void {
  let identity: Identity | null = null;
  let unsubscribe: (() => void) | null = null;
  let expiryTimer: NodeJS.Timeout | null = null;
  let authTimer: NodeJS.Timeout | null = setTimeout(() => refuse(WS_CLOSE.UNAUTHENTICATED, 'UNAUTHENTICATED', 'authenticate within 10 seconds'), WS_AUTH_TIMEOUT_MS);
  // Events are relayed one at a time, in the order the hub delivered them.
  let queue: Promise<void> = Promise.resolve();

  const send = (message: ServerWsMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const cleanup = () => {
    unsubscribe?.();
    unsubscribe = null;
    if (authTimer) clearTimeout(authTimer);
    if (expiryTimer) clearTimeout(expiryTimer);
    authTimer = expiryTimer = null;
  };
  const refuse = (closeCode: number, code: string, message: string) => {
    send({ type: 'error', code, message });
    cleanup();
    socket.close(closeCode, message.slice(0, 120));
  };

  const relay = (event: HubEvent) => {
    const who = identity;
    if (!who || event.tenantId !== who.tenantId) return;
    if (event.type === 'poke') {
      send({ type: 'poke', version: event.version });
      return;
    }
    if (event.userId !== who.userId) return;
    queue = queue.then(async () => {
      // Read through the same ownership check as the REST endpoint: the event names a row, the row decides.
      const notification = await getNotification(ctx.db, who.tenantId, who.userId, event.id);
      if (notification) send({ type: 'notification', notification });
    }).catch((err: unknown) => ctx.log.error({ err }, 'could not relay a notification'));
  };

  const authenticate = async (token: string) => {
    const now = ctx.clock.now();
    const claims = await verifyAccessToken(ctx.signingKey, token, now);
    const state = claims ? await loadSignedInState(ctx.db, claims) : null;
    if (!claims || !state) return refuse(WS_CLOSE.UNAUTHENTICATED, 'UNAUTHENTICATED', 'access token invalid or expired; refresh it and reconnect');
    if (identity && (identity.userId !== claims.userId || identity.tenantId !== claims.tenantId)) {
      return refuse(WS_CLOSE.UNAUTHENTICATED, 'UNAUTHENTICATED', 'a socket stays with the user it was opened for');
    }
    if (socket.readyState !== socket.OPEN) return;
    if (authTimer) clearTimeout(authTimer);
    authTimer = null;
    const first = identity === null;
    identity = { tenantId: claims.tenantId, userId: claims.userId };
    const exp = decodeJwt(token).exp;
    if (expiryTimer) clearTimeout(expiryTimer);
    if (typeof exp === 'number') {
      expiryTimer = setTimeout(() => refuse(WS_CLOSE.UNAUTHENTICATED, 'UNAUTHENTICATED', 'access token expired; refresh it and reconnect'), Math.max(0, exp * 1000 - now));
    }
    if (first) {
      unsubscribe = hub.subscribe(relay);
      send({ type: 'ready', userId: claims.userId });
    }
  };

  socket.on('message', (data, isBinary) => {
    let message: ClientWsMessage;
    try {
      if (isBinary) throw new Error('binary');
      const parsed = ClientWsMessage.safeParse(JSON.parse(String(data)));
      if (!parsed.success) throw parsed.error;
      message = parsed.data;
    } catch {
      return refuse(WS_CLOSE.BAD_MESSAGE, 'VALIDATION', 'expected a JSON message {type: "auth", token} or {type: "ping"}');
    }
    if (message.type === 'ping') {
      send({ type: 'pong' });
      return;
    }
    authenticate(message.token).catch((err: unknown) => {
      ctx.log.error({ err }, 'websocket authentication failed');
      refuse(WS_CLOSE.UNAUTHENTICATED, 'INTERNAL', 'authentication failed');
    });
  });
  socket.on('close', cleanup);
  socket.on('error', (err) => ctx.log.warn({ err }, 'websocket error'));

  if (queryToken) {
    authenticate(queryToken).catch((err: unknown) => {
      ctx.log.error({ err }, 'websocket authentication failed');
      refuse(WS_CLOSE.UNAUTHENTICATED, 'INTERNAL', 'authentication failed');
    });
  }
}
