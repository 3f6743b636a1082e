// Helpers for the live-change tests: posting a web form as a browser would, and finding a lead by email in a replica.
import { API_PREFIX } from '../../../src-server/app/server-areas';

/** Posts the tenant's web form over loopback (form-encoded, redirects not followed); throws on a refusal. */
export async function postForm(url: string, formKey: string, fields: Record<string, string>): Promise<void> {
  const res = await fetch(`${url}${API_PREFIX}/capture/${formKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  if (res.status >= 400) throw new Error(`capture refused with ${res.status}: ${await res.text()}`);
}

/** The lead with this email among a replica snapshot's leads. */
export const leadByEmail = (rows: Record<string, Record<string, unknown>>, email: string): Record<string, unknown> | undefined =>
  Object.values(rows).find((l) => l['email'] === email);
