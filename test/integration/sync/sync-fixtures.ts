// Helpers for the sync tests: a seeded tenant with signed-in users, and push/pull calls through the HTTP API.
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SessionResponse } from '../../../src-shared/http/auth.http';
import { PROTOCOL_VERSION, SCHEMA_VERSION } from '../../../src-shared/sync/sync-protocol';
import type { PullRequest, PullResponse, PushResponse, SyncMutation } from '../../../src-shared/sync/sync-protocol';
import type { SeededTenant } from '../../../src-server/seed/demo-tenant';
import type { TestEnv } from '../../helpers/server-db';
import { request, seedTenant, signIn } from '../server/api-client';

export interface SyncUser {
  session: SessionResponse;
  token: string;
  clientId: string;
  userId: string;
}

export interface SyncTenant {
  seeded: SeededTenant;
  slug: string;
  admin: SyncUser;
  manager: SyncUser;
  rep1: SyncUser;
  rep2: SyncUser;
}

export async function signedIn(app: FastifyInstance, email: string, slug: string): Promise<SyncUser> {
  const session = await signIn(app, email, { tenant: slug });
  return { session, token: session.accessToken, clientId: session.clientId, userId: session.user.id };
}

/** A demo-shaped tenant of the test's own, with its four users signed in (one device each). */
export async function syncTenant(env: TestEnv, seed: number, slug: string, size: { leads?: number; deals?: number } = {}): Promise<SyncTenant> {
  const seeded = await seedTenant(env, seed, slug, size);
  const [admin, manager, rep1, rep2] = await Promise.all(['admin', 'manager', 'rep1', 'rep2'].map((u) => signedIn(env.app, `${u}@demo.test`, slug)));
  return { seeded, slug, admin: admin!, manager: manager!, rep1: rep1!, rep2: rep2! };
}

export function mutation(user: SyncUser, mutationId: number, name: string, args: unknown, base?: SyncMutation['base']): SyncMutation {
  return { clientId: user.clientId, mutationId, name, args, protocolVersion: PROTOCOL_VERSION, ...(base ? { base } : {}) };
}

export async function push(app: FastifyInstance, user: SyncUser, mutations: SyncMutation[], status = 200): Promise<PushResponse> {
  const res = await request(app, 'POST', '/api/v1/sync/push', { token: user.token, body: { clientId: user.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, mutations } });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as PushResponse;
}

export async function pullPage(app: FastifyInstance, user: SyncUser, body: Omit<PullRequest, 'clientId' | 'protocolVersion' | 'schemaVersion'>): Promise<PullResponse> {
  const res = await request(app, 'POST', '/api/v1/sync/pull', { token: user.token, body: { clientId: user.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as PullResponse;
}

/** A replica as plain maps (table → id → row), fed by whole pulls: what a desktop would hold. */
export class MapReplica {
  readonly tables = new Map<string, Map<string, Record<string, unknown>>>();
  cursor: PullResponse['cursor'] = null;
  pages = 0;
  lastMutationId = 0;
  results: PullResponse['results'] = [];

  apply(page: PullResponse): void {
    if (page.reset) this.tables.clear();
    for (const c of page.changes) {
      const table = this.tables.get(c.table) ?? new Map<string, Record<string, unknown>>();
      this.tables.set(c.table, table);
      for (const id of c.deletes) table.delete(id);
      const key = c.table === 'scoring_configs' ? 'tenantId' : 'id';
      for (const values of c.rows) {
        const row = Object.fromEntries(c.fields.map((f, i) => [f, values[i]]));
        table.set(String(row[key]), row);
      }
    }
    this.lastMutationId = page.lastMutationId;
    this.results = page.results;
  }

  ids(table: string): string[] {
    return [...(this.tables.get(table)?.keys() ?? [])].sort();
  }

  row(table: string, id: string): Record<string, unknown> | undefined {
    return this.tables.get(table)?.get(id);
  }

  /** Pulls until the pull is complete. */
  async sync(app: FastifyInstance, user: SyncUser, opts: { limit?: number; adopt?: PullRequest['adopt'] } = {}): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    let position: PullResponse['position'] | undefined;
    for (;;) {
      const page = await pullPage(app, user, { cursor: this.cursor, ...(position ? { position } : {}), ...(opts.limit ? { limit: opts.limit } : {}), ...(opts.adopt && !position ? { adopt: opts.adopt } : {}) });
      this.apply(page);
      pages.push(page);
      this.pages++;
      if (!page.hasMore) {
        this.cursor = page.cursor;
        return pages;
      }
      position = page.position;
    }
  }
}
