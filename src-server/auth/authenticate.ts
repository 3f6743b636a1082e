// Bearer-token authentication for API areas: verifies the JWT, then loads who the caller is now.
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { ServerContext } from '../app/server-context';
import { loadSignedInState } from '../accounts/accounts.repo';
import type { SignedInState } from '../accounts/accounts.repo';
import { verifyAccessToken } from './tokens';

export interface RequestAuth extends SignedInState {
  sessionId: string;
  clientId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireAuth` on every request of an authenticated area. */
    auth: RequestAuth | null;
  }
}

const unauthenticated = (message: string) => new AppError(ErrorCode.UNAUTHENTICATED, message);

/** An onRequest hook: refuses with 401 unless the request carries a valid, still-live access token. */
export function requireAuth(ctx: ServerContext): onRequestAsyncHookHandler {
  return async (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]{1,4096})$/.exec(header.trim()) : null;
    if (!match) throw unauthenticated('sign in first: missing bearer access token');
    const claims = await verifyAccessToken(ctx.signingKey, match[1]!, ctx.clock.now());
    if (!claims) throw unauthenticated('access token invalid or expired; refresh it or sign in again');
    const state = await loadSignedInState(ctx.db, claims);
    if (!state) throw unauthenticated('session ended; sign in again');
    request.auth = { ...state, sessionId: claims.sessionId, clientId: claims.clientId };
  };
}

/** The caller of an authenticated route. */
export function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw unauthenticated('sign in first');
  return request.auth;
}
