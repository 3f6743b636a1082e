// One HTTP request and its answer for the sync transport, over node:http(s) with kept-alive connections, or over a
// given fetch. The process's first fetch() loads and compiles its HTTP client (undici, with a WebAssembly parser)
// on the spot, which holds the event loop for 60–110 ms; node:http's parser is built in.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface Exchange {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, answer included, fails after this long. */
  timeoutMs: number;
}

/** What the transport reads of an answer. */
export interface Answer {
  status: number;
  ok: boolean;
  /** The body, read to its end; fails when the exchange breaks off. */
  bytes(): Promise<Uint8Array>;
}

export type Send = (url: URL, exchange: Exchange) => Promise<Answer>;

/** Over a fetch implementation (tests hand one in to break exchanges). */
export function sendWithFetch(doFetch: typeof fetch): Send {
  return async (url, x) => {
    const res = await doFetch(url, { method: x.method, headers: x.headers, ...(x.body === undefined ? {} : { body: x.body }), signal: AbortSignal.timeout(x.timeoutMs) });
    return { status: res.status, ok: res.ok, bytes: async () => new Uint8Array(await res.arrayBuffer()) };
  };
}

/** Over node:http and node:https, each with its own pool of kept-alive connections. */
export function sendWithNodeHttp(): Send {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (url, x) => new Promise<Answer>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const headers = x.body === undefined ? x.headers : { ...x.headers, 'content-length': String(Buffer.byteLength(x.body)) };
    const req = (secure ? httpsRequest : httpRequest)(url, { method: x.method, headers, agent: secure ? agents.https : agents.http }, (res) => {
      const status = res.statusCode ?? 0;
      const body = readAll(res);
      body.catch(() => {});
      resolve({ status, ok: status >= 200 && status < 300, bytes: () => body });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${x.timeoutMs} ms`)), x.timeoutMs);
    timer.unref();
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(x.body);
  });
}

/** The most of a body read in one turn of the event loop. */
const TURN_BYTES = 512 * 1024;

/** Bodies from this size on are read into shared memory. */
const SHARED_FROM = 64 * 1024;

/**
 * The body, copied chunk by chunk into one buffer of its announced length as it arrives: copying a page of megabytes
 * at its end would hold the loop for milliseconds on end. A large one goes into shared memory: parts of it handed to a
 * worker thread (a first sync's rows, see bulk-connection.ts) are shared with it rather than copied.
 */
function readAll(res: IncomingMessage): Promise<Uint8Array> {
  const length = Number(res.headers['content-length']);
  const known = Number.isSafeInteger(length) && length >= 0;
  const whole = !known ? null : length >= SHARED_FROM ? new Uint8Array(new SharedArrayBuffer(length)) : Buffer.allocUnsafe(length);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let at = 0;
    let thisTurn = 0;
    res.on('data', (c: Buffer) => {
      if (whole && at + c.length <= whole.length) whole.set(c, at);
      else chunks.push(c);
      at += c.length;
      // A fast server fills the socket quicker than it is read: take at most TURN_BYTES in one turn of the loop.
      thisTurn += c.length;
      if (thisTurn < TURN_BYTES) return;
      thisTurn = 0;
      res.pause();
      setImmediate(() => res.resume());
    });
    res.on('end', () => {
      if (whole && at === whole.length && chunks.length === 0) resolve(whole);
      else if (whole) reject(new Error(`the answer's length was ${at} bytes, not the ${length} announced`));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the answer broke off')));
  });
}
