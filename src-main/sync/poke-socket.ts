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
  random?: () => number;
}

export interface PokeSocket {
  readonly connected: boolean;
  close(): void;
}

/** Backoff with jitter: the attempt's ceiling doubles, the delay is drawn from its upper half, so clients spread out. */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export function connectPokeSocket(o: PokeSocketOptions): PokeSocket {
  const base = o.baseDelayMs ?? 250;
  const max = o.maxDelayMs ?? 30_000;
  const random = o.random ?? Math.random;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let closed = false;
  let connected = false;
  let timer: NodeJS.Timeout | null = null;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
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
      schedule(reconnectDelay(attempt++, base, max, random));
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
        o.auth.refresh().then(() => schedule(0), () => schedule(reconnectDelay(attempt++, base, max, random)));
        return;
      }
      schedule(reconnectDelay(attempt++, base, max, random));
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
