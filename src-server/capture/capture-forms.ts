// Looks up the active capture form a post names, and decides whether a browser origin may post to it.
import { and, eq } from 'drizzle-orm';
import type { AppDb } from '../db/database';
import { forms } from '../db/schema/forms.table';
import type { CaptureFormFields } from './capture-fields';

export interface CaptureForm extends CaptureFormFields {
  id: string;
  tenantId: string;
  allowedOrigins: string[];
  hmacSecret: string | null;
  thankYouUrl: string | null;
}

// Form keys are short URL-safe names; anything else cannot be one, so it is not looked up at all.
const FORM_KEY = /^[A-Za-z0-9._~-]{1,100}$/;
export const isPossibleFormKey = (key: string): boolean => FORM_KEY.test(key);

/** The active form with this key, or null (unknown, inactive, or not a possible key). */
export async function findActiveForm(db: AppDb, key: string): Promise<CaptureForm | null> {
  if (!isPossibleFormKey(key)) return null;
  const [row] = await db
    .select({
      id: forms.id, tenantId: forms.tenantId, key: forms.key, fieldMap: forms.fieldMap, defaults: forms.defaults,
      allowedOrigins: forms.allowedOrigins, hmacSecret: forms.hmacSecret, honeypotField: forms.honeypotField,
      thankYouUrl: forms.thankYouUrl, submissionIdField: forms.submissionIdField,
    })
    .from(forms)
    .where(and(eq(forms.key, key), eq(forms.active, true)));
  if (!row) return null;
  return {
    ...row,
    // Stored configuration is the admin API's to validate; a hand-edited row must not crash the public endpoint.
    fieldMap: isRecord(row.fieldMap) ? row.fieldMap : {},
    defaults: { source: row.defaults?.source ?? null, medium: row.defaults?.medium ?? null, campaign: row.defaults?.campaign ?? null },
    allowedOrigins: Array.isArray(row.allowedOrigins) ? row.allowedOrigins.filter((o): o is string => typeof o === 'string') : [],
  };
}

function isRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether a browser page at `origin` may post to the form: listed in its allowed origins (`*` allows any), or the
 * server's own origin (a form served by this server; browsers send Origin on same-origin posts too). A request
 * without an Origin header is not a browser's cross-site post (a server-side webhook, curl), so CORS does not apply.
 */
export function originAllowed(form: Pick<CaptureForm, 'allowedOrigins'>, origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (form.allowedOrigins.includes('*') || form.allowedOrigins.includes(origin)) return true;
  if (host === undefined || origin === 'null') return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Active forms by key, kept for a short time: every post needs its form, and reading it per post would double the
 * database round trips of a burst. A form changed or deactivated takes effect within `ttlMs`.
 */
export class FormCache {
  private readonly entries = new Map<string, { form: CaptureForm; until: number }>();

  constructor(private readonly db: AppDb, private readonly ttlMs: number, private readonly maxEntries = 1000) {}

  async get(key: string): Promise<CaptureForm | null> {
    // Wall time, not the server clock: this is about staleness of a cache, not about domain time.
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.form;
    const form = await findActiveForm(this.db, key);
    this.entries.delete(key);
    if (form && this.ttlMs > 0) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { form, until: now + this.ttlMs });
    }
    return form;
  }
}
