// Admin routes of users: create with an initial password, change role, team, manager, capacity and territory, deactivate, reset password.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { FieldProblem } from '../../src-shared/domain/result';
import type { Viewer } from '../../src-shared/domain/visibility';
import { PasswordReset, UserCreate, UserPatch } from '../../src-shared/http/admin.http';
import type { ItemList, UserRecord } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { hashPassword } from '../auth/passwords';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { users } from '../db/schema/accounts.table';
import { authSessions, userCredentials } from '../db/schema/auth.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { checkExpected, conflict, notFound, refuseFields, requirePermission } from './admin-checks';
import { activeUserProblems, countWhere, refsOf, teamProblems } from './tenant-refs';

type UserRow = typeof users.$inferSelect;

const EDITABLE = ['email', 'name', 'role', 'teamId', 'managerId', 'capacity', 'territory', 'active'] as const;
const snapshot = ({ version: _v, tenantId: _t, ...user }: UserRow) => user;

async function userOf(db: AppDb, tenantId: string, id: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(and(eq(users.id, id), eq(users.tenantId, tenantId)));
  if (!row) throw notFound('user');
  return row;
}

/** Emails are unique per tenant, ignoring case (sign-in looks them up that way). */
async function checkEmailFree(w: AdminTx, email: string, exceptId: string | null): Promise<void> {
  const [taken] = await w.tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, w.tenantId), sql`lower(${users.email}) = ${email.toLowerCase()}`, exceptId === null ? undefined : ne(users.id, exceptId)));
  if (taken) throw new AppError(ErrorCode.CONFLICT, `a user with the email ${email} already exists`, [{ path: 'email', message: 'already taken' }]);
}

/** The team must be the tenant's; the manager an active user of it, and not someone the user (indirectly) manages. */
async function placementProblems(w: AdminTx, userId: string, teamId: string | null | undefined, managerId: string | null | undefined): Promise<FieldProblem[]> {
  const problems = [
    ...(await teamProblems(w.tx, w.tenantId, refsOf([['teamId', teamId]]))),
    ...(await activeUserProblems(w.tx, w.tenantId, refsOf([['managerId', managerId]]))),
  ];
  if (typeof managerId === 'string' && problems.length === 0) {
    const managerOf = new Map((await w.tx.select({ id: users.id, managerId: users.managerId }).from(users).where(eq(users.tenantId, w.tenantId))).map((u) => [u.id, u.managerId]));
    const seen = new Set<string>();
    for (let m: string | null | undefined = managerId; m && !seen.has(m); m = managerOf.get(m)) {
      if (m === userId) {
        problems.push({ path: 'managerId', message: m === managerId ? 'a user cannot manage themself' : 'would make a management cycle' });
        break;
      }
      seen.add(m);
    }
  }
  return problems;
}

/** Ends every session of the user (but the caller's own): their tokens stop working at the next request. */
async function endSessions(w: AdminTx, userId: string, reason: string, keepSessionId: string): Promise<void> {
  await w.tx
    .update(authSessions)
    .set({ revokedAt: w.now, revokedReason: reason })
    .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), ne(authSessions.id, keepSessionId)));
}

export const userAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const manager = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'users.manage');
    return viewer;
  };

  app.get('/users', async (request): Promise<ItemList<UserRecord>> => {
    const viewer = manager(request);
    return { items: await ctx.db.select().from(users).where(eq(users.tenantId, viewer.tenantId)).orderBy(asc(users.name), asc(users.id)) };
  });

  app.get('/users/:id', async (request): Promise<UserRecord> => userOf(ctx.db, manager(request).tenantId, parseInput(IdParams, request.params, 'params').id));

  app.post('/users', async (request, reply): Promise<UserRecord> => {
    const viewer = manager(request);
    const { password, ...input } = parseInput(UserCreate, request.body, 'body');
    // Hashing takes tens of milliseconds: done before the transaction, not while it holds the tenant's lock.
    const passwordHash = await hashPassword(password);
    const created = await adminWrite(ctx, viewer, async (w) => {
      const id = ctx.newId();
      refuseFields(await placementProblems(w, id, input.teamId, input.managerId));
      await checkEmailFree(w, input.email, null);
      const [row] = await w.tx.insert(users).values({ ...input, id, tenantId: w.tenantId, active: true, createdAt: w.now, version: w.version }).returning();
      await w.tx.insert(userCredentials).values({ userId: id, tenantId: w.tenantId, passwordHash, updatedAt: w.now });
      await w.audit({ entityType: 'user', entityId: id, action: 'create', before: null, after: snapshot(row!) });
      return row!;
    });
    reply.code(201);
    return created;
  });

  app.patch('/users/:id', async (request): Promise<UserRecord> => {
    const viewer = manager(request);
    const { sessionId } = authOf(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion, ...changes } = parseInput(UserPatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await userOf(w.tx, w.tenantId, id);
      checkExpected('user', 'expectedVersion', expectedVersion, row.version);
      refuseFields(await placementProblems(w, id, changes.teamId, changes.managerId));
      if (changes.email !== undefined) await checkEmailFree(w, changes.email, id);
      const after = { ...row, ...changes };
      if (id === viewer.userId && !after.active) throw conflict('you cannot deactivate your own account');
      if (row.active && row.role === 'admin' && (!after.active || after.role !== 'admin')) {
        const otherAdmins = await countWhere(w.tx, users, and(eq(users.tenantId, w.tenantId), eq(users.role, 'admin'), eq(users.active, true), ne(users.id, id)));
        if (otherAdmins === 0) throw conflict('this is the last active admin; make someone else admin first');
      }
      const [updated] = await w.tx.update(users).set({ ...changes, version: w.version }).where(eq(users.id, id)).returning();
      if (row.active && !updated!.active) await endSessions(w, id, 'deactivated', sessionId);
      await w.audit({ entityType: 'user', entityId: id, action: 'update', ...changedFields(row, updated!, EDITABLE) });
      return updated!;
    });
  });

  // Sets a new password and ends the user's other sessions; they sign in again with it.
  app.post('/users/:id/password', async (request, reply) => {
    const viewer = manager(request);
    const { sessionId } = authOf(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { password } = parseInput(PasswordReset, request.body, 'body');
    const passwordHash = await hashPassword(password);
    await adminWrite(ctx, viewer, async (w) => {
      await userOf(w.tx, w.tenantId, id);
      await w.tx
        .insert(userCredentials)
        .values({ userId: id, tenantId: w.tenantId, passwordHash, updatedAt: w.now })
        .onConflictDoUpdate({ target: userCredentials.userId, set: { passwordHash, updatedAt: w.now } });
      await endSessions(w, id, 'passwordReset', sessionId);
      await w.audit({ entityType: 'user', entityId: id, action: 'update', before: null, after: { passwordReset: true } });
    });
    reply.code(204);
  });
};
