// HTTP routes of authentication: sign-in, refresh, sign-out and the signed-in user (`/me`).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { RefreshRequest, SignInRequest, SignOutRequest } from '../../src-shared/http/auth.http';
import type { MeResponse, SessionResponse } from '../../src-shared/http/auth.http';
import type { AreaOptions } from '../app/server-areas';
import { parseInput } from '../http/parse-input';
import { toTenant, toUser } from '../accounts/accounts.repo';
import { authOf, requireAuth } from './authenticate';
import { refresh, signIn, signOut } from './sessions.service';

/** Password guessing is slowed per address and email; the limiter's memory is bounded (LRU). */
const SIGN_IN_LIMIT = { max: 10, timeWindow: '1 minute' } as const;
const REFRESH_LIMIT = { max: 60, timeWindow: '1 minute' } as const;

const emailOf = (request: FastifyRequest) => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
};

export const authRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  // preHandler, so the sign-in key can include the posted email.
  await app.register(rateLimit, { global: false, hook: 'preHandler', cache: 10_000 });
  const authenticated = requireAuth(ctx);

  app.post('/auth/sign-in', { config: { rateLimit: { ...SIGN_IN_LIMIT, keyGenerator: (r: FastifyRequest) => `${r.ip}|${emailOf(r)}` } } }, async (request): Promise<SessionResponse> =>
    signIn(ctx, parseInput(SignInRequest, request.body, 'body')),
  );

  app.post('/auth/refresh', { config: { rateLimit: REFRESH_LIMIT } }, async (request): Promise<SessionResponse> =>
    refresh(ctx, parseInput(RefreshRequest, request.body, 'body').refreshToken),
  );

  app.post('/auth/sign-out', { onRequest: authenticated }, async (request, reply) => {
    await signOut(ctx, authOf(request), parseInput(SignOutRequest, request.body ?? {}, 'body'));
    return reply.status(204).send();
  });

  app.get('/me', { onRequest: authenticated }, async (request): Promise<MeResponse> => {
    const auth = authOf(request);
    return {
      user: toUser(auth.user),
      tenant: toTenant(auth.tenant),
      role: { name: auth.user.role, permissions: auth.viewer.permissions.slice(), approvalLimitMinor: auth.role?.approvalLimitMinor ?? null },
      managedTeamIds: auth.viewer.managedTeamIds.slice(),
      clientId: auth.clientId,
    };
  });
};
