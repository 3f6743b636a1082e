// The sync client's HTTP transport: versions, push and pull against the tenant server, with the access token
// refreshed once on a 401 and every answer validated against the protocol's schemas.
import { ErrorBody, ErrorCode } from '../../src-shared/api/errors';
import { errorCodeOfStatus } from '../../src-shared/http/errors.http';
import { PullResponse, PushResponse, SYNC_PATHS, VersionInfo } from '../../src-shared/sync/sync-protocol';
import type { PullRequest, PushRequest } from '../../src-shared/sync/sync-protocol';
import type { z } from 'zod';
import { parseJsonInSlices } from './json-slicer';

/** Who the sync client is: its access token (refreshed when needed) and the device's client id. */
export interface SyncAuth {
  readonly clientId: string;
  /** A usable access token. */
  accessToken(): Promise<string>;
  /** A fresh token after the server refused the last one; throws when the session is over (sign in again). */
  refresh(): Promise<string>;
}

/** The server answered with an error envelope (or a status without one). */
export class ServerError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.message);
    this.name = 'ServerError';
  }
}

/** The server could not be reached, or the exchange broke off: retry later. */
export class NetworkError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface SyncTransport {
  info(): Promise<VersionInfo>;
  push(request: PushRequest): Promise<PushResponse>;
  pull(request: PullRequest): Promise<PullResponse>;
}

export interface HttpTransportOptions {
  /** e.g. `http://127.0.0.1:8787` */
  baseUrl: string;
  auth: SyncAuth;
  /** Gives up on a request after this long (a stalled connection must not wedge sync). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createHttpTransport(o: HttpTransportOptions): SyncTransport {
  const doFetch = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 60_000;

  async function send(path: string, body: unknown, token: string | null): Promise<Response> {
    try {
      return await doFetch(new URL(path, o.baseUrl), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new NetworkError(`cannot reach the server: ${(err as Error).message}`, err);
    }
  }

  async function call<S extends z.ZodType>(path: string, body: unknown, schema: S, authenticated: boolean): Promise<z.output<S>> {
    let res = await send(path, body, authenticated ? await o.auth.accessToken() : null);
    if (res.status === 401 && authenticated) res = await send(path, body, await o.auth.refresh());
    let json: unknown;
    try {
      // A pull page runs to megabytes: parsed in slices, never in one long block.
      json = await parseJsonInSlices(new Uint8Array(await res.arrayBuffer()));
    } catch (err) {
      if (res.status >= 500 || res.ok) throw new NetworkError(`unreadable answer from the server (${res.status})`, err);
      json = null;
    }
    if (!res.ok) {
      const parsed = ErrorBody.safeParse((json as { error?: unknown } | null)?.error);
      throw new ServerError(res.status, parsed.success ? parsed.data : { code: errorCodeOfStatus(res.status), message: `the server answered ${res.status}` });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ServerError(502, { code: ErrorCode.INTERNAL, message: `the server's answer to ${path} breaks the sync protocol: ${parsed.error.message.slice(0, 300)}` });
    return parsed.data;
  }

  return {
    info: () => call(SYNC_PATHS.info, undefined, VersionInfo, false),
    push: (request) => call(SYNC_PATHS.push, request, PushResponse, true),
    pull: (request) => call(SYNC_PATHS.pull, request, PullResponse, true),
  };
}
