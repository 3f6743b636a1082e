// Sync pokes on PGlite and PostgreSQL: every committed change of a tenant pokes its sockets (capture, admin, jobs),
// a rolled-back one never does, and a burst of commits is debounced into a few pokes carrying the latest version.
import { beforeAll, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { API_PREFIX } from '../../../src-server/app/server-areas';
import { leads } from '../../../src-server/db/schema/leads.table';
import { currentVersion, nextVersion } from '../../../src-server/db/tenant-version';
import { archiveStaleLeads } from '../../../src-server/jobs/archiving.jobs';
import { rescoreLead } from '../../../src-server/jobs/scoring.jobs';
import { POKE_WINDOW_MS } from '../../../src-server/notifications/poke-throttle';
import type { ServerWsMessage } from '../../../src-shared/http/notifications.http';
import { DAY_MS } from '../../../src-shared/domain/common.schema';
import { forEachDatabase } from '../../helpers/server-db';
import { as, seedTenant, signIn } from '../server/api-client';
import { insertLead, jobContext } from '../jobs/jobs-fixtures';
import { connectWs } from './ws-client';
import type { WsClient } from './ws-client';

type Poke = Extract<ServerWsMessage, { type: 'poke' }>;

/** A rep's socket, and what it heard since the test's own writes began. */
interface Listening {
  client: WsClient;
  /** Pokes received since `socket()` returned. */
  pokes(): Poke[];
  /** The next poke received since then. */
  next(): Promise<Poke>;
}
const settle = () => new Promise((r) => setTimeout(r, 4 * POKE_WINDOW_MS));

forEachDatabase('sync pokes', (env) => {
  let url = '';
  let tenantId = '';
  let slug = '';
  let adminToken = '';
  let repToken = '';

  beforeAll(async () => {
    url = await env().app.listen({ port: 0, host: '127.0.0.1' });
    slug = 'pokes';
    const seeded = await seedTenant(env(), 1101, slug, { leads: 2, deals: 1 });
    tenantId = seeded.tenantId;
    adminToken = (await signIn(env().app, 'admin@demo.test', { tenant: slug })).accessToken;
    repToken = (await signIn(env().app, 'rep2@demo.test', { tenant: slug })).accessToken;
  });

  /** A rep's socket, once whatever pokes earlier writes left behind have gone by. */
  async function socket(): Promise<Listening> {
    const client = connectWs(`${url.replace(/^http/, 'ws')}${API_PREFIX}/ws?token=${repToken}`);
    await client.next('ready');
    await settle();
    const base = client.messages.length;
    const pokes = () => client.messages.slice(base).filter((m): m is Poke => m.type === 'poke');
    let taken = 0;
    return {
      client,
      pokes,
      next: () => client.next('poke', (p) => pokes().indexOf(p) >= taken).then((p) => {
        taken = pokes().indexOf(p) + 1;
        return p;
      }),
    };
  }

  it('pokes after a web form capture, with the version the new lead carries', async () => {
    const s = await socket();
    try {
      const res = await fetch(`${url}${API_PREFIX}/capture/${slug}-form`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ first_name: 'Poke', last_name: 'Capture', email: 'poke.capture@example.com' }).toString(),
        redirect: 'manual',
      });
      expect(res.status).toBeLessThan(400);
      const poke = await s.next();
      const [lead] = await env().ctx.db.select().from(leads).where(eq(leads.email, 'poke.capture@example.com'));
      expect(poke.version).toBe(lead!.version);
    } finally {
      s.client.close();
    }
  });

  it('pokes after an admin write (a pipeline renamed) and after a user is changed', async () => {
    const s = await socket();
    try {
      const admin = as(env().app, adminToken);
      const pipeline = (await admin.get(`${API_PREFIX}/admin/pipelines`)).body.items[0];
      const renamed = await admin.patch(`${API_PREFIX}/admin/pipelines/${pipeline.id}`, { name: 'Renamed by admin', expectedConfigVersion: pipeline.configVersion });
      expect(renamed.status).toBe(200);
      expect((await s.next()).version).toBe(renamed.body.version);
      await settle();
      const rep1 = (await admin.get(`${API_PREFIX}/admin/users`)).body.items.find((u: { email: string }) => u.email === 'rep1@demo.test');
      const changed = await admin.patch(`${API_PREFIX}/admin/users/${rep1.id}`, { capacity: 7, expectedVersion: rep1.version });
      expect(changed.status).toBe(200);
      expect((await s.next()).version).toBe(changed.body.version);
    } finally {
      s.client.close();
    }
  });

  it('pokes after a background job’s commit, and never after a rolled-back transaction', async () => {
    const lead = await insertLead(env().ctx.db, tenantId, env().clock.now(), { title: 'CEO' });
    const s = await socket();
    try {
      await expect(env().ctx.db.transaction(async (tx) => {
        await nextVersion(tx, tenantId);
        await tx.update(leads).set({ title: 'Never' }).where(eq(leads.id, lead.id));
        throw new Error('rolled back on purpose');
      })).rejects.toThrow('rolled back on purpose');
      await settle();
      expect(s.pokes()).toEqual([]);
      expect(await rescoreLead(jobContext(env()), { tenantId, leadId: lead.id })).toBe('rescored');
      expect((await s.next()).version).toBe(await currentVersion(env().ctx.db, tenantId));
    } finally {
      s.client.close();
    }
  });

  it('debounces a burst of commits (archiving in batches, one transaction per lead rescored) to one poke per window, the last with the latest version', async () => {
    const now = env().clock.now();
    const stale = [];
    for (let i = 0; i < 60; i++) stale.push(await insertLead(env().ctx.db, tenantId, now - 400 * DAY_MS, { status: 'DISQUALIFIED', disqualifyReason: 'no budget', updatedAt: now - 400 * DAY_MS }));
    const fresh = [];
    for (let i = 0; i < 30; i++) fresh.push(await insertLead(env().ctx.db, tenantId, now, { title: 'CEO' }));
    const s = await socket();
    try {
      const before = await currentVersion(env().ctx.db, tenantId);
      const started = performance.now();
      const { archived } = await archiveStaleLeads(jobContext(env()), 3);
      expect(archived).toBeGreaterThanOrEqual(60);
      for (const lead of fresh) expect(await rescoreLead(jobContext(env()), { tenantId, leadId: lead.id })).toBe('rescored');
      const elapsed = performance.now() - started;
      const after = await currentVersion(env().ctx.db, tenantId);
      expect(after - before).toBeGreaterThanOrEqual(50);
      await settle();
      const pokes = s.pokes();
      // One at the start, then at most one per window that passed.
      expect(pokes.length).toBeGreaterThanOrEqual(1);
      expect(pokes.length).toBeLessThanOrEqual(Math.ceil(elapsed / POKE_WINDOW_MS) + 2);
      expect(pokes.length).toBeLessThan(after - before);
      expect(pokes.at(-1)!.version).toBe(after);
      expect(pokes.map((p) => p.version)).toEqual([...pokes.map((p) => p.version)].sort((a, b) => a - b));
    } finally {
      s.client.close();
    }
  });

  it('pokes once for one transaction however many rows it writes', async () => {
    const s = await socket();
    try {
      const version = await env().ctx.db.transaction(async (tx) => {
        const v = await nextVersion(tx, tenantId);
        await tx.execute(sql`UPDATE ${leads} SET version = ${v}, updated_at = updated_at + 1 WHERE tenant_id = ${tenantId}`);
        return v;
      });
      await settle();
      expect(s.pokes()).toEqual([{ type: 'poke', version }]);
    } finally {
      s.client.close();
    }
  });
});
