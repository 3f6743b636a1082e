// Test helpers for the admin API: callers of each demo role, requests under /api/v1/admin, audit and digest reads.
import { expect } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX } from '../../../src-shared/http/admin.http';
import { roles } from '../../../src-server/db/schema/accounts.table';
import { auditLog } from '../../../src-server/db/schema/activities.table';
import { queryRows } from '../../../src-server/db/query-rows';
import { currentVersion } from '../../../src-server/db/tenant-version';
import type { SeededTenant } from '../../../src-server/seed/demo-tenant';
import type { Permission } from '../../../src-shared/domain/accounts.schema';
import type { TestEnv } from '../../helpers/server-db';
import { request, seedTenant, signIn } from '../server/api-client';
import type { ApiResponse } from '../server/api-client';

export type { ApiResponse };

/** Calls to the admin API as one signed-in user; paths are relative to /api/v1/admin. */
export interface AdminApi {
  userId: string;
  token: string;
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  patch(path: string, body: unknown): Promise<ApiResponse>;
  put(path: string, body: unknown): Promise<ApiResponse>;
  delete(path: string): Promise<ApiResponse>;
}

export function adminApi(app: FastifyInstance, token: string, userId: string): AdminApi {
  const url = (path: string) => `${ADMIN_PREFIX}${path}`;
  return {
    userId,
    token,
    get: (path) => request(app, 'GET', url(path), { token }),
    post: (path, body) => request(app, 'POST', url(path), { token, ...(body === undefined ? {} : { body }) }),
    patch: (path, body) => request(app, 'PATCH', url(path), { token, body }),
    put: (path, body) => request(app, 'PUT', url(path), { token, body }),
    delete: (path) => request(app, 'DELETE', url(path), { token }),
  };
}

export interface AdminTenant {
  seeded: SeededTenant;
  tenantId: string;
  admin: AdminApi;
  manager: AdminApi;
  rep: AdminApi;
}

/** Seeds a demo-shaped tenant of the test's own and signs in its admin, manager and first rep. */
export async function seedAdminTenant(env: TestEnv, seed: number, slug: string, size: { leads?: number; deals?: number } = {}): Promise<AdminTenant> {
  const seeded = await seedTenant(env, seed, slug, { leads: size.leads ?? 10, deals: size.deals ?? 8 });
  const as = async (who: string) => {
    const session = await signIn(env.app, `${who}@demo.test`, { tenant: slug });
    return adminApi(env.app, session.accessToken, session.user.id);
  };
  return { seeded, tenantId: seeded.tenantId, admin: await as('admin'), manager: await as('manager'), rep: await as('rep1') };
}

/** Grants a role of the tenant extra permissions (e.g. pipelines.edit for managers). */
export async function grant(env: TestEnv, tenantId: string, role: 'admin' | 'manager' | 'rep', permissions: Permission[]): Promise<void> {
  const [row] = await env.ctx.db.select().from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.name, role)));
  await env.ctx.db.update(roles).set({ permissions: [...new Set([...row!.permissions, ...permissions])] }).where(eq(roles.id, row!.id));
}

export async function auditOf(env: TestEnv, tenantId: string, entityId: string) {
  return env.ctx.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.entityId, entityId))).orderBy(asc(auditLog.version), asc(auditLog.id));
}

export const tenantVersion = (env: TestEnv, tenantId: string): Promise<number> => currentVersion(env.ctx.db, tenantId);

/** Tables the admin API writes (and the audit log), by tenant column. */
const DIGESTED = [
  'pipelines', 'stages', 'stage_transition_rules', 'approval_policies', 'delegations', 'distribution_rules', 'scoring_configs',
  'nurture_sequences', 'forms', 'users', 'user_credentials', 'teams', 'win_loss_reasons', 'tenants', 'audit_log', 'auth_sessions', 'tenant_versions',
] as const;

/** A fingerprint of everything the admin API could have written for the tenant: equal before and after = nothing written. */
export async function tenantDigest(env: TestEnv, tenantId: string): Promise<string> {
  const parts = DIGESTED.map((table) => {
    const column = table === 'tenants' ? 'id' : 'tenant_id';
    return sql`SELECT ${table}::text AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${sql.raw(table)} x WHERE ${sql.raw(column)} = ${tenantId}`;
  });
  const rows = await queryRows<{ t: string; h: string }>(env.ctx.db, sql.join(parts, sql` UNION ALL `));
  return rows.map((r) => `${r.t}:${r.h}`).sort().join(',');
}

/** Expects a 400 VALIDATION naming (at least) these field paths. */
export function expectFields(res: ApiResponse, paths: string[]): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('VALIDATION');
  expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(paths));
}

/** Expects the status, showing the body when it differs. */
export function expectStatus(res: ApiResponse, status: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}
