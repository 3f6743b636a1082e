// The host protocol: calls from a window to the client-core host and what comes back, over Electron IPC or the WebSocket.
import { z } from 'zod';
import { Notification } from '../domain/activities.schema';
import { ErrorBody } from './errors';
import { SyncStatusOut } from './host.api';
import type { AppInput, AppMethodName, AppOutput } from './host.api';

/** 1: calls {id, method, input}; results {ok, output} or {ok: false, error}; events {event, payload}. */
export const HOST_PROTOCOL_VERSION = 1;

export const CallRequest = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  input: z.unknown(),
});
export type CallRequest = z.infer<typeof CallRequest>;

export const CallResult = z.union([
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorBody }),
]);
export type CallResult<O = unknown> = { ok: true; output: O } | { ok: false; error: ErrorBody };

/** What needs the user's attention in the current profile: unread alerts, approvals waiting, and alerts new since the last count. */
export const Attention = z.object({
  unreadNotifications: z.number().int().nonnegative(),
  pendingApprovals: z.number().int().nonnegative(),
  fresh: z.array(Notification),
});
export type Attention = z.infer<typeof Attention>;

/** Commands of the desktop app's menu (and its shortcuts), delivered to the window as `menu.command` events. */
export const MenuCommand = z.enum(['lead.new', 'search', 'profiles.switch', 'sync.now']);
export type MenuCommand = z.infer<typeof MenuCommand>;

/** Events a window receives for its current profile. */
export const HOST_EVENTS = {
  /** A write committed in the profile's store: views showing these tables refresh. */
  changed: z.object({ mutations: z.array(z.string()), tables: z.array(z.string()) }),
  'attention.changed': Attention,
  /** The window's current profile changed (opened, signed out, removed: then null). */
  'profile.changed': z.object({ profileId: z.string().nullable() }),
  /** The current profile's sync status changed (phase, pending count, progress, conflicts, refusals). */
  'sync.status': SyncStatusOut,
  /** Desktop app only: a menu item or its shortcut was used. */
  'menu.command': z.object({ command: MenuCommand }),
};
export type HostEvents = { [E in keyof typeof HOST_EVENTS]: z.infer<(typeof HOST_EVENTS)[E]> };
export type HostEventName = keyof HostEvents & string;

export const HostEvent = z.object({ event: z.string().min(1).max(100), payload: z.unknown() });
export type HostEvent = z.infer<typeof HostEvent>;

/** WebSocket frames, window → host. */
export const ClientFrame = CallRequest.extend({ type: z.literal('call') });
export type ClientFrame = z.infer<typeof ClientFrame>;

/** WebSocket frames, host → window. */
export type ServerFrame = { type: 'result'; id: number; result: CallResult } | ({ type: 'event' } & HostEvent);

/** What Electron's preload exposes as `window.fieldcrm`: exactly these two functions. */
export interface FieldcrmBridge {
  call<N extends AppMethodName>(method: N, input: AppInput<N>): Promise<CallResult<AppOutput<N>>>;
  on<E extends HostEventName>(event: E, listener: (payload: HostEvents[E]) => void): () => void;
}
