// Access tokens (short-lived JWTs, HS256 via jose) and refresh tokens (random, stored only as SHA-256 hashes).
import { SignJWT, jwtVerify } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { ACCESS_TOKEN_TTL_MS } from '../../src-shared/http/auth.http';

const ISSUER = 'fieldcrm';
const AUDIENCE = 'fieldcrm-api';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  /** The sign-in session (refresh token family). */
  sessionId: string;
  clientId: string;
}

export async function signAccessToken(key: Uint8Array, claims: AccessClaims, now: number): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + Math.floor(ACCESS_TOKEN_TTL_MS / 1000);
  const token = await new SignJWT({ tid: claims.tenantId, sid: claims.sessionId, cid: claims.clientId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: exp * 1000 };
}

/** The claims of a valid token, or null for anything forged, expired (by the server's clock) or malformed. */
export async function verifyAccessToken(key: Uint8Array, token: string, now: number): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: new Date(now) });
    const { sub, tid, sid, cid } = payload;
    if (typeof sub !== 'string' || typeof tid !== 'string' || typeof sid !== 'string' || typeof cid !== 'string') return null;
    return { userId: sub, tenantId: tid, sessionId: sid, clientId: cid };
  } catch {
    return null;
  }
}

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}
