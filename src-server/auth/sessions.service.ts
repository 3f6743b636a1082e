// Sign-in, refresh-token rotation with reuse detection, and sign-out.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { REFRESH_TOKEN_TTL_MS } from '../../src-shared/http/auth.http';
import type { SessionResponse, SignInRequest, SignOutRequest } from '../../src-shared/http/auth.http';
import type { ServerContext } from '../app/server-context';
import type { AppDb } from '../db/database';
import { tenants, users } from '../db/schema/accounts.table';
import { authSessions, devices, refreshTokens, userCredentials } from '../db/schema/auth.table';
import { toTenant, toUser } from '../accounts/accounts.repo';
import type { TenantRow, UserRow } from '../accounts/accounts.repo';
import { spendVerification, verifyPassword } from './passwords';
import { hashRefreshToken, newRefreshToken, signAccessToken } from './tokens';
import type { RequestAuth } from './authenticate';

const WRONG_CREDENTIALS = 'wrong email or password';
const DEFAULT_DEVICE_NAME = 'Desktop';

export async function signIn(ctx: ServerContext, input: SignInRequest): Promise<SessionResponse> {
  const candidates = await ctx.db
    .select({ user: users, tenant: tenants, hash: userCredentials.passwordHash })
    .from(users)
    .innerJoin(userCredentials, eq(userCredentials.userId, users.id))
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(and(sql`lower(${users.email}) = ${input.email}`, eq(users.active, true), input.tenant === undefined ? undefined : eq(tenants.slug, input.tenant)))
    .limit(20);
  if (candidates.length === 0) {
    await spendVerification(input.password);
    throw new AppError(ErrorCode.UNAUTHENTICATED, WRONG_CREDENTIALS);
  }
  const verified = await Promise.all(candidates.map((c) => verifyPassword(c.hash, input.password)));
  const matches = candidates.filter((_, i) => verified[i]);
  if (matches.length === 0) throw new AppError(ErrorCode.UNAUTHENTICATED, WRONG_CREDENTIALS);
  if (matches.length > 1) {
    // Only someone holding the password learns that it opens several organisations.
    const slugs = matches.map((m) => m.tenant.slug).sort();
    throw new AppError(ErrorCode.VALIDATION, `this email and password open several organisations (${slugs.join(', ')}); name one in "tenant"`, [
      { path: 'tenant', message: `required: one of ${slugs.join(', ')}` },
    ]);
  }
  const { user, tenant } = matches[0]!;
  const now = ctx.clock.now();
  const issued = await ctx.db.transaction(async (tx) => {
    const deviceId = await registerDevice(tx, ctx, user, input.clientId, input.deviceName, now);
    const sessionId = ctx.newId();
    await tx.insert(authSessions).values({ id: sessionId, tenantId: user.tenantId, userId: user.id, deviceId, createdAt: now });
    const refresh = await insertRefreshToken(tx, ctx, user.tenantId, sessionId, now);
    return { deviceId, sessionId, refresh };
  });
  ctx.log.info({ userId: user.id, tenantId: user.tenantId, clientId: issued.deviceId }, 'signed in');
  return sessionResponse(ctx, user, tenant, issued.sessionId, issued.deviceId, issued.refresh, now);
}

/** Registers the desktop install, or re-uses its earlier registration when it is this user's and not revoked. */
async function registerDevice(tx: AppDb, ctx: ServerContext, user: UserRow, clientId: string | undefined, name: string | undefined, now: number): Promise<string> {
  const id = clientId ?? ctx.newId();
  await tx.insert(devices).values({ id, tenantId: user.tenantId, userId: user.id, name: name ?? DEFAULT_DEVICE_NAME, createdAt: now, lastSeenAt: now }).onConflictDoNothing();
  const [device] = await tx.select().from(devices).where(eq(devices.id, id));
  if (!device || device.userId !== user.id) {
    throw new AppError(ErrorCode.CONFLICT, 'this client id is registered to another account; sign in without a client id to register this install again', [
      { path: 'clientId', message: 'registered to another account' },
    ]);
  }
  if (device.revokedAt !== null) {
    throw new AppError(ErrorCode.FORBIDDEN, 'this device was revoked; sign in without a client id to register this install again', [
      { path: 'clientId', message: 'revoked' },
    ]);
  }
  await tx.update(devices).set({ lastSeenAt: now, ...(name === undefined ? {} : { name }) }).where(eq(devices.id, id));
  return id;
}

async function insertRefreshToken(tx: AppDb, ctx: ServerContext, tenantId: string, sessionId: string, now: number) {
  const { token, hash } = newRefreshToken();
  const expiresAt = now + REFRESH_TOKEN_TTL_MS;
  await tx.insert(refreshTokens).values({ id: ctx.newId(), tenantId, sessionId, tokenHash: hash, createdAt: now, expiresAt });
  return { token, expiresAt };
}

async function sessionResponse(ctx: ServerContext, user: UserRow, tenant: TenantRow, sessionId: string, clientId: string, refresh: { token: string; expiresAt: number }, now: number): Promise<SessionResponse> {
  const access = await signAccessToken(ctx.signingKey, { userId: user.id, tenantId: user.tenantId, sessionId, clientId }, now);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt,
    user: toUser(user),
    tenant: toTenant(tenant),
    clientId,
  };
}

const REFRESH_REFUSED = 'refresh token invalid, expired or revoked; sign in again';

type RefreshOutcome =
  | { kind: 'refused' }
  | { kind: 'reused'; sessionId: string; userId: string }
  | { kind: 'rotated'; user: UserRow; tenant: TenantRow; sessionId: string; clientId: string; refresh: { token: string; expiresAt: number } };

/**
 * Exchanges a refresh token for a new pair. Each token works once: presenting a spent one means it was copied, so
 * the whole session (every token rotated from the same sign-in) is revoked. The token row is locked, so two
 * concurrent uses of one token are a reuse too.
 */
export async function refresh(ctx: ServerContext, refreshToken: string): Promise<SessionResponse> {
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction(async (tx): Promise<RefreshOutcome> => {
    const [row] = await tx
      .select({ token: refreshTokens, session: authSessions })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.tokenHash, hashRefreshToken(refreshToken)))
      .for('update', { of: refreshTokens });
    if (!row || row.session.revokedAt !== null) return { kind: 'refused' };
    if (row.token.usedAt !== null) {
      await revokeSessions(tx, eq(authSessions.id, row.session.id), 'reuse', now);
      return { kind: 'reused', sessionId: row.session.id, userId: row.session.userId };
    }
    if (row.token.expiresAt <= now) return { kind: 'refused' };
    const [live] = await tx
      .select({ user: users, tenant: tenants })
      .from(users)
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .innerJoin(devices, and(eq(devices.id, row.session.deviceId), isNull(devices.revokedAt)))
      .where(and(eq(users.id, row.session.userId), eq(users.active, true)));
    if (!live) return { kind: 'refused' };
    await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.id, row.token.id));
    await tx.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, row.session.deviceId));
    const next = await insertRefreshToken(tx, ctx, row.session.tenantId, row.session.id, now);
    return { kind: 'rotated', user: live.user, tenant: live.tenant, sessionId: row.session.id, clientId: row.session.deviceId, refresh: next };
  });
  if (outcome.kind === 'reused') ctx.log.warn({ sessionId: outcome.sessionId, userId: outcome.userId }, 'refresh token reused: session revoked');
  if (outcome.kind !== 'rotated') throw new AppError(ErrorCode.UNAUTHENTICATED, REFRESH_REFUSED);
  return sessionResponse(ctx, outcome.user, outcome.tenant, outcome.sessionId, outcome.clientId, outcome.refresh, now);
}

async function revokeSessions(tx: AppDb, which: ReturnType<typeof eq>, reason: 'signOut' | 'reuse' | 'device', now: number): Promise<void> {
  await tx.update(authSessions).set({ revokedAt: now, revokedReason: reason }).where(and(which, isNull(authSessions.revokedAt)));
}

/** Ends the caller's session (every refresh token of it) and, when asked, retires their device. */
export async function signOut(ctx: ServerContext, auth: RequestAuth, input: SignOutRequest): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await revokeSessions(tx, eq(authSessions.id, auth.sessionId), 'signOut', now);
    if (input.revokeDevice) {
      await tx.update(devices).set({ revokedAt: now }).where(and(eq(devices.id, auth.clientId), isNull(devices.revokedAt)));
      await revokeSessions(tx, eq(authSessions.deviceId, auth.clientId), 'device', now);
    }
  });
  ctx.log.info({ userId: auth.user.id, clientId: auth.clientId, revokeDevice: input.revokeDevice }, 'signed out');
}
