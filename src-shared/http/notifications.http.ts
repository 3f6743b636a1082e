// The notifications contract: the REST list/read endpoints and the messages of the real-time WebSocket channel.
import { z } from 'zod';
import { Notification } from '../domain/activities.schema';

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const NotificationListQuery = z.strictObject({
  /** Only notifications not yet read. */
  unread: booleanParam.default(false),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only notifications created before this instant (epoch ms): the previous page's last `createdAt`. */
  before: z.coerce.number().int().nonnegative().optional(),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

export const NotificationRecord = Notification.extend({ version: z.number().int().min(0) });
export type NotificationRecord = z.infer<typeof NotificationRecord>;

export const NotificationList = z.object({
  items: z.array(NotificationRecord),
  /** How many of the caller's notifications are unread, whatever the page. */
  unreadCount: z.number().int().min(0),
});
export type NotificationList = z.infer<typeof NotificationList>;

/** The WebSocket endpoint; the access token goes in `?token=` or in a first `auth` message. */
export const WS_PATH = '/api/v1/ws';

/** Messages a client sends on the WebSocket. */
export const ClientWsMessage = z.discriminatedUnion('type', [
  /** Authenticates a socket opened without `?token=`; must be the first message. */
  z.strictObject({ type: z.literal('auth'), token: z.string().min(1).max(4096) }),
  /** Keeps a connection alive through idle proxies; answered with `pong`. */
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientWsMessage = z.infer<typeof ClientWsMessage>;

/** Messages the server sends on the WebSocket; the sync issue adds its own kinds to this union. */
export const ServerWsMessage = z.discriminatedUnion('type', [
  /** Authenticated: from now on this user's events arrive on this socket. */
  z.object({ type: z.literal('ready'), userId: z.string() }),
  /** A notification for the signed-in user was stored. */
  z.object({ type: z.literal('notification'), notification: NotificationRecord }),
  /** The tenant's data changed up to `version`: pull. */
  z.object({ type: z.literal('poke'), version: z.number().int().min(0) }),
  z.object({ type: z.literal('pong') }),
  /** The connection is refused or ends (bad token, bad message); the server closes the socket after it. */
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerWsMessage = z.infer<typeof ServerWsMessage>;

/** WebSocket close codes the server uses (4000–4999 is the application range). */
export const WS_CLOSE = {
  /** Missing, invalid or expired access token: get a fresh one and reconnect. */
  UNAUTHENTICATED: 4401,
  /** A message that is not valid JSON or not a known client message. */
  BAD_MESSAGE: 4400,
} as const;
