// How errors travel over HTTP: the `{ error }` envelope and the status each error code is sent with.
import { z } from 'zod';
import { ErrorBody, ErrorCode } from '../api/errors';

export const ErrorResponse = z.object({ error: ErrorBody });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  CONFLICT: 409,
  STALE_APPROVAL: 409,
  READ_ONLY: 409,
  PAYLOAD_TOO_LARGE: 413,
  // Business-rule refusals: the request was well formed, the domain said no.
  INVALID_TRANSITION: 422,
  MISSING_FIELDS: 422,
  REASON_REQUIRED: 422,
  APPROVAL_REQUIRED: 422,
  QUALIFICATION_FAILED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** The error code a client should assume for a status when the body carries none (e.g. a proxy's answer). */
export function errorCodeOfStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 409) return ErrorCode.CONFLICT;
  if (status === 413) return ErrorCode.PAYLOAD_TOO_LARGE;
  if (status === 429) return ErrorCode.RATE_LIMITED;
  if (status >= 400 && status < 500) return ErrorCode.VALIDATION;
  return ErrorCode.INTERNAL;
}
