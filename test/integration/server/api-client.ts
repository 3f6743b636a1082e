// Test helpers over the HTTP API through Fastify's inject: sign in, call with a token, seed a tenant of one's own.
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SessionResponse } from '../../../src-shared/http/auth.http';
import { DEMO_PASSWORD, seedDemoTenant } from '../../../src-server/seed/demo-tenant';
import type { SeededTenant } from '../../../src-server/seed/demo-tenant';
import type { TestEnv } from '../../helpers/server-db';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever came back
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function request(app: FastifyInstance, method: Method, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  const res = await app.inject({
    method,
    url,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(options.body === undefined ? {} : typeof options.body === 'string' ? { payload: options.body } : { payload: options.body as object }),
  });
  let body: unknown = res.body;
  try {
    body = res.body === '' ? null : JSON.parse(res.body);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.statusCode, headers: res.headers, body };
}

/** An API bound to one caller's token. */
export function as(app: FastifyInstance, token: string) {
  return {
    get: (url: string) => request(app, 'GET', url, { token }),
    patch: (url: string, body: unknown) => request(app, 'PATCH', url, { token, body }),
    post: (url: string, body?: unknown) => request(app, 'POST', url, { token, body }),
  };
}

export async function signIn(app: FastifyInstance, email: string, options: { tenant?: string; password?: string; clientId?: string } = {}): Promise<SessionResponse> {
  const res = await request(app, 'POST', '/api/v1/auth/sign-in', {
    body: { email, password: options.password ?? DEMO_PASSWORD, ...(options.tenant ? { tenant: options.tenant } : {}), ...(options.clientId ? { clientId: options.clientId } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as SessionResponse;
}

/** Seeds a small demo-shaped tenant of the test's own (distinct seed, slug and form key). */
export async function seedTenant(env: TestEnv, seed: number, slug: string, size: { leads?: number; deals?: number } = {}): Promise<SeededTenant> {
  return seedDemoTenant(env.ctx.db, { now: env.clock.now(), seed, slug, name: `Tenant ${slug}`, formKey: `${slug}-form`, leads: size.leads ?? 40, deals: size.deals ?? 16, activities: 30 });
}
