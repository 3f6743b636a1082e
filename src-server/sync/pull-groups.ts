// Serves pulls. When a change is poked to many desktops of a tenant at once, their pulls arrive together: those that
// come while one is being served wait for it and are then served together in one snapshot, so the reads they share
// (who the callers are, every client's progress, the window, its page, the viewers' pipelines) cost one round trip
// instead of one per pull.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { ParsedPullRequest } from '../../src-shared/sync/sync-protocol';
import type { ServerContext } from '../app/server-context';
import { loadSignedInStates } from '../accounts/accounts.repo';
import { sessionEnded } from '../auth/authenticate';
import type { RequestAuth } from '../auth/authenticate';
import type { AccessClaims } from '../auth/tokens';
import { clientsProgress, forgetResults, progressOf, pullInSnapshot } from './pull.service';
import type { ServedPull } from './pull.service';
import { SnapshotReads } from './snapshot-reads';
import { requireCompatible } from './sync-versions';

/** Most pulls served in one snapshot; the rest wait for the next. */
const MAX_GROUP = 64;

interface Waiting {
  claims: AccessClaims;
  req: ParsedPullRequest;
  resolve: (res: ServedPull) => void;
  reject: (err: unknown) => void;
}

/**
 * Serves `pulls` in one repeatable-read snapshot, in turn on one connection: who each caller is now (a pull whose
 * session, device or user is gone is refused), every client's progress, then each pull. A database error ends the
 * snapshot and fails the pulls not yet answered (their clients retry); a refusal (AppError) fails only its own pull.
 */
async function serveTogether(ctx: ServerContext, pulls: readonly Waiting[], forgotten: Map<string, number>): Promise<void> {
  const served: { clientId: string; ackedThrough: number }[] = [];
  try {
    await ctx.db.transaction(async (tx) => {
      const reads = new SnapshotReads(tx);
      const states = await loadSignedInStates(tx, pulls.map((p) => p.claims));
      const progress = await clientsProgress(tx, pulls.map((p) => ({ clientId: p.req.clientId, ackedThrough: p.req.resultsAckedThrough })));
      for (const [i, p] of pulls.entries()) {
        const state = states[i];
        if (!state) {
          p.reject(sessionEnded());
          continue;
        }
        try {
          const auth: RequestAuth = { ...state, sessionId: p.claims.sessionId, clientId: p.claims.clientId };
          p.resolve(await pullInSnapshot(reads, auth, p.req, progressOf(progress, p.req.clientId, p.req.resultsAckedThrough)));
          served.push({ clientId: p.req.clientId, ackedThrough: p.req.resultsAckedThrough });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          p.reject(err);
        }
      }
    }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
  } catch (err) {
    // Settling a promise twice does nothing: the pulls answered already keep their answers.
    for (const p of pulls) p.reject(err);
    return;
  }
  // The refusals the clients acknowledged are deleted, once per acknowledgement (a client sends the same one pull
  // after pull; a result is recorded only for a mutation after it, so none can appear below it later).
  const acked = served.filter((c) => c.ackedThrough > (forgotten.get(c.clientId) ?? 0));
  try {
    await forgetResults(ctx.db, acked);
    for (const c of acked) forgotten.set(c.clientId, c.ackedThrough);
  } catch (err) {
    ctx.log.warn({ err }, 'could not delete acknowledged refusals; the next pull will');
  }
}

/** Per tenant: the pulls waiting, and whether a group is being served. */
class PullGroups {
  private readonly waiting = new Map<string, Waiting[]>();
  /** Per client: the acknowledgement its refusals were last deleted through. */
  private readonly forgotten = new Map<string, number>();

  constructor(private readonly ctx: ServerContext) {}

  pull(claims: AccessClaims, req: ParsedPullRequest): Promise<ServedPull> {
    // A first sync or a continued window reads large pages: served alone, it holds up no one else's small pull.
    if (req.cursor === null || req.position !== undefined) {
      return new Promise((resolve, reject) => void serveTogether(this.ctx, [{ claims, req, resolve, reject }], this.forgotten));
    }
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(claims.tenantId);
      if (queue) {
        queue.push({ claims, req, resolve, reject });
        return;
      }
      this.waiting.set(claims.tenantId, []);
      void this.serve(claims.tenantId, [{ claims, req, resolve, reject }]);
    });
  }

  /** Serves `first`, then whatever arrived meanwhile, until no pull of the tenant waits. */
  private async serve(tenantId: string, first: Waiting[]): Promise<void> {
    let group = first;
    while (group.length > 0) {
      await serveTogether(this.ctx, group, this.forgotten);
      group = this.waiting.get(tenantId)!.splice(0, MAX_GROUP);
    }
    this.waiting.delete(tenantId);
  }
}

const groups = new WeakMap<ServerContext, PullGroups>();

export function pullChanges(ctx: ServerContext, claims: AccessClaims, req: ParsedPullRequest): Promise<ServedPull> {
  requireCompatible(req);
  if (req.clientId !== claims.clientId) throw new AppError(ErrorCode.FORBIDDEN, 'the client id is not the signed-in device’s', [{ path: 'clientId', message: 'not this device' }]);
  let served = groups.get(ctx);
  if (!served) groups.set(ctx, (served = new PullGroups(ctx)));
  return served.pull(claims, req);
}
