// Signs in to a tenant server over HTTP (`POST /api/v1/auth/sign-in`), turning every failure into an AppError.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { SessionResponse } from '../../src-shared/http/auth.http';
import type { SignInRequest } from '../../src-shared/http/auth.http';
import { ErrorResponse } from '../../src-shared/http/errors.http';

export const SIGN_IN_PATH = '/api/v1/auth/sign-in';
const TIMEOUT_MS = 15_000;

/** The server's origin (`http://host:port`), the form profiles are matched by. */
export function serverOrigin(url: string): string {
  return new URL(url).origin;
}

export async function signInToServer(serverUrl: string, request: SignInRequest, fetchFn: typeof fetch = fetch): Promise<SessionResponse> {
  const url = new URL(SIGN_IN_PATH, serverOrigin(serverUrl));
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    // Named as a field problem, so the sign-in form can show it next to the address.
    throw new AppError(ErrorCode.VALIDATION, `cannot reach the server at ${url.origin}: ${reason}`, [{ path: 'serverUrl', message: `cannot reach the server: ${reason}` }]);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const session = SessionResponse.safeParse(body);
    if (session.success) return session.data;
    throw new AppError(ErrorCode.VALIDATION, `${url.origin} did not answer like a FieldCRM server`, [{ path: 'serverUrl', message: 'not a FieldCRM server' }]);
  }
  const error = ErrorResponse.safeParse(body);
  if (error.success) {
    const e = error.data.error;
    throw new AppError(e.code, e.message, e.fields, e.details);
  }
  throw new AppError(ErrorCode.VALIDATION, `${url.origin} answered ${response.status} to sign-in; is it a FieldCRM server?`, [{ path: 'serverUrl', message: `answered ${response.status}` }]);
}
