// The WebSocket that tells the sync client to pull (pokes, notifications), reconnecting with backoff and jitter.
import WebSocket from 'ws';
import { ServerWsMessage, WS_CLOSE, WS_PATH } from '../../src-shared/http/notifications.http';
import type { SyncAuth } from './sync-transport';

export interface PokeSocketOptions {
  baseUrl: string;
  auth: SyncAuth;
  /** The server's data changed (a poke, or a notification for this user): pull. */
  onPoke: () => void;
  /** Connected (authenticated) or not; a reconnect is a good moment to sync. */
  onConnected?: (connected: boolean) => void;
  /** First reconnect delay; doubles up to `maxDelayMs`, each delay drawn in [½, 1] of it. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The ceiling while the socket was connected within the last `recentMs` (see reconnectDelay). */
  recentMaxDelayMs?: number;
  recentMs?: number;
  random?: () => number;
}

export interface PokeSocket {
  readonly connected: boolean;
  close(): void;
}

/**
 * Backoff with jitter: the attempt's ceiling doubles, the delay is drawn from its upper half, so clients spread out.
 * `recentMaxMs` caps the ceiling (never below `baseMs`) while the last connection is recent: a server restart or a
 * short outage is over in seconds, and waiting up to `maxMs` after it would leave every desktop stale for as long.
 */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, random: () => number, recentMaxMs?: number): number {
  let ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  if (recentMaxMs !== undefined) ceiling = Math.min(ceiling, Math.max(baseMs, recentMaxMs));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Defaults of the recent-connection cap: a ceiling of 2 s for the first minute after the last connection. */
export const RECENT_MAX_DELAY_MS = 2_000;
export const RECENT_MS = 60_000;

export function connectPokeSocket(o: PokeSocketOptions): PokeSocket {
  const base = o.baseDelayMs ?? 250;
  const max = o.maxDelayMs ?? 30_000;
  const recentMax = o.recentMaxDelayMs ?? RECENT_MAX_DELAY_MS;
  const recentMs = o.recentMs ?? RECENT_MS;
  const random = o.random ?? Math.random;
  let socket: WebSocket | null = null;
  let attempt = 0;
  /** When the socket was last known connected (performance.now()); null before the first connection. */
  let lastConnected: number | null = null;
  const nextDelay = () => reconnectDelay(attempt++, base, max, random, lastConnected !== null && performance.now() - lastConnected < recentMs ? recentMax : undefined);
  let closed = false;
  let connected = false;
  let timer: NodeJS.Timeout | null = null;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    // Connected until now (or from now): the backoff after a drop counts from here.
    lastConnected = performance.now();
    connected = value;
    o.onConnected?.(value);
  };

  const schedule = (delay: number) => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void open();
    }, delay);
  };

  async function open(): Promise<void> {
    if (closed) return;
    let token: string;
    try {
      token = await o.auth.accessToken();
    } catch {
      schedule(nextDelay());
      return;
    }
    const url = new URL(WS_PATH, o.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    const ws = new WebSocket(url);
    socket = ws;
    ws.on('message', (data) => {
      let message: ServerWsMessage;
      try {
        message = ServerWsMessage.parse(JSON.parse(String(data)));
      } catch {
        return;
      }
      if (message.type === 'ready') {
        attempt = 0;
        setConnected(true);
      } else if (message.type === 'poke' || message.type === 'notification') {
        o.onPoke();
      }
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (socket === ws) socket = null;
      setConnected(false);
      if (closed) return;
      if (code === WS_CLOSE.UNAUTHENTICATED) {
        // The token expired: rotate it, then come straight back.
        o.auth.refresh().then(() => schedule(0), () => schedule(nextDelay()));
        return;
      }
      schedule(nextDelay());
    });
  }

  void open();
  return {
    get connected() {
      return connected;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      socket?.close();
      socket = null;
    },
  };
}
