// A signed-in session for sync: hands out the access token and rotates it with the refresh token when it expires.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { SessionResponse } from '../../src-shared/http/auth.http';
import type { SyncAuth } from './sync-transport';

export interface TokenSessionOptions {
  baseUrl: string;
  session: SessionResponse;
  clock?: () => number;
  /** Called with each rotated session, so the shell can store the new refresh token (it works only once). */
  onRotated?: (session: SessionResponse) => void;
  fetch?: typeof fetch;
}

/** Refresh this long before the access token expires, so a request in flight does not meet the expiry. */
const EARLY_MS = 60_000;

export function createTokenSession(o: TokenSessionOptions): SyncAuth & { readonly session: SessionResponse } {
  const clock = o.clock ?? Date.now;
  const doFetch = o.fetch ?? fetch;
  let current = o.session;
  let refreshing: Promise<string> | null = null;

  async function rotate(): Promise<string> {
    const res = await doFetch(new URL('/api/v1/auth/refresh', o.baseUrl), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
    if (!res.ok) throw new AppError(ErrorCode.UNAUTHENTICATED, 'the session ended; sign in again (offline changes are kept)');
    current = SessionResponse.parse(await res.json());
    o.onRotated?.(current);
    return current.accessToken;
  }

  // One rotation at a time: a refresh token works once, so two concurrent refreshes would end the session.
  const refresh = () => (refreshing ??= rotate().finally(() => (refreshing = null)));

  return {
    get clientId() {
      return current.clientId;
    },
    get session() {
      return current;
    },
    accessToken: async () => (current.accessTokenExpiresAt - clock() > EARLY_MS ? current.accessToken : refresh()),
    refresh,
  };
}
