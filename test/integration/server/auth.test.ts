// Sign-in, access tokens, refresh rotation with reuse detection, sign-out and device revocation.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ACCESS_TOKEN_TTL_MS, REFRESH_TOKEN_TTL_MS } from '../../../src-shared/http/auth.http';
import { users } from '../../../src-server/db/schema/accounts.table';
import { loadSigningKey } from '../../../src-server/auth/signing-key';
import { forEachDatabase } from '../../helpers/server-db';
import { as, request, seedTenant, signIn } from './api-client';

const A = 'auth-a';
const B = 'auth-b';

forEachDatabase('authentication', (env) => {
  let adminA = '';
  beforeAll(async () => {
    const a = await seedTenant(env(), 101, A);
    await seedTenant(env(), 102, B);
    adminA = a.dataset.users.find((u) => u.role === 'admin')!.id;
  });

  const refresh = (refreshToken: string) => request(env().app, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });

  describe('sign-in', () => {
    it('returns tokens, the user, the tenant and a new client id; the access token opens /me', async () => {
      const session = await signIn(env().app, 'manager@demo.test', { tenant: A });
      expect(session.tenant.slug).toBe(A);
      expect(session.user.email).toBe('manager@demo.test');
      expect(session.accessTokenExpiresAt).toBe(env().clock.now() - (env().clock.now() % 1000) + ACCESS_TOKEN_TTL_MS);
      const me = await as(env().app, session.accessToken).get('/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ user: { id: session.user.id }, tenant: { slug: A }, clientId: session.clientId, role: { name: 'manager', permissions: expect.arrayContaining(['leads.viewTeam', 'deals.approve']) } });
      expect(me.body.managedTeamIds).toHaveLength(2);
      expect(JSON.stringify(me.body)).not.toMatch(/argon2|password/i);
    });

    it('refuses a wrong password and an unknown email with the same 401', async () => {
      const wrong = await request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'rep2@demo.test', password: 'nope', tenant: A } });
      const unknown = await request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'ghost@demo.test', password: 'nope' } });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('matches the email without regard to case or surrounding spaces', async () => {
      const session = await signIn(env().app, '  Rep2@Demo.TEST ', { tenant: B });
      expect(session.tenant.slug).toBe(B);
    });

    it('asks which organisation when the same email and password open two, then signs into the one named', async () => {
      const res = await request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'rep1@demo.test', password: 'demo1234' } });
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([{ path: 'tenant', message: expect.stringContaining(`${A}, ${B}`) }]);
      const session = await signIn(env().app, 'rep1@demo.test', { tenant: B });
      expect(session.tenant.slug).toBe(B);
    });

    it('re-uses a client id it gave out to the same user, and refuses one of another user', async () => {
      const first = await signIn(env().app, 'rep2@demo.test', { tenant: A });
      const again = await signIn(env().app, 'rep2@demo.test', { tenant: A, clientId: first.clientId });
      expect(again.clientId).toBe(first.clientId);
      const other = await request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'rep1@demo.test', password: 'demo1234', tenant: A, clientId: first.clientId } });
      expect(other.status).toBe(409);
      expect(other.body.error.fields).toEqual([{ path: 'clientId', message: expect.any(String) }]);
    });

    it('slows password guessing per address and email with a 429 and Retry-After', async () => {
      const attempt = () => request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'guess@demo.test', password: 'x' } });
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await attempt()).status);
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      const limited = await attempt();
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('access tokens', () => {
    it('expire after 15 minutes by the server clock; refreshing gives a working one', async () => {
      const session = await signIn(env().app, 'admin@demo.test', { tenant: B });
      env().clock.advance(ACCESS_TOKEN_TTL_MS + 1000);
      expect((await as(env().app, session.accessToken).get('/api/v1/me')).status).toBe(401);
      const next = await refresh(session.refreshToken);
      expect(next.status).toBe(200);
      expect((await as(env().app, next.body.accessToken).get('/api/v1/me')).status).toBe(200);
    });

    it('stop working at once when the user is deactivated', async () => {
      const session = await signIn(env().app, 'manager@demo.test', { tenant: B });
      const userId = session.user.id;
      await env().ctx.db.update(users).set({ active: false }).where(eq(users.id, userId));
      try {
        expect((await as(env().app, session.accessToken).get('/api/v1/me')).status).toBe(401);
        expect((await refresh(session.refreshToken)).status).toBe(401);
      } finally {
        await env().ctx.db.update(users).set({ active: true }).where(eq(users.id, userId));
      }
    });

    it('are rejected when signed with another key', async () => {
      const session = await signIn(env().app, 'admin@demo.test', { tenant: A });
      const [header, payload] = session.accessToken.split('.');
      const forged = `${header}.${payload}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
      expect((await as(env().app, forged).get('/api/v1/me')).status).toBe(401);
    });
  });

  describe('refresh tokens', () => {
    it('rotate: each use returns a new pair and the spent token is refused', async () => {
      const session = await signIn(env().app, 'rep1@demo.test', { tenant: A });
      const next = await refresh(session.refreshToken);
      expect(next.status).toBe(200);
      expect(next.body.refreshToken).not.toBe(session.refreshToken);
      expect(next.body.clientId).toBe(session.clientId);
      const third = await refresh(next.body.refreshToken);
      expect(third.status).toBe(200);
    });

    it('reuse of a spent token revokes the whole family: the thief and the owner both have to sign in again', async () => {
      const session = await signIn(env().app, 'rep1@demo.test', { tenant: A });
      const rotated = await refresh(session.refreshToken);
      expect(rotated.status).toBe(200);
      const replay = await refresh(session.refreshToken);
      expect(replay.status).toBe(401);
      expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
      expect((await as(env().app, rotated.body.accessToken).get('/api/v1/me')).status).toBe(401);
    });

    it('two concurrent uses of one token: at most one succeeds and the family ends', async () => {
      const session = await signIn(env().app, 'rep2@demo.test', { tenant: B });
      const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
      const ok = results.filter((r) => r.status === 200);
      expect(ok.length).toBeLessThanOrEqual(1);
      expect(results.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
      for (const r of ok) expect((await refresh(r.body.refreshToken)).status).toBe(401);
    });

    it('expire after 30 days', async () => {
      const session = await signIn(env().app, 'admin@demo.test', { tenant: A });
      env().clock.advance(REFRESH_TOKEN_TTL_MS + 1000);
      expect((await refresh(session.refreshToken)).status).toBe(401);
    });

    it('refuses tokens it never issued', async () => {
      expect((await refresh('A'.repeat(43))).status).toBe(401);
    });
  });

  describe('sign-out', () => {
    it('ends the session (access and refresh) and leaves the user’s other sessions alone', async () => {
      const one = await signIn(env().app, 'manager@demo.test', { tenant: A });
      const two = await signIn(env().app, 'manager@demo.test', { tenant: A });
      const out = await as(env().app, one.accessToken).post('/api/v1/auth/sign-out');
      expect(out.status).toBe(204);
      expect((await as(env().app, one.accessToken).get('/api/v1/me')).status).toBe(401);
      expect((await refresh(one.refreshToken)).status).toBe(401);
      expect((await as(env().app, two.accessToken).get('/api/v1/me')).status).toBe(200);
    });

    it('with revokeDevice retires the client id: its other sessions end and it cannot sign in again', async () => {
      const one = await signIn(env().app, 'rep2@demo.test', { tenant: A });
      const sameDevice = await signIn(env().app, 'rep2@demo.test', { tenant: A, clientId: one.clientId });
      const out = await as(env().app, one.accessToken).post('/api/v1/auth/sign-out', { revokeDevice: true });
      expect(out.status).toBe(204);
      expect((await as(env().app, sameDevice.accessToken).get('/api/v1/me')).status).toBe(401);
      const again = await request(env().app, 'POST', '/api/v1/auth/sign-in', { body: { email: 'rep2@demo.test', password: 'demo1234', tenant: A, clientId: one.clientId } });
      expect(again.status).toBe(403);
      const fresh = await signIn(env().app, 'rep2@demo.test', { tenant: A });
      expect(fresh.clientId).not.toBe(one.clientId);
    });
  });

  it('keeps one signing key in the database, so every server process on it agrees', async () => {
    const [a, b] = await Promise.all([loadSigningKey(env().ctx.db, null, 0), loadSigningKey(env().ctx.db, null, 0)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(env().ctx.signingKey))).toBe(true);
    expect(adminA).not.toBe('');
  });
});
