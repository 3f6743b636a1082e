// The public lead-capture webhook's contract: URL, headers, the fields a post may carry and the answers it gets.
import { z } from 'zod';
import { Id } from '../domain/common.schema';

/**
 * `POST /api/v1/capture/:formKey` takes `application/x-www-form-urlencoded` (a plain HTML form) or `application/json`
 * (an object of field → text). Answers:
 *   - JSON post:        201 `CaptureResponse`.
 *   - HTML form post:   303 to the form's thank-you URL, or 201 with a small HTML thank-you page when it has none.
 *   - A retry (same idempotency key, same submission) gets the first answer again, marked `Idempotent-Replayed: true`.
 *   - Errors: `{ error: { code, message, fields? } }` (see errors.http.ts) with 400 (validation: `fields` names the
 *     posted field), 401 (signature), 403 (origin), 404 (unknown or inactive form), 409 (idempotency key reused for
 *     another submission), 413 (body too large), 415 (other content types), 429 (rate limit, with Retry-After).
 * A filled honeypot field gets the same success answer and stores nothing.
 */
export const CAPTURE_ROUTE = '/api/v1/capture/:formKey';
export const capturePath = (formKey: string): string => `/api/v1/capture/${encodeURIComponent(formKey)}`;

/** Makes retries safe: the first answer for a key is the answer for every retry with it (per form). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** `sha256=<hex HMAC-SHA256 of the raw request body with the form's secret>`; required when the form has a secret. */
export const SIGNATURE_HEADER = 'x-signature';
export const SIGNATURE_PREFIX = 'sha256=';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** Longest idempotency key (header or submission id field) accepted. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** The lead fields a form field can be mapped onto; `message` (the sender's free text) becomes a note activity on the lead. */
export const CAPTURE_TARGETS = [
  'firstName', 'lastName', 'email', 'phone', 'companyName', 'title', 'country', 'region',
  'source', 'medium', 'campaign', 'referrer', 'message',
] as const;
export type CaptureTarget = (typeof CAPTURE_TARGETS)[number];

/**
 * Posted names every form understands without a mapping (in the body, or for UTM also in the query string); a form's
 * own field map takes precedence, and a posted name equal to a target (`email`, `lastName`) maps onto it.
 */
export const BUILT_IN_FIELD_MAP: Readonly<Record<string, CaptureTarget>> = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'campaign',
  referrer: 'referrer',
};

/** The UTM names also read from the query string of the capture URL (the body wins when both carry one). */
export const QUERY_SOURCE_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign'] as const;

/**
 * What makes a submission a lead: at least an email, a phone or a last name (a first name or company alone is not
 * someone a rep can follow up). The validation error names the posted field mapped to `email` (or `email`).
 */
export const CAPTURE_IDENTITY_TARGETS: readonly CaptureTarget[] = ['email', 'phone', 'lastName'];

export const CaptureResponse = z.object({
  /** The lead the submission created, or the existing lead it was attached to (duplicate policy 'attach'). */
  leadId: Id,
  submissionId: Id,
});
export type CaptureResponse = z.infer<typeof CaptureResponse>;
