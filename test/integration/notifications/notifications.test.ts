// Notifications on PGlite and PostgreSQL: stored per user, listed and read over REST, pushed over the WebSocket.
import { beforeAll, describe, expect, it } from 'vitest';
import { WS_CLOSE } from '../../../src-shared/http/notifications.http';
import { API_PREFIX } from '../../../src-server/app/server-areas';
import { nextVersion } from '../../../src-server/db/tenant-version';
import { insertNotifications } from '../../../src-server/notifications/notifications.repo';
import type { NotificationDraft } from '../../../src-server/notifications/notifications.repo';
import { distributeLeadJob } from '../../../src-server/jobs/distribution.jobs';
import { ACCESS_TOKEN_TTL_MS } from '../../../src-shared/http/auth.http';
import { forEachDatabase } from '../../helpers/server-db';
import { as, seedTenant, signIn } from '../server/api-client';
import { insertLead, insertRule, jobContext } from '../jobs/jobs-fixtures';
import { connectWs } from './ws-client';
import { notify } from './notifications-fixtures';

forEachDatabase('notifications', (env) => {
  let wsBase = '';
  let tenantId = '';
  let otherTenantId = '';
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const url = await env().app.listen({ port: 0, host: '127.0.0.1' });
    wsBase = `${url.replace(/^http/, 'ws')}${API_PREFIX}/ws`;
    const seeded = await seedTenant(env(), 701, 'notif-a', { leads: 2, deals: 1 });
    const other = await seedTenant(env(), 702, 'notif-b', { leads: 2, deals: 1 });
    tenantId = seeded.tenantId;
    otherTenantId = other.tenantId;
    for (const who of ['rep1', 'rep2', 'manager'] as const) {
      ids[who] = seeded.dataset.users.find((u) => u.email === `${who}@demo.test`)!.id;
      tokens[who] = (await signIn(env().app, `${who}@demo.test`, { tenant: 'notif-a' })).accessToken;
    }
    ids.otherRep1 = other.dataset.users.find((u) => u.email === 'rep1@demo.test')!.id;
    tokens.otherRep1 = (await signIn(env().app, 'rep1@demo.test', { tenant: 'notif-b' })).accessToken;
  });

  const draft = (userId: string, title: string, t = tenantId): NotificationDraft => ({ tenantId: t, userId, kind: 'assignment', title, entityType: 'lead', entityId: 'lead-x' });

  describe('REST', () => {
    it('lists only the caller’s own notifications, newest first, with the unread filter and count', async () => {
      const now = env().clock.now();
      await notify(env().ctx.db, now, [draft(ids.rep1!, 'first')]);
      await notify(env().ctx.db, now + 1, [draft(ids.rep1!, 'second'), draft(ids.rep2!, 'for rep2')]);
      const list = await as(env().app, tokens.rep1!).get(`${API_PREFIX}/notifications`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((n: { title: string }) => n.title)).toEqual(['second', 'first']);
      expect(list.body.items.every((n: { userId: string }) => n.userId === ids.rep1)).toBe(true);
      expect(list.body.unreadCount).toBe(2);

      const first = list.body.items[1];
      const read = await as(env().app, tokens.rep1!).post(`${API_PREFIX}/notifications/${first.id}/read`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: first.id, readAt: env().clock.now() });
      expect(read.body.version).toBeGreaterThan(first.version);
      const unread = await as(env().app, tokens.rep1!).get(`${API_PREFIX}/notifications?unread=true`);
      expect(unread.body.items.map((n: { title: string }) => n.title)).toEqual(['second']);
      expect(unread.body.unreadCount).toBe(1);
    });

    it("refuses to read or mark someone else's notification, as if it did not exist", async () => {
      const [id] = await notify(env().ctx.db, env().clock.now(), [draft(ids.rep2!, 'private')]);
      expect((await as(env().app, tokens.rep1!).post(`${API_PREFIX}/notifications/${id}/read`)).status).toBe(404);
      expect((await as(env().app, tokens.otherRep1!).post(`${API_PREFIX}/notifications/${id}/read`)).status).toBe(404);
      expect((await as(env().app, tokens.rep1!).get(`${API_PREFIX}/notifications?unread=maybe`)).status).toBe(400);
      expect((await as(env().app, 'not-a-token').get(`${API_PREFIX}/notifications`)).status).toBe(401);
    });
  });

  describe('WebSocket', () => {
    it("pushes a user's notifications to their sockets only, after commit, never after a rollback", async () => {
      const rep1 = connectWs(`${wsBase}?token=${tokens.rep1}`);
      const rep2 = connectWs(`${wsBase}?token=${tokens.rep2}`);
      const other = connectWs(`${wsBase}?token=${tokens.otherRep1}`);
      try {
        await Promise.all([rep1.next('ready'), rep2.next('ready'), other.next('ready')]);
        await env().ctx.db.transaction(async (tx) => {
          await insertNotifications(tx, [draft(ids.rep1!, 'rolled back')], { now: env().clock.now(), version: await nextVersion(tx, tenantId), newId: () => crypto.randomUUID() });
          tx.rollback();
        }).catch(() => {});
        await notify(env().ctx.db, env().clock.now(), [draft(ids.rep1!, 'for rep1')]);
        await notify(env().ctx.db, env().clock.now(), [draft(ids.otherRep1!, 'other tenant', otherTenantId)]);
        await notify(env().ctx.db, env().clock.now(), [draft(ids.rep2!, 'for rep2')]);

        const got1 = await rep1.next('notification');
        expect(got1.notification).toMatchObject({ userId: ids.rep1, title: 'for rep1', kind: 'assignment', readAt: null });
        // Events arrive in commit order, so by the time each socket has its own, it would have had the others.
        expect((await rep2.next('notification')).notification.title).toBe('for rep2');
        expect((await other.next('notification')).notification.title).toBe('other tenant');
        for (const c of [rep1, rep2, other]) expect(c.messages.filter((m) => m.type === 'notification')).toHaveLength(1);
      } finally {
        for (const c of [rep1, rep2, other]) c.close();
      }
    });

    it('pushes the assignment a distribution job makes to the assignee', async () => {
      const manager = connectWs(wsBase);
      try {
        manager.send({ type: 'auth', token: tokens.manager });
        await manager.next('ready');
        await insertRule(env().ctx.db, tenantId, { id: `${tenantId}-ws-rule`, method: 'roundRobin', memberIds: [ids.manager!] });
        const lead = await insertLead(env().ctx.db, tenantId, env().clock.now(), { firstName: 'Wanda', lastName: 'Socket' });
        await distributeLeadJob(jobContext(env()), { tenantId, leadId: lead.id });
        const pushed = await manager.next('notification', (m) => m.notification.entityId === lead.id);
        expect(pushed.notification).toMatchObject({ kind: 'assignment', title: 'New lead assigned to you: Wanda Socket', entityType: 'lead' });
      } finally {
        manager.close();
      }
    });

    it('refuses a socket with a bad token, a bad first message, or no token in time; answers ping', async () => {
      const bad = connectWs(`${wsBase}?token=forged`);
      expect(await bad.next('error')).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await bad.closed).toBe(WS_CLOSE.UNAUTHENTICATED);

      const garbage = connectWs(wsBase);
      garbage.send({ type: 'hello' });
      expect(await garbage.closed).toBe(WS_CLOSE.BAD_MESSAGE);

      const pinger = connectWs(`${wsBase}?token=${tokens.rep1}`);
      await pinger.next('ready');
      pinger.send({ type: 'ping' });
      await pinger.next('pong');
      pinger.close();
    });

    it('closes the socket when its access token expires', async () => {
      // The server's clock says the token has 200 ms left, so the socket closes 200 ms from now.
      env().clock.advance(ACCESS_TOKEN_TTL_MS - 200);
      try {
        const c = connectWs(`${wsBase}?token=${tokens.rep1}`);
        await c.next('ready');
        expect(await c.next('error')).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('expired') });
        expect(await c.closed).toBe(WS_CLOSE.UNAUTHENTICATED);
      } finally {
        env().clock.advance(-(ACCESS_TOKEN_TTL_MS - 200));
      }
    });
  });
});
