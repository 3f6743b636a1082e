// Admin API of users, teams, win/loss reasons and tenant settings on both databases.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { userCredentials } from '../../../src-server/db/schema/auth.table';
import { deals } from '../../../src-server/db/schema/deals.table';
import { verifyPassword } from '../../../src-server/auth/passwords';
import { forEachDatabase } from '../../helpers/server-db';
import { request } from '../server/api-client';
import { adminApi, auditOf, expectFields, expectStatus, seedAdminTenant, tenantDigest, tenantVersion } from './admin-fixtures';
import type { AdminTenant } from './admin-fixtures';

forEachDatabase('admin: users, teams, reasons, settings', (env) => {
  let a: AdminTenant;
  let b: AdminTenant;
  beforeAll(async () => {
    a = await seedAdminTenant(env(), 541, 'admin-accounts-a');
    b = await seedAdminTenant(env(), 542, 'admin-accounts-b');
  });
  const team = (t: AdminTenant, name: string) => t.seeded.dataset.teams.find((x) => x.name === name)!;
  const signInStatus = async (email: string, password: string, tenant = 'admin-accounts-a') =>
    (await request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email, password, tenant } })).status;

  describe('users', () => {
    it('creates a user who signs in with the initial password (stored as an argon2id hash), audited without it', async () => {
      const res = await a.admin.post('/users', {
        email: 'New.Rep@Demo.Test', name: 'Nina New', role: 'rep', teamId: team(a, 'West').id, managerId: a.manager.userId, capacity: 50, territory: 'NL', password: 'first-password',
      });
      expectStatus(res, 201);
      expect(res.body).toMatchObject({ email: 'new.rep@demo.test', role: 'rep', active: true, capacity: 50, territory: 'NL', version: await tenantVersion(env(), a.tenantId) });
      expect(res.body).not.toHaveProperty('password');
      const [credentials] = await env().ctx.db.select().from(userCredentials).where(eq(userCredentials.userId, res.body.id));
      expect(credentials!.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(credentials!.passwordHash, 'first-password')).toBe(true);
      expect(await signInStatus('new.rep@demo.test', 'first-password')).toBe(200);
      const audit = JSON.stringify(await auditOf(env(), a.tenantId, res.body.id));
      expect(audit).not.toContain('first-password');
      expect(audit).not.toContain(credentials!.passwordHash);
      expect((await a.admin.get(`/users/${res.body.id}`)).body).toEqual(res.body);
    });

    it('refuses a second user with the same email in any letter case', async () => {
      const res = await a.admin.post('/users', { email: 'REP1@demo.test', name: 'Dup', role: 'rep', password: 'long-enough' });
      expectStatus(res, 409);
      expect(res.body.error.fields).toEqual([{ path: 'email', message: 'already taken' }]);
      // The same email in another tenant is someone else.
      expectStatus(await b.admin.post('/users', { email: 'new.rep@demo.test', name: 'Other Nina', role: 'rep', password: 'long-enough' }), 201);
    });

    it.each([
      ['a short password', { password: 'short' }, ['password']],
      ['a malformed email', { email: 'not-an-email' }, ['email']],
      ['an unknown role', { role: 'owner' }, ['role']],
      ['a negative capacity', { capacity: -1 }, ['capacity']],
      ['a capacity beyond any use', { capacity: 5_000_000_000 }, ['capacity']],
      ['a team of another tenant', { teamId: 'elsewhere' }, ['teamId']],
      ['a manager who is no user here', { managerId: 'elsewhere' }, ['managerId']],
    ])('refuses %s with 400 naming the field', async (_what, change, fields) => {
      expectFields(await a.admin.post('/users', { email: 'fresh@demo.test', name: 'Fresh', role: 'rep', password: 'long-enough', ...change }), fields);
    });

    it('changes placement and refuses management cycles', async () => {
      const rep = a.seeded.dataset.users.find((u) => u.email === 'rep2@demo.test')!;
      const moved = await a.admin.patch(`/users/${rep.id}`, { teamId: team(a, 'East').id, capacity: null, expectedVersion: (await a.admin.get(`/users/${rep.id}`)).body.version });
      expectStatus(moved, 200);
      expect((await auditOf(env(), a.tenantId, rep.id)).at(-1)).toMatchObject({ entityType: 'user', action: 'update', before: { teamId: team(a, 'West').id, capacity: 5000 }, after: { teamId: team(a, 'East').id, capacity: null } });
      expectStatus(await a.admin.patch(`/users/${rep.id}`, { name: 'Late', expectedVersion: 0 }), 409);
      // The manager reports to the admin; making the admin report to the manager would close a loop.
      expectFields(await a.admin.patch(`/users/${a.admin.userId}`, { managerId: a.manager.userId }), ['managerId']);
      expectFields(await a.admin.patch(`/users/${rep.id}`, { managerId: rep.id }), ['managerId']);
    });

    it('deactivates a user: their token stops working at once and they cannot sign in; the last admin stays', async () => {
      const rep = a.seeded.dataset.users.find((u) => u.email === 'rep2@demo.test')!;
      const session = await request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'rep2@demo.test', password: 'demo1234', tenant: 'admin-accounts-a' } });
      const me = () => request(env().app, 'GET', '/api/v1/me', { token: session.body.accessToken });
      expectStatus(await me(), 200);
      const res = await a.admin.patch(`/users/${rep.id}`, { active: false });
      expectStatus(res, 200);
      expectStatus(await me(), 401);
      expect(await signInStatus('rep2@demo.test', 'demo1234')).toBe(401);
      expectStatus(await a.admin.patch(`/users/${rep.id}`, { active: true }), 200);
      expect(await signInStatus('rep2@demo.test', 'demo1234')).toBe(200);

      const self = await a.admin.patch(`/users/${a.admin.userId}`, { active: false });
      expectStatus(self, 409);
      const demote = await a.admin.patch(`/users/${a.admin.userId}`, { role: 'manager' });
      expectStatus(demote, 409);
      expect(demote.body.error.message).toContain('last active admin');
    });

    it("resets a password: the old one stops working, the user's other sessions end, the caller's own goes on", async () => {
      const c = await seedAdminTenant(env(), 543, 'admin-accounts-c');
      const rep = c.seeded.dataset.users.find((u) => u.email === 'rep1@demo.test')!;
      expectFields(await c.admin.post(`/users/${rep.id}/password`, { password: 'short' }), ['password']);
      expectStatus(await c.admin.post(`/users/${rep.id}/password`, { password: 'a-new-password' }), 204);
      const signIn = (password: string) => request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'rep1@demo.test', password, tenant: 'admin-accounts-c' } });
      expectStatus(await signIn('demo1234'), 401);
      const fresh = await signIn('a-new-password');
      expectStatus(fresh, 200);
      expectStatus(await adminApi(env().app, fresh.body.accessToken, rep.id).get('/users'), 403);
      // The reset ended the session the rep had before.
      expectStatus(await request(env().app, 'GET', '/api/v1/me', { token: c.rep.token }), 401);
      expectStatus(await c.admin.post(`/users/${c.admin.userId}/password`, { password: 'admin-password' }), 204);
      expectStatus(await c.admin.get('/users'), 200);
      expect((await auditOf(env(), c.tenantId, rep.id)).at(-1)).toMatchObject({ action: 'update', after: { passwordReset: true } });
    });
  });

  describe('teams', () => {
    it('creates, renames and deletes an empty team; one anything refers to is refused with the counts', async () => {
      const created = await a.admin.post('/teams', { name: 'North', managerId: a.manager.userId });
      expectStatus(created, 201);
      expect(created.body).toMatchObject({ name: 'North', managerId: a.manager.userId, version: await tenantVersion(env(), a.tenantId) });
      const renamed = await a.admin.patch(`/teams/${created.body.id}`, { name: 'Nord', expectedVersion: created.body.version });
      expect(renamed.body.name).toBe('Nord');
      expectStatus(await a.admin.delete(`/teams/${created.body.id}?expectedVersion=${created.body.version}`), 409);
      expectStatus(await a.admin.delete(`/teams/${created.body.id}`), 204);
      expect((await auditOf(env(), a.tenantId, created.body.id)).map((e) => e.action)).toEqual(['create', 'update', 'delete']);

      const west = team(a, 'West');
      const res = await a.admin.delete(`/teams/${west.id}`);
      expectStatus(res, 409);
      expect(res.body.error.message).toMatch(/still referred to by \d+ users?/);
      expect(res.body.error.details.users).toBeGreaterThan(0);
    });

    it('refuses a manager who is no active user of the tenant', async () => {
      expectFields(await a.admin.post('/teams', { name: 'South', managerId: b.admin.userId }), ['managerId']);
      expectFields(await a.admin.post('/teams', { name: '' }), ['name']);
    });
  });

  describe('win/loss reasons', () => {
    it('creates and deletes an unused reason; one deals were closed with is deactivated instead', async () => {
      const created = await a.admin.post('/win-loss-reasons', { kind: 'lost', label: 'Timing' });
      expectStatus(created, 201);
      expect(created.body).toMatchObject({ kind: 'lost', label: 'Timing', active: true });
      expectStatus(await a.admin.delete(`/win-loss-reasons/${created.body.id}`), 204);

      const reason = a.seeded.dataset.winLossReasons.find((r) => r.kind === 'lost')!;
      await env().ctx.db.update(deals).set({ wonLostReasonId: reason.id }).where(eq(deals.id, a.seeded.dataset.deals[0]!.id));
      const refused = await a.admin.delete(`/win-loss-reasons/${reason.id}`);
      expectStatus(refused, 409);
      expect(refused.body.error.details.deals).toBeGreaterThan(0);
      expect((await a.admin.patch(`/win-loss-reasons/${reason.id}`, { active: false })).body.active).toBe(false);
      expectFields(await a.admin.post('/win-loss-reasons', { kind: 'draw', label: 'x' }), ['kind']);
      expectFields(await a.admin.patch(`/win-loss-reasons/${reason.id}`, { kind: 'won' }), ['kind']);
    });
  });

  describe('tenant settings', () => {
    it('reads and replaces the settings under optimistic concurrency, checking the fallback target', async () => {
      const current = await a.admin.get('/settings');
      expectStatus(current, 200);
      const next = { ...current.body.settings, leadRetentionDays: 90, distributionFallback: { kind: 'team', teamId: team(a, 'East').id } };
      const saved = await a.admin.put('/settings', { ...next, expectedVersion: current.body.version });
      expectStatus(saved, 200);
      expect(saved.body).toEqual({ settings: next, version: await tenantVersion(env(), a.tenantId) });
      expectStatus(await a.admin.put('/settings', { ...next, expectedVersion: current.body.version }), 409);
      expectFields(await a.admin.put('/settings', { ...next, distributionFallback: { kind: 'user', userId: b.admin.userId } }), ['distributionFallback.userId']);
      expectFields(await a.admin.put('/settings', { ...next, leadRetentionDays: 0 }), ['leadRetentionDays']);
      expect((await auditOf(env(), a.tenantId, a.tenantId)).at(-1)).toMatchObject({ after: { configType: 'tenantSettings', leadRetentionDays: 90 } });
    });
  });

  it('is users.manage / config.edit only, and another tenant’s users, teams and reasons are not found', async () => {
    for (const caller of [a.manager, a.rep]) {
      for (const path of ['/users', '/teams', '/win-loss-reasons', '/settings']) expectStatus(await caller.get(path), 403);
      expectStatus(await caller.post('/users', {}), 403);
    }
    const userB = b.admin.userId;
    const teamB = b.seeded.dataset.teams[0]!.id;
    const reasonB = b.seeded.dataset.winLossReasons[0]!.id;
    const digest = await tenantDigest(env(), b.tenantId);
    for (const res of [
      await a.admin.get(`/users/${userB}`),
      await a.admin.patch(`/users/${userB}`, { name: 'Stolen' }),
      await a.admin.post(`/users/${userB}/password`, { password: 'stolen-password' }),
      await a.admin.get(`/teams/${teamB}`),
      await a.admin.patch(`/teams/${teamB}`, { name: 'Stolen' }),
      await a.admin.delete(`/teams/${teamB}`),
      await a.admin.get(`/win-loss-reasons/${reasonB}`),
      await a.admin.patch(`/win-loss-reasons/${reasonB}`, { label: 'Stolen' }),
      await a.admin.delete(`/win-loss-reasons/${reasonB}`),
    ]) expectStatus(res, 404);
    expect((await a.admin.get('/users')).body.items.every((u: { tenantId: string }) => u.tenantId === a.tenantId)).toBe(true);
    expect(await tenantDigest(env(), b.tenantId)).toBe(digest);
  });
});
