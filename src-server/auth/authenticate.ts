// Bearer-token authentication for API areas: verifies the JWT, then loads who the caller is now.
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { ServerContext } from '../app/server-context';
import { loadSignedInState } from '../accounts/accounts.repo';
import type { SignedInState } from '../accounts/accounts.repo';
import { verifyAccessToken } from './tokens';
import type { AccessClaims } from './tokens';

export interface RequestAuth extends SignedInState {
  sessionId: string;
  clientId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireAuth` on every request of an authenticated area. */
    auth: RequestAuth | null;
    /** Set by `requireToken`. */
    claims: AccessClaims | null;
  }
}

const unauthenticated = (message: string) => new AppError(ErrorCode.UNAUTHENTICATED, message);

/** The verified claims of the request's bearer token; 401 without a valid, unexpired one. */
async function bearerClaims(ctx: ServerContext, request: FastifyRequest): Promise<AccessClaims> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]{1,4096})$/.exec(header.trim()) : null;
  if (!match) throw unauthenticated('sign in first: missing bearer access token');
  const claims = await verifyAccessToken(ctx.signingKey, match[1]!, ctx.clock.now());
  if (!claims) throw unauthenticated('access token invalid or expired; refresh it or sign in again');
  return claims;
}

/** The refusal of a token whose session, device or user is gone. */
export const sessionEnded = () => unauthenticated('session ended; sign in again');

/** An onRequest hook: refuses with 401 unless the request carries a valid, still-live access token. */
export function requireAuth(ctx: ServerContext): onRequestAsyncHookHandler {
  return async (request) => {
    const claims = await bearerClaims(ctx, request);
    const state = await loadSignedInState(ctx.db, claims);
    if (!state) throw sessionEnded();
    request.auth = { ...state, sessionId: claims.sessionId, clientId: claims.clientId };
  };
}

/**
 * An onRequest hook that checks the token alone: the route loads who the caller is now itself (pulls do, for many
 * callers in one round trip) and must refuse with sessionEnded() when they are gone.
 */
export function requireToken(ctx: ServerContext): onRequestAsyncHookHandler {
  return async (request) => {
    request.claims = await bearerClaims(ctx, request);
  };
}

/** The token claims of a route behind requireToken. */
export function claimsOf(request: FastifyRequest): AccessClaims {
  if (!request.claims) throw unauthenticated('sign in first');
  return request.claims;
}

/** The caller of an authenticated route. */
export function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw unauthenticated('sign in first');
  return request.auth;
}
