// Tenants, forms and an HTTP client for the capture tests: real requests over loopback to a listening server.
import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { AppDb } from '../../../src-server/db/database';
import { queryRows } from '../../../src-server/db/query-rows';
import { tenants } from '../../../src-server/db/schema/accounts.table';
import { forms } from '../../../src-server/db/schema/forms.table';
import { DEFAULT_SCORING_CONFIG } from '../../../src-shared/domain/lead-scoring';
import { scoringConfigs } from '../../../src-server/db/schema/automation.table';
import type { TenantSettings } from '../../../src-shared/domain/accounts.schema';
import { HTTP_AREAS, API_PREFIX } from '../../../src-server/app/server-areas';
import type { HttpArea } from '../../../src-server/app/server-areas';
import { captureArea } from '../../../src-server/capture/capture.routes';
import type { CaptureRouteOptions } from '../../../src-server/capture/capture.routes';

/** The server's areas with capture configured for a test (limits high unless the test is about limits). */
export function captureAreas(options: CaptureRouteOptions = {}): HttpArea[] {
  return [
    ...HTTP_AREAS.filter((a) => a.name !== 'capture'),
    { name: 'capture', prefix: `${API_PREFIX}/capture`, plugin: captureArea({ perForm: { max: 100_000, windowMs: 60_000 }, perClient: { max: 100_000, windowMs: 60_000 }, ...options }) },
  ];
}

/** The form fields of the demo contact form, plus what tests need. */
export const CONTACT_FIELD_MAP = {
  first_name: 'firstName', last_name: 'lastName', email: 'email', phone: 'phone', company: 'companyName', title: 'title',
  message: 'message', country: 'country',
};

export async function seedTenant(db: AppDb, tenantId: string, now: number, duplicatePolicy: TenantSettings['duplicatePolicy'] = 'flag'): Promise<void> {
  const settings: TenantSettings = { currency: 'EUR', qualification: { requiredFields: [], minScore: 0 }, leadRetentionDays: 180, duplicatePolicy, distributionFallback: { kind: 'unassigned' } };
  await db.insert(tenants).values({ id: tenantId, name: `Tenant ${tenantId}`, slug: tenantId.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40), settings, createdAt: now, version: 0 });
  await db.insert(scoringConfigs).values({ ...DEFAULT_SCORING_CONFIG(tenantId), version: 0 });
}

export interface FormSeed {
  tenantId: string;
  key: string;
  fieldMap?: Record<string, string>;
  defaults?: { source: string | null; medium: string | null; campaign: string | null };
  allowedOrigins?: string[];
  hmacSecret?: string | null;
  honeypotField?: string | null;
  thankYouUrl?: string | null;
  submissionIdField?: string | null;
  active?: boolean;
}

export async function seedForm(db: AppDb, f: FormSeed, now: number): Promise<string> {
  const id = `form-${f.key}`;
  await db.insert(forms).values({
    id, tenantId: f.tenantId, key: f.key, name: `Form ${f.key}`, fieldMap: f.fieldMap ?? CONTACT_FIELD_MAP,
    defaults: f.defaults ?? { source: 'website', medium: 'form', campaign: null }, allowedOrigins: f.allowedOrigins ?? [],
    hmacSecret: f.hmacSecret ?? null, honeypotField: f.honeypotField ?? null, thankYouUrl: f.thankYouUrl ?? null,
    submissionIdField: f.submissionIdField ?? null, active: f.active ?? true, createdAt: now,
  });
  return id;
}

export type RowCounts = Record<'leads' | 'submissions' | 'activities' | 'audit' | 'keys' | 'version', number>;

/** Everything capture writes for a tenant, counted: a refused post must leave these unchanged. */
export async function countRows(db: AppDb, tenantId: string): Promise<RowCounts> {
  const [row] = await queryRows<RowCounts>(db, sql`
    SELECT (SELECT count(*) FROM leads WHERE tenant_id = ${tenantId})::int AS leads,
           (SELECT count(*) FROM capture_submissions WHERE tenant_id = ${tenantId})::int AS submissions,
           (SELECT count(*) FROM activities WHERE tenant_id = ${tenantId})::int AS activities,
           (SELECT count(*) FROM audit_log WHERE tenant_id = ${tenantId})::int AS audit,
           (SELECT count(*) FROM lead_dedupe_keys k JOIN leads l ON l.id = k.lead_id WHERE l.tenant_id = ${tenantId})::int AS keys,
           coalesce((SELECT version FROM tenant_versions WHERE tenant_id = ${tenantId}), 0)::int AS version
  `);
  return row!;
}

export interface LeadRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  company_name: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer: string | null;
  form_key: string | null;
  status: string;
  score: number;
  possible_duplicate_of: string | null;
  last_activity_at: string | null;
  version: string;
}

export async function leadsOf(db: AppDb, tenantId: string): Promise<LeadRow[]> {
  return queryRows<LeadRow>(db, sql`SELECT * FROM leads WHERE tenant_id = ${tenantId} ORDER BY created_at, id`);
}

/** Starts the app on an ephemeral loopback port and returns its base URL. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return `http://127.0.0.1:${address.port}`;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request through node:http, for what fetch cannot do: bind a chosen local address, send arbitrary bytes. */
export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string; localAddress?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: init.headers, localAddress: init.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
