// Web lead-capture forms (server-only): how a form's fields map onto a lead and how its posts are checked.
import { pgTable, text, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, ref, instant, bool, json } from './columns';

/** Posted field name → lead field name (e.g. `first_name` → `firstName`; `message` becomes a note). */
export type FormFieldMap = Record<string, string>;

/** Source fields a lead captured through the form gets when the post does not carry its own. */
export interface FormDefaults {
  source: string | null;
  medium: string | null;
  campaign: string | null;
}

export const forms = pgTable('forms', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  /** Public, in the capture URL; unique across the server since the URL names no tenant. */
  key: text('key').notNull(),
  name: text('name').notNull(),
  fieldMap: json<FormFieldMap>('field_map').notNull(),
  defaults: json<FormDefaults>('defaults').notNull(),
  /** Origins allowed to post from a browser (CORS); empty = none. */
  allowedOrigins: json<string[]>('allowed_origins').notNull(),
  /** When set, posts must carry an HMAC-SHA256 signature of the body with this secret. */
  hmacSecret: text('hmac_secret'),
  honeypotField: text('honeypot_field'),
  thankYouUrl: text('thank_you_url'),
  submissionIdField: text('submission_id_field'),
  active: bool('active').notNull(),
  createdAt: instant('created_at').notNull(),
}, (t) => [uniqueIndex('forms_key_idx').on(t.key), index('forms_tenant_idx').on(t.tenantId)]);
