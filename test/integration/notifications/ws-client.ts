// A WebSocket test client for GET /api/v1/ws that records every server message and waits for the ones a test needs.
import WebSocket from 'ws';
import { ServerWsMessage } from '../../../src-shared/http/notifications.http';

export interface WsClient {
  readonly messages: ServerWsMessage[];
  /** Resolves with the first message (already received or still to come) matching `match` that no earlier call took. */
  next<T extends ServerWsMessage['type']>(type: T, match?: (m: Extract<ServerWsMessage, { type: T }>) => boolean): Promise<Extract<ServerWsMessage, { type: T }>>;
  send(message: unknown): void;
  /** Resolves with the close code. */
  closed: Promise<number>;
  close(): void;
}

export function connectWs(url: string, timeoutMs = 10_000): WsClient {
  const ws = new WebSocket(url);
  const messages: ServerWsMessage[] = [];
  const taken = new Set<number>();
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(ServerWsMessage.parse(JSON.parse(String(data))));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => {
    resolve(code);
    for (const w of waiters.splice(0)) w();
  }));
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
  return {
    messages,
    closed,
    send: (message) => {
      void opened.then(() => ws.send(JSON.stringify(message)));
    },
    close: () => ws.close(),
    next(type, match) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs);
        const look = () => {
          const i = messages.findIndex((m, idx) => !taken.has(idx) && m.type === type && (!match || match(m as never)));
          if (i >= 0) {
            taken.add(i);
            clearTimeout(timer);
            resolve(messages[i] as never);
          } else if (ws.readyState === WebSocket.CLOSED) {
            clearTimeout(timer);
            reject(new Error(`socket closed before a ${type} message; got ${JSON.stringify(messages)}`));
          } else {
            waiters.push(look);
          }
        };
        look();
      });
    },
  };
}
