// The sync client's HTTP transport: versions, push and pull against the tenant server, with the access token
// refreshed once on a 401 and every answer validated against the protocol's schemas.
import { ErrorBody, ErrorCode } from '../../src-shared/api/errors';
import { errorCodeOfStatus } from '../../src-shared/http/errors.http';
import { PullResponse, PushResponse, SYNC_PATHS, VersionInfo } from '../../src-shared/sync/sync-protocol';
import type { PullRequest, PushRequest, TableChanges } from '../../src-shared/sync/sync-protocol';
import { z } from 'zod';
import { sendWithFetch, sendWithNodeHttp } from './http-exchange';
import type { Answer } from './http-exchange';
import { elementsOf, JsonRuns, parseJsonInSlices } from './json-slicer';
import type { JsonPath, JsonRun, SliceOptions } from './json-slicer';

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

const breaksProtocol = (path: string, message: string) => new ServerError(502, { code: ErrorCode.INTERNAL, message: `the server's answer to ${path} breaks the sync protocol: ${message.slice(0, 300)}` });

/** A pull page's rows, changes[n].rows, are kept as their bytes. */
const ROWS: SliceOptions['keep'] = {
  at: (path: JsonPath) => path.length === 3 && path[0] === 'changes' && path[2] === 'rows',
  within: (path: JsonPath) => path.length === 2 && path[0] === 'changes',
};

const ROW_RUNS = Symbol('row runs');

/** The rows of a pulled table as the server's JSON text, in runs of whole rows; null when they were parsed. */
export function rowRunsOf(change: TableChanges): readonly JsonRun[] | null {
  return (change as { [ROW_RUNS]?: JsonRun[] })[ROW_RUNS] ?? null;
}

/** Gives `change` the runs of its rows' text, and rows parsed from them when first read. */
function keepRuns(change: TableChanges, runs: JsonRun[]): void {
  let rows: unknown[][] | null = null;
  Object.defineProperty(change, ROW_RUNS, { value: runs });
  Object.defineProperty(change, 'rows', {
    enumerable: true,
    configurable: true,
    get: () => (rows ??= parseRuns(runs)),
    set: (value: unknown[][]) => (rows = value),
  });
}

function parseRuns(runs: JsonRun[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const run of runs) {
    for (const row of elementsOf(run)) {
      if (!Array.isArray(row)) throw breaksProtocol(SYNC_PATHS.pull, 'expected a row as an array of values');
      rows.push(row);
    }
  }
  return rows;
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
  const exchange = o.fetch ? sendWithFetch(o.fetch) : sendWithNodeHttp();
  const timeoutMs = o.timeoutMs ?? 60_000;

  async function send(path: string, body: unknown, token: string | null): Promise<Answer> {
    try {
      return await exchange(new URL(path, o.baseUrl), {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs,
      });
    } catch (err) {
      throw new NetworkError(`cannot reach the server: ${(err as Error).message}`, err);
    }
  }

  async function call<S extends z.ZodType>(path: string, body: unknown, schema: S, authenticated: boolean, keep?: SliceOptions['keep']): Promise<z.output<S>> {
    let res = await send(path, body, authenticated ? await o.auth.accessToken() : null);
    if (res.status === 401 && authenticated) res = await send(path, body, await o.auth.refresh());
    let json: unknown;
    try {
      // A pull page runs to megabytes: parsed in slices, never in one long block.
      json = await parseJsonInSlices(await res.bytes(), keep ? { keep } : {});
    } catch (err) {
      if (res.status >= 500 || res.ok) throw new NetworkError(`unreadable answer from the server (${res.status})`, err);
      json = null;
    }
    if (!res.ok) {
      const parsed = ErrorBody.safeParse((json as { error?: unknown } | null)?.error);
      throw new ServerError(res.status, parsed.success ? parsed.data : { code: errorCodeOfStatus(res.status), message: `the server answered ${res.status}` });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw breaksProtocol(path, parsed.error.message);
    return parsed.data;
  }

  /** A pull page whose rows stay JSON text until they are read (see rowRunsOf). */
  async function pull(request: PullRequest): Promise<PullResponse> {
    const texts = new Map<number, JsonRuns>();
    // The schema checks the rest of the page; rows are checked as they are read.
    const aside = (json: unknown) => {
      const changes = (json as { changes?: unknown } | null)?.changes;
      if (!Array.isArray(changes)) return;
      changes.forEach((change: { rows?: unknown } | null, i) => {
        if (!(change?.rows instanceof JsonRuns)) return;
        texts.set(i, change.rows);
        change.rows = [];
      });
    };
    const page = await call(SYNC_PATHS.pull, request, z.preprocess((json) => (aside(json), json), PullResponse), true, ROWS);
    for (const [i, runs] of texts) keepRuns(page.changes[i]!, runs.runs);
    return page;
  }

  return {
    info: () => call(SYNC_PATHS.info, undefined, VersionInfo, false),
    push: (request) => call(SYNC_PATHS.push, request, PushResponse, true),
    pull,
  };
}
