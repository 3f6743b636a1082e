// The tenant server's HTTP API as one user sees it, for end-to-end tests that check what reached the server.
import type { LeadPage, LeadRecord } from '../../../src-shared/http/records.http';
import type { SessionResponse } from '../../../src-shared/http/auth.http';

export interface TenantSession {
  baseUrl: string;
  accessToken: string;
}

/** Signs in over HTTP like any API client (a device of its own, apart from the browser's). */
export async function signInToTenant(tenantUrl: string, email: string, password = 'demo1234'): Promise<TenantSession> {
  const res = await fetch(`${tenantUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as SessionResponse;
  return { baseUrl: tenantUrl, accessToken: body.accessToken };
}

export async function tenantGet<T>(session: TenantSession, path: string): Promise<T> {
  const res = await fetch(`${session.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${session.accessToken}` } });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every lead the user may see on the server, newest first (paged through). */
export async function tenantLeads(session: TenantSession): Promise<LeadRecord[]> {
  const leads: LeadRecord[] = [];
  let cursor: string | null = null;
  do {
    const page: LeadPage = await tenantGet<LeadPage>(session, `/leads?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    leads.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return leads;
}

/** One lead as the server has it, or null when the user cannot see it (missing and forbidden answer alike). */
export async function tenantLead(session: TenantSession, id: string): Promise<LeadRecord | null> {
  const res = await fetch(`${session.baseUrl}/api/v1/leads/${id}`, { headers: { authorization: `Bearer ${session.accessToken}` } });
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET /leads/${id} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as LeadRecord;
}
