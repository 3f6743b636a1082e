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
import { nextVersion } from '../db/tenant-version';
import { publishHubEvent } from '../notifications/notification-hub';
import { mergeStep } from './merge-step';
import { PgMutationTx } from './pg-mutation-tx';
import { requireCompatible } from './sync-versions';

/** PostgreSQL error classes that mean "try again", not "this mutation is wrong": never recorded as a refusal. */
const TRANSIENT_SQLSTATE = /^(08|40|53|57)/;

function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SQLSTATE.test(code);
}

type Applied = { kind: 'applied' | 'refused'; version: number; error?: ErrorBody } | { kind: 'skipped' } | { kind: 'gap'; expected: number };

/** The client's progress row, created at its first push. */
async function ensureClient(ctx: ServerContext, auth: RequestAuth): Promise<number> {
  await ctx.db.insert(syncClients)
    .values({ clientId: auth.clientId, tenantId: auth.user.tenantId, userId: auth.user.id, lastMutationId: 0, updatedAt: ctx.clock.now() })
    .onConflictDoNothing();
  const [row] = await ctx.db.select().from(syncClients).where(eq(syncClients.clientId, auth.clientId));
  if (!row || row.tenantId !== auth.user.tenantId || row.userId !== auth.user.id) throw new AppError(ErrorCode.FORBIDDEN, 'this client id belongs to another account');
  return row.lastMutationId;
}

/** A refusal as stored and synced back: AppErrors as they are; anything else as INTERNAL (logged, never leaked). */
function refusalOf(ctx: ServerContext, m: SyncMutation, err: unknown): ErrorBody {
  if (!(err instanceof AppError)) ctx.log.error({ err, mutation: m.name, mutationId: m.mutationId }, 'mutation failed unexpectedly; recorded as refused');
  return toErrorBody(err);
}

async function recordRefusal(tx: AppDb, mtx: PgMutationTx, env: MutatorEnv, m: SyncMutation, error: ErrorBody): Promise<void> {
  await tx.insert(mutationResults).values({ clientId: m.clientId, mutationId: m.mutationId, tenantId: env.actor.tenantId, name: m.name, error, createdAt: env.now });
  // The refusal reaches the user on every device they use, through the notifications that replicate.
  await mtx.insert('notifications', {
    id: env.newId(), tenantId: env.actor.tenantId, userId: env.actor.userId, kind: 'mutation.refused',
    title: `Not applied: ${m.name}`.slice(0, 200), body: error.message.slice(0, 2000), entityType: null, entityId: null, readAt: null, createdAt: env.now,
  });
}

function parse(m: SyncMutation): { mutator: Mutator; args: unknown } {
  const mutator = MUTATORS.get(m.name);
  if (!mutator) throw new AppError(ErrorCode.UNKNOWN_METHOD, `unknown mutation ${m.name}`);
  const parsed = mutator.args.safeParse(m.args);
  if (!parsed.success) throw AppError.fromZod(parsed.error, `${m.name} args`);
  return { mutator, args: parsed.data };
}

/** One mutation in one transaction: its effects (or its refusal) and the client's new last id commit together. */
async function applyOne(ctx: ServerContext, auth: RequestAuth, m: SyncMutation): Promise<Applied> {
  return ctx.db.transaction(async (tx): Promise<Applied> => {
    // Taken first: it serializes the tenant's writers, so the progress check and every read below are current.
    const version = await nextVersion(tx, auth.user.tenantId);
    const [client] = await tx.select({ last: syncClients.lastMutationId }).from(syncClients).where(eq(syncClients.clientId, m.clientId)).for('update');
    const last = client?.last ?? 0;
    if (m.mutationId <= last) return { kind: 'skipped' };
    if (m.mutationId !== last + 1) return { kind: 'gap', expected: last + 1 };
    const env: MutatorEnv = { actor: auth.viewer, now: ctx.clock.now(), newId: () => ctx.newId() };
    const mtx = new PgMutationTx(tx, env, version);
    let outcome: Applied;
    try {
      // A savepoint: a refusal undoes the mutation's writes but keeps the transaction for the result.
      await tx.transaction(async (sp) => {
        const spx = new PgMutationTx(sp, env, version);
        const { mutator, args } = parse(m);
        const merged = await mergeStep(sp, spx, env, mutator, m, args);
        const deleted = merged.conflicts.filter((c) => c.kind === 'deleted');
        try {
          if (merged.args !== null) await mutator.run(spx, merged.args, env);
        } catch (err) {
          // The record was deleted on the server: keep the conflict record while the mutation is refused.
          if (deleted.length > 0 && err instanceof AppError && err.code === ErrorCode.NOT_FOUND) throw new DeletedConflict(err, deleted);
          throw err;
        }
        for (const c of merged.conflicts) await spx.insert('conflicts', c);
        for (const c of merged.conflicts) {
          for (const userId of new Set([c.clientUserId, c.serverUserId].filter((u): u is string => u !== null))) {
            await spx.insert('notifications', {
              id: env.newId(), tenantId: env.actor.tenantId, userId, kind: 'conflict', title: `Conflicting change of ${c.entityType} ${c.field}`.slice(0, 200),
              body: `Kept the server's value; the offline change is in the conflict record.`, entityType: c.entityType, entityId: c.entityId, readAt: null, createdAt: env.now,
            });
          }
        }
      });
      outcome = { kind: 'applied', version };
    } catch (err) {
      if (isTransient(err)) throw err;
      if (err instanceof DeletedConflict) {
        for (const c of err.conflicts) await mtx.insert('conflicts', c);
      }
      const error = refusalOf(ctx, m, err instanceof DeletedConflict ? err.cause : err);
      await recordRefusal(tx, mtx, env, m, error);
      outcome = { kind: 'refused', version, error };
    }
    await tx.update(syncClients).set({ lastMutationId: m.mutationId, updatedAt: env.now }).where(eq(syncClients.clientId, m.clientId));
    return outcome;
  });
}

class DeletedConflict extends Error {
  constructor(override readonly cause: AppError, readonly conflicts: Conflict[]) {
    super(cause.message);
  }
}

/** Applies the mutations in order until the batch ends or a gap; then pokes the tenant's connected clients. */
export async function pushMutations(ctx: ServerContext, auth: RequestAuth, request: PushRequest): Promise<PushResponse> {
  requireCompatible(request);
  if (request.clientId !== auth.clientId) throw new AppError(ErrorCode.FORBIDDEN, 'the client id is not the signed-in device’s', [{ path: 'clientId', message: 'not this device' }]);
  const foreign = request.mutations.findIndex((m) => m.clientId !== request.clientId);
  if (foreign >= 0) throw new AppError(ErrorCode.FORBIDDEN, 'every mutation must carry the pushing client’s id', [{ path: `mutations.${foreign}.clientId`, message: 'not this device' }]);
  let last = await ensureClient(ctx, auth);
  const outcomes: MutationOutcome[] = [];
  let gap: PushResponse['gap'];
  let version = 0;
  for (const m of request.mutations) {
    // Already applied (a retried or duplicated delivery): answered without a transaction.
    if (m.mutationId <= last) {
      outcomes.push({ mutationId: m.mutationId, status: 'skipped' });
      continue;
    }
    const applied = await applyOne(ctx, auth, m);
    if (applied.kind === 'gap') {
      gap = { expected: applied.expected, got: m.mutationId };
      break;
    }
    if (applied.kind === 'skipped') {
      outcomes.push({ mutationId: m.mutationId, status: 'skipped' });
      continue;
    }
    last = m.mutationId;
    version = Math.max(version, applied.version);
    outcomes.push({ mutationId: m.mutationId, status: applied.kind, ...(applied.error ? { error: applied.error } : {}) });
  }
  if (version > 0) {
    await publishHubEvent(ctx.db, { type: 'poke', tenantId: auth.user.tenantId, version }).catch((err: unknown) => ctx.log.warn({ err }, 'could not poke after a push'));
  }
  const [row] = await ctx.db.select({ last: syncClients.lastMutationId }).from(syncClients).where(eq(syncClients.clientId, auth.clientId));
  return { lastMutationId: row?.last ?? last, outcomes, ...(gap ? { gap } : {}) };
}

/** Drops acknowledged refusals of a client (they have been rolled back and shown on its replica). */
export async function forgetResults(db: AppDb, clientId: string, through: number): Promise<void> {
  if (through <= 0) return;
  await db.delete(mutationResults).where(sql`${mutationResults.clientId} = ${clientId} AND ${mutationResults.mutationId} <= ${through}`);
}
