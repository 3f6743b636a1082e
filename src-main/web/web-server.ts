// The browser host's HTTP server: the built renderer behind a local session token, and the WebSocket into the client-core host.
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ClientFrame } from '../../src-shared/api/host-protocol';
import type { HostEvent, ServerFrame } from '../../src-shared/api/host-protocol';
import type { ClientHost } from '../host/client-host';
import { securityHeaders } from './content-policy';
import { cookieName, cookieValue, newSessionToken, sameToken, sessionCookie } from './session-token';
import { resolveStaticFile } from './static-files';

export interface WebServerOptions {
  host: ClientHost;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Made at random unless given (tests). */
  token?: string;
  /** Largest WebSocket message accepted (a CSV import travels in one call). */
  maxMessageBytes?: number;
}

export interface RunningWebServer {
  /** e.g. `http://127.0.0.1:5173` */
  readonly url: string;
  /** The URL to open, token included. */
  readonly openUrl: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

export const WS_PATH = '/ws';
const HOST = '127.0.0.1';

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const token = options.token ?? newSessionToken();
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 32 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, HOST, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;
  const cookie = cookieName(port);
  const headers = securityHeaders(origin);
  // The names this server answers to: anything else in Host or Origin is another site (DNS rebinding, cross-site sockets).
  const ownHosts = new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const ownOrigins = new Set([...ownHosts].map((h) => `http://${h}`));

  const authorized = (request: IncomingMessage, url: URL) => sameToken(token, cookieValue(request, cookie)) || sameToken(token, url.searchParams.get('token'));

  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', origin);
    if (!ownHosts.has(request.headers.host ?? '')) return plain(response, 421, 'unknown host\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!sameToken(token, given)) return plain(response, 401, 'wrong session token: open the URL `npm run web` printed\n');
      // Trade the token in the address bar for a cookie, and drop it from the URL (history, screenshots).
      url.searchParams.delete('token');
      response.writeHead(303, { ...headers, location: `${url.pathname}${url.search}`, 'set-cookie': sessionCookie(cookie, token), 'cache-control': 'no-store' });
      return void response.end();
    }
    if (!authorized(request, url)) return plain(response, 401, 'this page needs the session token: open the URL `npm run web` printed (it ends with ?token=…)\n');
    // Browsers ask for it unprompted; the app has none, and a 404 would litter the console.
    if (url.pathname === '/favicon.ico') return void response.writeHead(204, headers).end();
    const file = resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) return plain(response, 404, 'not found\n');
    response.writeHead(200, { ...headers, 'content-type': file.type, 'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store' });
    if (request.method === 'HEAD') return void response.end();
    createReadStream(file.path).on('error', () => response.destroy()).pipe(response);
  });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', origin);
    const originHeader = request.headers.origin;
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== WS_PATH || !ownHosts.has(request.headers.host ?? '')) return refuse('404 Not Found');
    if (originHeader !== undefined && !ownOrigins.has(originHeader)) return refuse('403 Forbidden');
    if (!authorized(request, url)) return refuse('401 Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options.host));
  });

  return {
    url: origin,
    openUrl: `${origin}/?token=${token}`,
    token,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function plain(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  response.end(text);
}

/** One socket is one host session: calls run against its current profile, events of that profile come back. */
function serveSocket(ws: WebSocket, host: ClientHost): void {
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const session = host.openSession((event: HostEvent) => send({ type: 'event', ...event }));
  ws.on('message', (data, isBinary) => {
    let frame: ClientFrame;
    try {
      if (isBinary) throw new Error('binary frame');
      frame = ClientFrame.parse(JSON.parse(data.toString()));
    } catch {
      // Not our protocol: there is no call id to answer, so the client is told by closing.
      ws.close(1008, 'expected {type:"call", id, method, input} as JSON');
      return;
    }
    void session.call(frame.method, frame.input).then((result) => send({ type: 'result', id: frame.id, result }));
  });
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
}
