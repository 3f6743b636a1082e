// The sync endpoints on both databases: push (order, idempotency, gaps, refusals, merge) and pull (filtering, paging, view exits).
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { matchKeys } from '../../../src-shared/domain/duplicate-keys';
import { PROTOCOL_VERSION } from '../../../src-shared/sync/sync-protocol';
import type { PullResponse } from '../../../src-shared/sync/sync-protocol';
import { forEachDatabase } from '../../helpers/server-db';
import { compactTombstones } from '../../../src-server/sync/sync-compaction';
import { pgTableOf, ROW_JSON, selectRows } from '../../../src-server/sync/pg-tables';
import { markDurable } from '../../../src-server/db/tenant-version';
import { request } from '../server/api-client';
import { MapReplica, mutation, pullPage, push, syncTenant } from './sync-fixtures';

const newLead = (id: string, lastName: string) => ({ id, lastName, email: `${lastName.toLowerCase()}@example.com` });

forEachDatabase('sync push', (env) => {
  it('applies mutations in order, skips a repeated delivery, and records each id with its effect', async () => {
    const t = await syncTenant(env(), 9101, 'push-order');
    const { app } = env();
    const m1 = mutation(t.rep1, 1, 'leads.create', newLead('lead-push-1', 'First'));
    const m2 = mutation(t.rep1, 2, 'leads.update', { id: 'lead-push-1', patch: { title: 'CEO' } });
    const first = await push(app, t.rep1, [m1, m2]);
    expect(first).toEqual({ lastMutationId: 2, outcomes: [{ mutationId: 1, status: 'applied' }, { mutationId: 2, status: 'applied' }] });
    // The response was lost: the client sends the same batch again, plus one more.
    const again = await push(app, t.rep1, [m1, m2, mutation(t.rep1, 3, 'leads.update', { id: 'lead-push-1', patch: { title: 'CTO' } })]);
    expect(again.outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped', 'applied']);
    const audits = await env().ctx.db.execute(sql`SELECT action FROM audit_log WHERE entity_id = 'lead-push-1' ORDER BY version`);
    expect((audits as unknown as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual(['create', 'update', 'update']);
  });

  it('keeps the server’s duplicate keys of a pushed lead in step with its fields, in the same transaction', async () => {
    const t = await syncTenant(env(), 9107, 'push-keys');
    const { app } = env();
    const keysOf = async () => ((await env().ctx.db.execute(sql`SELECT key FROM lead_dedupe_keys WHERE lead_id = 'lead-keys-1' ORDER BY key`)) as unknown as { rows: { key: string }[] }).rows.map((r) => r.key);
    // Each step's keys are those of the lead as it stands after it (matchKeys is the rule; this checks they follow it).
    const steps: Record<string, string | null>[] = [
      {},
      // A field outside the keys: they stay as they were.
      { title: 'CEO' },
      // A new email: its key replaces the old one; the company-and-name key follows the new domain.
      { email: 'kline@other.test' },
      { phone: '+1 415 555 0100', firstName: 'Ada' },
      { email: null },
    ];
    const lead: Record<string, string | null> = { firstName: '', lastName: 'Kline', email: 'kline@example.com', phone: null, companyName: null };
    let id = 1;
    let previous: string[] = [];
    await push(app, t.rep1, [mutation(t.rep1, id++, 'leads.create', newLead('lead-keys-1', 'Kline'))]);
    for (const patch of steps) {
      if (Object.keys(patch).length > 0) {
        const res = await push(app, t.rep1, [mutation(t.rep1, id++, 'leads.update', { id: 'lead-keys-1', patch })]);
        expect(res.outcomes[0]!.status).toBe('applied');
      }
      Object.assign(lead, patch);
      const expected = matchKeys(lead as unknown as Parameters<typeof matchKeys>[0]).sort();
      expect(expected).not.toEqual([]);
      if ('email' in patch || 'phone' in patch) expect(expected).not.toEqual(previous);
      previous = expected;
      expect(await keysOf()).toEqual(expected);
    }
  });

  it('refuses a gap: nothing from the missing id on is applied', async () => {
    const t = await syncTenant(env(), 9102, 'push-gap');
    const res = await push(env().app, t.rep1, [mutation(t.rep1, 1, 'leads.create', newLead('lead-gap-1', 'One')), mutation(t.rep1, 3, 'leads.create', newLead('lead-gap-3', 'Three'))]);
    expect(res.lastMutationId).toBe(1);
    expect(res.gap).toEqual({ expected: 2, got: 3 });
    expect(res.outcomes).toEqual([{ mutationId: 1, status: 'applied' }]);
    // The batch stopped before its last mutation: what it applied was made durable before the answer, and pulls serve it.
    const replica = new MapReplica();
    await replica.sync(env().app, t.rep1);
    expect(replica.row('leads', 'lead-gap-1')).toMatchObject({ lastName: 'One' });
  });

  it('serves in pulls only changes known durable: a batch’s changes once its last, synchronous commit has flushed them', async () => {
    const t = await syncTenant(env(), 9108, 'push-durable');
    const { app } = env();
    const db = env().ctx.db;
    const versions = async () => ((await db.execute(sql`SELECT version::int AS version, durable::int AS durable FROM tenant_versions WHERE tenant_id = ${t.seeded.tenantId}`)) as unknown as { rows: { version: number; durable: number }[] }).rows[0]!;
    const replica = new MapReplica();
    await replica.sync(app, t.rep1);
    const res = await push(app, t.rep1, [1, 2, 3].map((i) => mutation(t.rep1, i, 'leads.create', newLead(`lead-durable-${i}`, `Durable${i}`))));
    expect(res.outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    const after = await versions();
    expect(after.durable).toBe(after.version);
    // A change committed without waiting for the disk (as a batch's first mutations are) is not served yet.
    const lead = t.seeded.dataset.leads.find((l) => l.ownerId === t.rep1.userId && !l.archived)!;
    await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('synchronous_commit', 'off', true)`);
      await tx.execute(sql`UPDATE tenant_versions SET version = version + 1 WHERE tenant_id = ${t.seeded.tenantId}`);
      await tx.execute(sql`UPDATE leads SET title = 'Mid-batch', version = (SELECT version FROM tenant_versions WHERE tenant_id = ${t.seeded.tenantId}) WHERE id = ${lead.id}`);
    });
    await replica.sync(app, t.rep1);
    expect(replica.row('leads', 'lead-durable-3')).toMatchObject({ lastName: 'Durable3' });
    expect(replica.row('leads', lead.id)!['title']).not.toBe('Mid-batch');
    expect(replica.cursor!.version).toBe(after.durable);
    // A server starting after one stopped mid-batch moves the durable version up: the change is served.
    expect(await markDurable(db)).toBeGreaterThanOrEqual(1);
    expect(await versions()).toEqual({ version: after.version + 1, durable: after.version + 1 });
    await replica.sync(app, t.rep1);
    expect(replica.row('leads', lead.id)).toMatchObject({ title: 'Mid-batch' });
    await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('synchronous_commit', 'off', true)`);
      await tx.execute(sql`UPDATE tenant_versions SET version = version + 1 WHERE tenant_id = ${t.seeded.tenantId}`);
      await tx.execute(sql`UPDATE leads SET title = 'Mid-batch again', version = (SELECT version FROM tenant_versions WHERE tenant_id = ${t.seeded.tenantId}) WHERE id = ${lead.id}`);
    });
    // A retried batch found all applied (its first delivery stopped before the flush) is answered after one.
    const again = await push(app, t.rep1, [1, 2, 3].map((i) => mutation(t.rep1, i, 'leads.create', newLead(`lead-durable-${i}`, `Durable${i}`))));
    expect(again.outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped', 'skipped']);
    const flushed = await versions();
    expect(flushed.durable).toBe(flushed.version);
    await replica.sync(app, t.rep1);
    expect(replica.row('leads', lead.id)).toMatchObject({ title: 'Mid-batch again' });
  });

  it('records a business refusal: the id advances, the result and a notification sync back, nothing else is written', async () => {
    const t = await syncTenant(env(), 9103, 'push-refuse');
    const { app } = env();
    const res = await push(app, t.rep1, [mutation(t.rep1, 1, 'leads.update', { id: 'no-such-lead', patch: { title: 'x' } })]);
    expect(res.lastMutationId).toBe(1);
    expect(res.outcomes[0]).toMatchObject({ status: 'refused', error: { code: 'NOT_FOUND' } });
    const replica = new MapReplica();
    await replica.sync(app, t.rep1);
    expect(replica.lastMutationId).toBe(1);
    expect(replica.results).toEqual([{ mutationId: 1, name: 'leads.update', error: expect.objectContaining({ code: 'NOT_FOUND' }) }]);
    const notes = [...(replica.tables.get('notifications')?.values() ?? [])].filter((n) => n['kind'] === 'mutation.refused');
    expect(notes).toHaveLength(1);
    // Acknowledged results are forgotten.
    const page = await pullPage(app, t.rep1, { cursor: replica.cursor, resultsAckedThrough: 1 });
    expect(page.results).toEqual([]);
  });

  it('refuses mutations of another device and versions it cannot serve', async () => {
    const t = await syncTenant(env(), 9104, 'push-foreign');
    const { app } = env();
    const foreign = await request(app, 'POST', '/api/v1/sync/push', { token: t.rep1.token, body: { clientId: t.rep2.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: 1, mutations: [mutation(t.rep2, 1, 'leads.create', newLead('x1', 'X'))] } });
    expect(foreign.status).toBe(403);
    const old = await request(app, 'POST', '/api/v1/sync/pull', { token: t.rep1.token, body: { clientId: t.rep1.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: 999, cursor: null } });
    expect(old.status).toBe(409);
    expect(old.body.error).toMatchObject({ code: 'READ_ONLY', details: { server: { schemaVersion: 1 } } });
    const info = await request(app, 'GET', '/api/v1/sync/info');
    expect(info.body).toEqual({ protocolVersion: PROTOCOL_VERSION, minProtocolVersion: expect.any(Number), schemaVersion: 1 });
  });

  it('merges disjoint offline edits and turns a concurrent high-risk edit into a conflict both reps see', async () => {
    const t = await syncTenant(env(), 9105, 'push-merge');
    const { app } = env();
    const deal = t.seeded.dataset.deals.find((d) => d.ownerId === t.rep1.userId && d.status === 'open')!;
    // The manager changes the amount and the next step on the server.
    await push(app, t.manager, [mutation(t.manager, 1, 'deals.update', { id: deal.id, patch: { amountMinor: 777_00, nextStep: 'Call CFO' } })]);
    // Rep 1 edited offline from the old values: the name (disjoint), the next step (same field, low risk) and the amount (high risk).
    const base = { [deal.id]: { name: deal.name, nextStep: deal.nextStep, amountMinor: deal.amountMinor } };
    const res = await push(app, t.rep1, [mutation(t.rep1, 1, 'deals.update', { id: deal.id, patch: { name: 'Renamed offline', nextStep: 'Send quote', amountMinor: 999_00 } }, base)]);
    expect(res.outcomes[0]!.status).toBe('applied');
    for (const who of [t.rep1, t.manager]) {
      const replica = new MapReplica();
      await replica.sync(app, who);
      expect(replica.row('deals', deal.id)).toMatchObject({ name: 'Renamed offline', nextStep: 'Send quote', amountMinor: 777_00 });
      const conflicts = [...(replica.tables.get('conflicts')?.values() ?? [])];
      expect(conflicts).toEqual([expect.objectContaining({ entityId: deal.id, field: 'amountMinor', kind: 'field', baseValue: deal.amountMinor, serverValue: 777_00, clientValue: 999_00, clientUserId: t.rep1.userId, serverUserId: t.manager.userId, status: 'open' })]);
    }
  });
});

forEachDatabase('sync pull', (env) => {
  it('sends each user only what they may see, the same in one page or many, with progress to the total', async () => {
    const t = await syncTenant(env(), 9201, 'pull-filter', { leads: 60, deals: 20 });
    const { app } = env();
    const whole = new MapReplica();
    await whole.sync(app, t.rep1);
    const paged = new MapReplica();
    const pages = await paged.sync(app, t.rep1, { limit: 7 });
    expect(pages.length).toBeGreaterThan(5);
    expect(pages[0]!.reset).toBe(true);
    expect(pages.at(-1)!.position.done).toBe(pages.at(-1)!.position.total);
    expect(pages.map((p) => p.position.done)).toEqual([...pages.map((p) => p.position.done)].sort((a, b) => a - b));
    for (const table of whole.tables.keys()) expect(paged.ids(table), table).toEqual(whole.ids(table));
    const own = t.seeded.dataset.leads.filter((l) => l.ownerId === t.rep1.userId && !l.archived).map((l) => l.id).sort();
    expect(whole.ids('leads')).toEqual(own);
    const ownDeals = t.seeded.dataset.deals.filter((d) => d.ownerId === t.rep1.userId).map((d) => d.id).sort();
    expect(whole.ids('deals')).toEqual(ownDeals);
    expect(whole.ids('users')).toHaveLength(4);
    const admin = new MapReplica();
    await admin.sync(app, t.admin);
    expect(admin.ids('leads')).toHaveLength(t.seeded.dataset.leads.filter((l) => !l.archived).length);
  });

  it('answers pulls that arrive together (served in one snapshot) as it answers each alone', async () => {
    const t = await syncTenant(env(), 9209, 'pull-together');
    const { app } = env();
    const users = [t.admin, t.manager, t.rep1, t.rep2];
    const replicas = users.map(() => new MapReplica());
    for (const [i, u] of users.entries()) await replicas[i]!.sync(app, u);
    // Changes the four see differently: rep 1's new lead, rep 2's lead moved to rep 1, a refusal of rep 2's.
    const moved = t.seeded.dataset.leads.find((l) => l.ownerId === t.rep2.userId && !l.archived)!;
    await push(app, t.rep1, [mutation(t.rep1, 1, 'leads.create', newLead('lead-together-1', 'Together'))]);
    await push(app, t.admin, [mutation(t.admin, 1, 'leads.assign', { ids: [moved.id], ownerId: t.rep1.userId })]);
    await push(app, t.rep2, [mutation(t.rep2, 1, 'leads.update', { id: 'no-such-lead', patch: { title: 'x' } })]);
    const bodies = replicas.map((r) => ({ cursor: r.cursor, resultsAckedThrough: 0 }));
    // Each user twice, all at once: the first is served alone, the others wait and are served together.
    const together = await Promise.all([...users, ...users].map((u, i) => pullPage(app, u, bodies[i % users.length]!)));
    const alone: PullResponse[] = [];
    for (const [i, u] of users.entries()) alone.push(await pullPage(app, u, bodies[i]!));
    for (const i of users.keys()) {
      expect(together[i]).toEqual(alone[i]);
      expect(together[i + users.length]).toEqual(alone[i]);
    }
    const leadIds = (page: PullResponse) => page.changes.filter((c) => c.table === 'leads').flatMap((c) => c.rows.map((r) => r[c.fields.indexOf('id')]));
    const leadDeletes = (page: PullResponse) => page.changes.filter((c) => c.table === 'leads').flatMap((c) => c.deletes);
    const [admin, manager, rep1, rep2] = alone as [PullResponse, PullResponse, PullResponse, PullResponse];
    for (const page of [admin, manager, rep1]) expect(leadIds(page)).toEqual(expect.arrayContaining(['lead-together-1', moved.id]));
    expect(leadIds(rep2)).toEqual([]);
    expect(leadDeletes(rep2)).toContain(moved.id);
    expect(rep2.results).toEqual([expect.objectContaining({ mutationId: 1, name: 'leads.update' })]);
    for (const page of [admin, manager, rep1]) expect(page.results).toEqual([]);
    expect(new Set(alone.map((p) => p.cursor!.scope)).size).toBeGreaterThan(1);
  });

  it('refuses the pull of an ended session with 401 while serving the pulls that arrive with it', async () => {
    const t = await syncTenant(env(), 9210, 'pull-ended');
    const { app } = env();
    const out = await request(app, 'POST', '/api/v1/auth/sign-out', { token: t.rep1.token, body: {} });
    expect(out.status).toBe(204);
    const pull = (u: typeof t.rep1) => request(app, 'POST', '/api/v1/sync/pull', { token: u.token, body: { clientId: u.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: 1, cursor: { version: 0, scope: 'x' } } });
    const [admin, rep1, manager, rep2] = await Promise.all([t.admin, t.rep1, t.manager, t.rep2].map(pull));
    expect(rep1!.status).toBe(401);
    expect(rep1!.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/session ended/) });
    for (const res of [admin, manager, rep2]) expect(res!.status, JSON.stringify(res!.body)).toBe(200);
  });

  it('drops a lead reassigned away from the replica, brings it to its new owner with its activities', async () => {
    const t = await syncTenant(env(), 9202, 'pull-exit');
    const { app } = env();
    const rep1 = new MapReplica();
    const rep2 = new MapReplica();
    await rep1.sync(app, t.rep1);
    await rep2.sync(app, t.rep2);
    const lead = t.seeded.dataset.leads.find((l) => l.ownerId === t.rep1.userId && t.seeded.dataset.activities.some((a) => a.entityId === l.id))!;
    expect(rep1.row('leads', lead.id)).toBeDefined();
    await push(app, t.admin, [mutation(t.admin, 1, 'leads.assign', { ids: [lead.id], ownerId: t.rep2.userId })]);
    const [page] = await rep1.sync(app, t.rep1);
    expect(page!.reset).toBe(false);
    expect(rep1.row('leads', lead.id)).toBeUndefined();
    await rep2.sync(app, t.rep2);
    expect(rep2.row('leads', lead.id)).toMatchObject({ ownerId: t.rep2.userId });
    // The lead's activities did not change, so only adopting the new lead brings them.
    const activities = t.seeded.dataset.activities.filter((a) => a.entityId === lead.id).map((a) => a.id).sort();
    expect(activities.every((id) => rep2.row('activities', id) === undefined)).toBe(true);
    await rep2.sync(app, t.rep2, { adopt: { leads: [lead.id], deals: [], approval_requests: [] } });
    expect(activities.every((id) => rep2.row('activities', id) !== undefined)).toBe(true);
  });

  it('resets a replica whose view changed: a rep allowed to see every lead gets them all', async () => {
    const t = await syncTenant(env(), 9203, 'pull-scope');
    const { app } = env();
    const rep1 = new MapReplica();
    await rep1.sync(app, t.rep1);
    const before = rep1.ids('leads').length;
    await env().ctx.db.execute(sql`UPDATE roles SET permissions = '["leads.viewAll","data.import"]'::jsonb, version = version + 1 WHERE tenant_id = ${t.seeded.tenantId} AND name = 'rep'`);
    const pages = await rep1.sync(app, t.rep1);
    expect(pages[0]!.reset).toBe(true);
    expect(rep1.ids('leads').length).toBeGreaterThan(before);
    expect(rep1.ids('leads')).toHaveLength(t.seeded.dataset.leads.filter((l) => !l.archived).length);
  });

  it('sends a replica whose cursor is older than the compacted horizon a full reset, without the forgotten delete', async () => {
    const t = await syncTenant(env(), 9204, 'pull-horizon');
    const { app } = env();
    const rep1 = new MapReplica();
    await rep1.sync(app, t.rep1);
    const [winner, loser] = t.seeded.dataset.leads.filter((l) => l.ownerId === t.rep1.userId && !l.archived && l.status !== 'CONVERTED');
    await push(app, t.admin, [mutation(t.admin, 1, 'leads.merge', { winnerId: winner!.id, loserId: loser!.id })]);
    // The tombstone of the merged-away lead is compacted before rep 1 pulls again.
    expect(await compactTombstones(env().ctx.db, env().clock.now() + 1, env().clock.now())).toBeGreaterThan(0);
    const pages = await rep1.sync(app, t.rep1);
    expect(pages[0]!.reset).toBe(true);
    expect(rep1.row('leads', loser!.id)).toBeUndefined();
    expect(rep1.row('leads', winner!.id)).toBeDefined();
  });

  it('sends rows as the database writes their JSON: the same values the entities hold, whatever their text, JSON, number or flag', async () => {
    const t = await syncTenant(env(), 9211, 'pull-served');
    const db = env().ctx.db;
    const lead = t.seeded.dataset.leads[0]!;
    const deal = t.seeded.dataset.deals[0]!;
    await db.execute(sql`UPDATE leads SET title = ${'Quote " back\\ line\nbreak\ttab \u0001 😀 Müller </script>'}, first_name = '', email = NULL,
      score_factors = ${JSON.stringify({ b: [1, 2.5, { x: null }], a: 'é', deep: { list: [] } })}::jsonb, win_probability = 0.1, last_activity_at = 1700000000123
      WHERE id = ${lead.id}`);
    await db.execute(sql`UPDATE deals SET amount_minor = 9007199254740991, discount_pct = 12.345678901234567, closed_at = NULL WHERE id = ${deal.id}`);
    for (const [table, id] of [['leads', lead.id], ['deals', deal.id], ['scoring_configs', t.seeded.tenantId]] as const) {
      const info = pgTableOf(table);
      const where = sql`${info.pk} = ${id}`;
      const [whole] = await selectRows(db, table, where);
      const [served] = await selectRows(db, table, where, sql``, true);
      expect(JSON.parse(String(served![ROW_JSON])), table).toEqual([...info.fields, 'version'].map((f) => whole![f] ?? null));
    }
    // And so they arrive: the replica holds what the server holds.
    const replica = new MapReplica();
    await replica.sync(env().app, t.admin);
    expect(replica.row('leads', lead.id)).toMatchObject({ title: 'Quote " back\\ line\nbreak\ttab \u0001 😀 Müller </script>', firstName: '', email: null, winProbability: 0.1 });
    expect(replica.row('deals', deal.id)).toMatchObject({ amountMinor: 9007199254740991, discountPct: 12.345678901234567 });
  });
});
