// A sync transport into the simulated server through Fastify's inject (the real routes, no sockets), with faults:
// a dropped request, a response lost after the server committed, a duplicated delivery, a stale earlier push
// delivered again out of order, and a server restart between commit and acknowledgement. A fault is armed for the
// n-th request of a sync round (a push, or any page of a pull), and fires once.
import { ErrorBody, ErrorCode } from '../../src-shared/api/errors';
import { PullResponse, PushResponse, SYNC_PATHS, THIS_VERSION } from '../../src-shared/sync/sync-protocol';
import type { PullRequest, PushRequest, VersionInfo } from '../../src-shared/sync/sync-protocol';
import { NetworkError, ServerError } from '../../src-main/sync/sync-transport';
import type { SyncTransport } from '../../src-main/sync/sync-transport';
import type { z } from 'zod';
import type { SimServer } from './sim-server';

export const FAULTS = ['none', 'dropRequest', 'loseResponse', 'duplicate', 'replayStale', 'restartAfterCommit'] as const;
export type Fault = (typeof FAULTS)[number];

export interface Delivery {
  clientId: string;
  path: string;
  status: number;
  /** Push outcomes the server reported (seen or not by the client). */
  outcomes: PushResponse['outcomes'];
}

export class SimTransport implements SyncTransport {
  private fault: Fault = 'none';
  /** Requests to let through before the armed fault fires. */
  private countdown = 0;
  /** Faults that fired (an armed one fires only if the round makes that many requests). */
  fired = 0;
  private readonly pushes: PushRequest[] = [];

  constructor(private readonly server: SimServer, private readonly token: () => Promise<string>, private readonly log: Delivery[], private readonly pick: (n: number) => number) {}

  /** Arms `fault` for the request after the next `skip` ones; 'none' disarms. */
  arm(fault: Fault, skip = 0): void {
    this.fault = fault;
    this.countdown = skip;
  }

  async info(): Promise<VersionInfo> {
    return THIS_VERSION;
  }

  push(request: PushRequest): Promise<PushResponse> {
    this.pushes.push(request);
    return this.call(SYNC_PATHS.push, request, PushResponse);
  }

  pull(request: PullRequest): Promise<PullResponse> {
    return this.call(SYNC_PATHS.pull, request, PullResponse);
  }

  private async send(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const res = await this.server.app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${await this.token()}` }, payload: body as object });
    const json = JSON.parse(res.body) as unknown;
    this.log.push({ clientId: (body as { clientId: string }).clientId, path, status: res.statusCode, outcomes: path === SYNC_PATHS.push && res.statusCode === 200 ? (json as PushResponse).outcomes : [] });
    return { status: res.statusCode, json };
  }

  private async call<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>> {
    let fault: Fault = 'none';
    if (this.fault !== 'none' && this.countdown-- === 0) {
      fault = this.fault;
      this.fault = 'none';
      this.fired++;
    }
    if (fault === 'dropRequest') throw new NetworkError('request dropped');
    if (fault === 'replayStale' && this.pushes.length > 1) {
      // An old push arrives late, after newer ones: the server must skip what it already applied.
      await this.send(SYNC_PATHS.push, this.pushes[this.pick(this.pushes.length - 1)]);
    }
    let res = await this.send(path, body);
    if (fault === 'duplicate') res = await this.send(path, body);
    if (fault === 'loseResponse') throw new NetworkError('response lost after the server committed');
    if (fault === 'restartAfterCommit') {
      await this.server.restart();
      throw new NetworkError('server restarted before answering');
    }
    if (res.status !== 200) {
      const parsed = ErrorBody.safeParse((res.json as { error?: unknown }).error);
      throw new ServerError(res.status, parsed.success ? parsed.data : { code: ErrorCode.INTERNAL, message: `status ${res.status}` });
    }
    return schema.parse(res.json);
  }
}
