// Server-only record of every accepted web-form submission: what it produced, and the idempotency key that makes retries safe.
import { pgTable, text, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, ref, instant, json } from './columns';

/** What a submission did: created a lead, or became an activity on an existing one (duplicate policy 'attach'). */
export type CaptureOutcome = 'created' | 'attached';

export const captureSubmissions = pgTable('capture_submissions', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  formId: ref('form_id').notNull(),
  /** The `Idempotency-Key` header or the form's submission id field; null when the post carried neither. */
  idempotencyKey: text('idempotency_key'),
  /** SHA-256 of the mapped submission, so a key reused for a different submission is refused, not replayed. */
  requestHash: text('request_hash').notNull(),
  leadId: ref('lead_id').notNull(),
  outcome: text('outcome', { enum: ['created', 'attached'] }).notNull().$type<CaptureOutcome>(),
  /** The JSON body the first answer carried; a retry gets the same. */
  response: json<Record<string, unknown>>('response').notNull(),
  createdAt: instant('created_at').notNull(),
}, (t) => [
  // The claim: `INSERT … ON CONFLICT DO NOTHING` on this index is what makes concurrent retries produce one lead
  // (NULL keys never conflict, so key-less posts are each their own submission).
  uniqueIndex('capture_submissions_key_idx').on(t.formId, t.idempotencyKey),
  index('capture_submissions_tenant_idx').on(t.tenantId, t.createdAt),
]);
