// POST /sync/push: applies a client's mutations in order, each in its own transaction with the client's progress.
import { eq, sql } from 'drizzle-orm';
import { AppError, ErrorCode, toErrorBody } from '../../src-shared/api/errors';
import type { ErrorBody } from '../../src-shared/api/errors';
import type { Mutator, MutatorEnv } from '../../src-shared/mutators/mutator';
import type { Conflict } from '../../src-shared/sync/conflicts.schema';
import { MUTATORS } from '../../src-shared/mutators/registry';
import type { MutationOutcome, PushRequest, PushResponse, SyncMutation } from '../../src-shared/sync/sync-protocol';
import type { ServerContext } from '../app/server-context';
import type { RequestAuth } from '../auth/authenticate';
import type { AppDb } from '../db/database';
import { mutationResults, syncClients } from '../db/schema/sync.table';
import { PreparedStatement } from '../db/prepared-statement';
import { tenantVersions } from '../db/schema/auth.table';
import { markDurable } from '../db/tenant-version';
import { mergeStep } from './merge-step';
import { PgMutationTx } from './pg-mutation-tx';
import { requireCompatible, upgradeForServer } from './sync-versions';

/** PostgreSQL error classes that mean "try again", not "this mutation is wrong": never recorded as a refusal. */
const TRANSIENT_SQLSTATE = /^(08|40|53|57)/;

function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SQLSTATE.test(code);
}

type Applied = { kind: 'applied' | 'refused'; error?: ErrorBody } | { kind: 'skipped' } | { kind: 'gap'; expected: number };

/** The client's progress row, created at its first push. */
async function ensureClient(ctx: ServerContext, auth: RequestAuth): Promise<number> {
  const read = () => ctx.db.select().from(syncClients).where(eq(syncClients.clientId, auth.clientId));
  let [row] = await read();
  if (!row) {
    await ctx.db.insert(syncClients)
      .values({ clientId: auth.clientId, tenantId: auth.user.tenantId, userId: auth.user.id, lastMutationId: 0, updatedAt: ctx.clock.now() })
      .onConflictDoNothing();
    [row] = await read();
  }
  if (!row || row.tenantId !== auth.user.tenantId || row.userId !== auth.user.id) throw new AppError(ErrorCode.FORBIDDEN, 'this client id belongs to another account');
  return row.lastMutationId;
}

/** A refusal as stored and synced back: AppErrors as they are; anything else as INTERNAL (logged, never leaked). */
function refusalOf(ctx: ServerContext, m: SyncMutation, err: unknown): ErrorBody {
  if (!(err instanceof AppError)) ctx.log.error({ err, mutation: m.name, mutationId: m.mutationId }, 'mutation failed unexpectedly; recorded as refused');
  return toErrorBody(err);
}

async function recordRefusal(tx: AppDb, mtx: PgMutationTx, env: MutatorEnv, m: SyncMutation, error: ErrorBody): Promise<void> {
  mtx.queue(tx.insert(mutationResults).values({ clientId: m.clientId, mutationId: m.mutationId, tenantId: env.actor.tenantId, name: m.name, error, createdAt: env.now }));
  // The refusal reaches the user on every device they use, through the notifications that replicate.
  await mtx.insert('notifications', {
    id: env.newId(), tenantId: env.actor.tenantId, userId: env.actor.userId, kind: 'mutation.refused',
    title: `Not applied: ${m.name}`.slice(0, 200), body: error.message.slice(0, 2000), entityType: null, entityId: null, readAt: null, createdAt: env.now,
  });
}

function parse(m: SyncMutation): { mutator: Mutator; args: unknown } {
  // Recorded under an older protocol: brought to the current form, or refused when older than the window.
  const current = upgradeForServer(m);
  const mutator = MUTATORS.get(current.name);
  if (!mutator) throw new AppError(ErrorCode.UNKNOWN_METHOD, `unknown mutation ${current.name}`);
  const parsed = mutator.args.safeParse(current.args);
  if (!parsed.success) throw AppError.fromZod(parsed.error, `${current.name} args`);
  return { mutator, args: parsed.data };
}

/** The mutation refused after it had written: its transaction is rolled back and the refusal recorded in a new one. */
class RefusedAfterWrites extends Error {
  constructor(readonly refusal: unknown, readonly conflicts: Conflict[]) {
    super('refused after writing');
  }
}

/**
 * Takes the tenant's next change version and reads the client's progress, in one round trip. `durable`: the
 * transaction commits synchronously and moves the durable version with it; otherwise it commits without waiting for
 * the disk (set_config is local to the transaction) and leaves the durable version, so the change stays out of pulls
 * and pokes until a later synchronous commit, which flushes it too (the log is written in order), moves it.
 */
const takeVersionStatement = (durable: boolean) => new PreparedStatement<{ version: number; last: number | null }>(durable ? 'push_take_version' : 'push_take_version_async', () => sql`
  WITH v AS (
    INSERT INTO ${tenantVersions} (tenant_id, version, durable) VALUES (${sql.placeholder('tenant')}, 1, ${durable ? 1 : 0})
    ON CONFLICT (tenant_id) DO UPDATE SET version = ${tenantVersions}.version + 1${durable ? sql`, durable = ${tenantVersions}.version + 1` : sql``} RETURNING version
  )
  SELECT v.version::float8 AS version, (SELECT last_mutation_id::float8 FROM ${syncClients} WHERE client_id = ${sql.placeholder('client')}) AS last${durable ? sql`` : sql`, set_config('synchronous_commit', 'off', true) AS async`} FROM v`);
const TAKE_VERSION = { durable: takeVersionStatement(true), async: takeVersionStatement(false) };

async function takeVersion(tx: AppDb, tenantId: string, clientId: string, durable: boolean): Promise<{ version: number; last: number }> {
  // The version is taken first (as nextVersion does): it serializes the tenant's writers, so the client's progress,
  // read in the same round trip, and every read after it are current.
  const [row] = await TAKE_VERSION[durable ? 'durable' : 'async'].rows(tx, { tenant: tenantId, client: clientId });
  return { version: Number(row!.version), last: Number(row!.last ?? 0) };
}

async function writeConflicts(mtx: PgMutationTx, env: MutatorEnv, conflicts: readonly Conflict[]): Promise<void> {
  for (const c of conflicts) {
    await mtx.insert('conflicts', c);
    for (const userId of new Set([c.clientUserId, c.serverUserId].filter((u): u is string => u !== null))) {
      await mtx.insert('notifications', {
        id: env.newId(), tenantId: env.actor.tenantId, userId, kind: 'conflict', title: `Conflicting change of ${c.entityType} ${c.field || 'record'}`.slice(0, 200),
        body: c.kind === 'deleted' ? 'The record was deleted while you edited it offline.' : `Kept the server's value; the offline change is in the conflict record.`,
        entityType: c.entityType, entityId: c.entityId, readAt: null, createdAt: env.now,
      });
    }
  }
}

/**
 * One mutation in one transaction: its effects, or its refusal, commit together with the client's new last id.
 * Mutators check before they write, so a refusal usually comes with nothing written and is recorded in the same
 * transaction; one that had written already is rolled back and recorded in a second transaction (no savepoint
 * round trips for every mutation).
 */
async function applyOne(ctx: ServerContext, auth: RequestAuth, m: SyncMutation, durable: boolean): Promise<Applied> {
  const env: MutatorEnv = { actor: auth.viewer, now: ctx.clock.now(), newId: () => ctx.newId() };
  const finish = async (tx: AppDb, mtx: PgMutationTx, refusal: unknown, conflicts: readonly Conflict[]): Promise<Applied> => {
    await writeConflicts(mtx, env, conflicts);
    let outcome: Applied = { kind: 'applied' };
    if (refusal !== null) {
      const error = refusalOf(ctx, m, refusal);
      await recordRefusal(tx, mtx, env, m, error);
      outcome = { kind: 'refused', error };
    }
    mtx.queue(tx.update(syncClients).set({ lastMutationId: m.mutationId, updatedAt: env.now }).where(eq(syncClients.clientId, m.clientId)));
    // The mutation's writes and the client's progress go out together.
    await mtx.flush();
    return outcome;
  };
  try {
    return await ctx.db.transaction(async (tx): Promise<Applied> => {
      const { version, last } = await takeVersion(tx, auth.user.tenantId, m.clientId, durable);
      if (m.mutationId <= last) return { kind: 'skipped' };
      if (m.mutationId !== last + 1) return { kind: 'gap', expected: last + 1 };
      const mtx = new PgMutationTx(tx, env, version);
      let deleted: Conflict[] = [];
      try {
        const { mutator, args } = parse(m);
        const merged = await mergeStep(tx, mtx, env, mutator, m, args);
        deleted = merged.conflicts.filter((c) => c.kind === 'deleted');
        if (merged.args !== null) await mutator.run(mtx, merged.args, env);
        return await finish(tx, mtx, null, merged.conflicts);
      } catch (err) {
        if (isTransient(err)) throw err;
        // A database error leaves the transaction unusable; writes already made must be undone.
        if (mtx.touched.size > 0 || !(err instanceof AppError)) throw new RefusedAfterWrites(err, deleted);
        // An edit of a record deleted on the server keeps its conflict record while it is refused.
        return finish(tx, mtx, err, err.code === ErrorCode.NOT_FOUND ? deleted : []);
      }
    });
  } catch (err) {
    if (!(err instanceof RefusedAfterWrites)) throw err;
    return ctx.db.transaction(async (tx): Promise<Applied> => {
      const { version, last } = await takeVersion(tx, auth.user.tenantId, m.clientId, durable);
      if (m.mutationId <= last) return { kind: 'skipped' };
      if (m.mutationId !== last + 1) return { kind: 'gap', expected: last + 1 };
      const refusal = err.refusal;
      return finish(tx, new PgMutationTx(tx, env, version), refusal, refusal instanceof AppError && refusal.code === ErrorCode.NOT_FOUND ? err.conflicts : []);
    });
  }
}

/**
 * Applies the mutations in order until the batch ends or a gap. All but the last commit without waiting for the disk;
 * the batch is answered only after a synchronous commit has flushed them all (the last mutation's, or a marker's when
 * the batch stopped early), so nothing acknowledged can be lost, and nothing is pulled before it is durable.
 */
export async function pushMutations(ctx: ServerContext, auth: RequestAuth, request: PushRequest): Promise<PushResponse> {
  requireCompatible(request);
  if (request.clientId !== auth.clientId) throw new AppError(ErrorCode.FORBIDDEN, 'the client id is not the signed-in device’s', [{ path: 'clientId', message: 'not this device' }]);
  const foreign = request.mutations.findIndex((m) => m.clientId !== request.clientId);
  if (foreign >= 0) throw new AppError(ErrorCode.FORBIDDEN, 'every mutation must carry the pushing client’s id', [{ path: `mutations.${foreign}.clientId`, message: 'not this device' }]);
  let last = await ensureClient(ctx, auth);
  const outcomes: MutationOutcome[] = [];
  let gap: PushResponse['gap'];
  let unflushed = false;
  try {
    for (const [i, m] of request.mutations.entries()) {
      // Already applied (a retried or duplicated delivery): answered without a transaction. The delivery that applied
      // it may have stopped before its batch was flushed (a server killed mid-batch): the answer waits for a flush.
      if (m.mutationId <= last) {
        outcomes.push({ mutationId: m.mutationId, status: 'skipped' });
        unflushed = true;
        continue;
      }
      const durable = i === request.mutations.length - 1;
      unflushed = true;
      const applied = await applyOne(ctx, auth, m, durable);
      unflushed = !durable;
      // Gaps and skips are judged on the progress read in the mutation's transaction: another delivery may have moved it.
      if (applied.kind === 'gap') {
        gap = { expected: applied.expected, got: m.mutationId };
        last = applied.expected - 1;
        break;
      }
      if (applied.kind === 'skipped') {
        outcomes.push({ mutationId: m.mutationId, status: 'skipped' });
        last = Math.max(last, m.mutationId);
        continue;
      }
      last = m.mutationId;
      outcomes.push({ mutationId: m.mutationId, status: applied.kind, ...(applied.error ? { error: applied.error } : {}) });
    }
  } finally {
    // Stopped before the last mutation (a gap, or an error): the changes committed so far are flushed before any
    // answer, even an error's (a retry would find them applied and skip them).
    if (unflushed) await markDurable(ctx.db, auth.user.tenantId);
  }
  // Every synchronous commit poked the tenant's desktops already (the trigger on tenant_versions).
  return { lastMutationId: last, outcomes, ...(gap ? { gap } : {}) };
}
