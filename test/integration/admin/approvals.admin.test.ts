// Admin API of approval policies and delegations on both databases: validation, versions, audit, permissions, conflicts.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../../src-server/db/schema/accounts.table';
import { approvalPolicies, approvalRequests } from '../../../src-server/db/schema/approvals.table';
import { forEachDatabase } from '../../helpers/server-db';
import { auditOf, expectFields, expectStatus, seedAdminTenant, tenantDigest, tenantVersion } from './admin-fixtures';
import type { AdminTenant } from './admin-fixtures';

const level = (minAmountMinor: number, approver: object, extra: object = {}) => ({ minAmountMinor, approver, deadlineHours: 24, escalationTarget: null, timeoutAction: 'notify', ...extra });

forEachDatabase('admin: approval policies and delegations', (env) => {
  let a: AdminTenant;
  let b: AdminTenant;
  beforeAll(async () => {
    a = await seedAdminTenant(env(), 511, 'admin-approvals-a');
    b = await seedAdminTenant(env(), 512, 'admin-approvals-b');
  });
  const userOf = (t: AdminTenant, email: string) => t.seeded.dataset.users.find((u) => u.email === email)!;

  describe('approval policies', () => {
    it('creates a policy with its levels sorted by amount, configVersion 1, audited as configuration', async () => {
      const res = await a.admin.post('/approval-policies', {
        name: 'Discounts',
        levels: [level(50_000_00, { kind: 'role', role: 'admin' }), level(5_000_00, { kind: 'managerOfOwner' }, { escalationTarget: { kind: 'user', userId: a.admin.userId }, timeoutAction: 'reassign' })],
      });
      expectStatus(res, 201);
      expect(res.body).toMatchObject({ name: 'Discounts', configVersion: 1, version: await tenantVersion(env(), a.tenantId) });
      expect(res.body.levels.map((l: { minAmountMinor: number }) => l.minAmountMinor)).toEqual([5_000_00, 50_000_00]);
      const [entry] = await auditOf(env(), a.tenantId, res.body.id);
      expect(entry).toMatchObject({ entityType: 'config', action: 'create', actorId: a.admin.userId, after: { configType: 'approvalPolicy', name: 'Discounts' } });
      expect((await a.admin.get(`/approval-policies/${res.body.id}`)).body).toEqual(res.body);
      expect((await a.admin.get('/approval-policies')).body.items.map((p: { id: string }) => p.id)).toContain(res.body.id);
    });

    it('refuses approvers who are not active users of the tenant, naming each', async () => {
      const [inactive] = await env().ctx.db.update(users).set({ active: false }).where(eq(users.id, userOf(a, 'rep2@demo.test').id)).returning();
      const res = await a.admin.post('/approval-policies', {
        name: 'Bad approvers',
        levels: [
          level(0, { kind: 'user', userId: b.admin.userId }),
          level(1, { kind: 'user', userId: inactive!.id }, { escalationTarget: { kind: 'user', userId: 'nobody' } }),
        ],
      });
      expectFields(res, ['levels.0.approver.userId', 'levels.1.approver.userId', 'levels.1.escalationTarget.userId']);
      await env().ctx.db.update(users).set({ active: true }).where(eq(users.id, inactive!.id));
    });

    it.each([
      ['no levels', { name: 'x', levels: [] }, ['levels']],
      ['a negative threshold', { name: 'x', levels: [level(-1, { kind: 'managerOfOwner' })] }, ['levels.0.minAmountMinor']],
      ['an unknown approver kind', { name: 'x', levels: [level(0, { kind: 'boss' })] }, ['levels.0.approver.kind']],
      ['an unknown role', { name: 'x', levels: [level(0, { kind: 'role', role: 'boss' })] }, ['levels.0.approver.role']],
      ['a zero deadline', { name: 'x', levels: [level(0, { kind: 'managerOfOwner' }, { deadlineHours: 0 })] }, ['levels.0.deadlineHours']],
      ['an unknown timeout action', { name: 'x', levels: [level(0, { kind: 'managerOfOwner' }, { timeoutAction: 'ignore' })] }, ['levels.0.timeoutAction']],
    ])('refuses %s with 400 naming the field', async (_what, body, fields) => {
      expectFields(await a.admin.post('/approval-policies', body), fields);
    });

    it('bumps configVersion on every change and refuses a stale one', async () => {
      const created = (await a.admin.post('/approval-policies', { name: 'Bumps', levels: [level(0, { kind: 'managerOfOwner' })] })).body;
      const renamed = await a.admin.patch(`/approval-policies/${created.id}`, { name: 'Bumped', expectedConfigVersion: 1 });
      expectStatus(renamed, 200);
      expect(renamed.body).toMatchObject({ name: 'Bumped', configVersion: 2 });
      const relevelled = await a.admin.patch(`/approval-policies/${created.id}`, { levels: [level(10, { kind: 'role', role: 'manager' })], expectedConfigVersion: 2 });
      expect(relevelled.body.configVersion).toBe(3);
      const stale = await a.admin.patch(`/approval-policies/${created.id}`, { name: 'Late', expectedConfigVersion: 2 });
      expectStatus(stale, 409);
      expect(stale.body.error.details).toEqual({ configVersion: 3 });
      expect((await auditOf(env(), a.tenantId, created.id)).map((e) => e.action)).toEqual(['create', 'update', 'update']);
    });

    it('keeps levels fixed while requests are pending under the policy, and keeps a used policy from deletion', async () => {
      const created = (await a.admin.post('/approval-policies', { name: 'In use', levels: [level(0, { kind: 'managerOfOwner' })] })).body;
      const deal = a.seeded.dataset.deals[0]!;
      await env().ctx.db.insert(approvalRequests).values({
        id: `${created.id}:request`, tenantId: a.tenantId, dealId: deal.id, policyId: created.id, requestedBy: a.rep.userId,
        binding: { amountMinor: 1, discountPct: null, expectedCloseDate: null, targetStageId: deal.stageId }, levelIndexes: [0], currentStep: 0,
        approverId: a.manager.userId, dueAt: null, status: 'pending', createdAt: env().clock.now(), decidedAt: null,
      });
      const refused = await a.admin.patch(`/approval-policies/${created.id}`, { levels: [level(5, { kind: 'managerOfOwner' })] });
      expectStatus(refused, 409);
      expect(refused.body.error).toMatchObject({ message: expect.stringContaining('1 approval request is pending'), details: { pendingApprovals: 1 } });
      expectStatus(await a.admin.patch(`/approval-policies/${created.id}`, { name: 'Still in use' }), 200);
      const deleted = await a.admin.delete(`/approval-policies/${created.id}`);
      expectStatus(deleted, 409);
      expect(deleted.body.error.details).toEqual({ approvalRequests: 1 });
    });

    it('refuses deleting a policy stages need, and deletes an unused one', async () => {
      const gating = a.seeded.dataset.approvalPolicies[0]!;
      const res = await a.admin.delete(`/approval-policies/${gating.id}`);
      expectStatus(res, 409);
      expect(res.body.error.message).toContain('1 stage needs approval');
      const unused = (await a.admin.post('/approval-policies', { name: 'Unused', levels: [level(0, { kind: 'managerOfOwner' })] })).body;
      expectStatus(await a.admin.delete(`/approval-policies/${unused.id}?expectedConfigVersion=1`), 204);
      expect(await env().ctx.db.select().from(approvalPolicies).where(eq(approvalPolicies.id, unused.id))).toEqual([]);
      expect((await auditOf(env(), a.tenantId, unused.id)).at(-1)).toMatchObject({ action: 'delete', before: { configType: 'approvalPolicy', name: 'Unused' }, after: null });
    });

    it("is config.edit's alone, and another tenant's policy is not found", async () => {
      const policyB = b.seeded.dataset.approvalPolicies[0]!.id;
      for (const caller of [a.manager, a.rep]) {
        expectStatus(await caller.get('/approval-policies'), 403);
        expectStatus(await caller.post('/approval-policies', { name: 'x', levels: [] }), 403);
      }
      const digest = await tenantDigest(env(), b.tenantId);
      expectStatus(await a.admin.get(`/approval-policies/${policyB}`), 404);
      expectStatus(await a.admin.patch(`/approval-policies/${policyB}`, { name: 'Stolen' }), 404);
      expectStatus(await a.admin.delete(`/approval-policies/${policyB}`), 404);
      expect(await tenantDigest(env(), b.tenantId)).toBe(digest);
    });
  });

  describe('delegations', () => {
    const window = { startsAt: Date.UTC(2026, 1, 1), endsAt: Date.UTC(2026, 1, 15) };

    it('lets an admin delegate anyone’s approvals, and an approver their own only', async () => {
      const byAdmin = await a.admin.post('/delegations', { fromUserId: a.manager.userId, toUserId: a.admin.userId, ...window });
      expectStatus(byAdmin, 201);
      expect(byAdmin.body).toMatchObject({ fromUserId: a.manager.userId, toUserId: a.admin.userId, version: await tenantVersion(env(), a.tenantId) });
      const own = await a.manager.post('/delegations', { fromUserId: a.manager.userId, toUserId: userOf(a, 'rep2@demo.test').id, ...window });
      expectStatus(own, 201);
      expectStatus(await a.manager.post('/delegations', { fromUserId: a.admin.userId, toUserId: a.manager.userId, ...window }), 403);
      expectStatus(await a.rep.post('/delegations', { fromUserId: a.rep.userId, toUserId: a.manager.userId, ...window }), 403);
      expectStatus(await a.rep.get('/delegations'), 403);
      // The manager sees only their own delegations; one of someone else's does not exist for them.
      const other = await a.admin.post('/delegations', { fromUserId: a.admin.userId, toUserId: a.manager.userId, ...window });
      const mine = (await a.manager.get('/delegations')).body.items;
      expect(mine.every((d: { fromUserId: string }) => d.fromUserId === a.manager.userId)).toBe(true);
      expectStatus(await a.manager.get(`/delegations/${other.body.id}`), 404);
      expectStatus(await a.manager.delete(`/delegations/${other.body.id}`), 404);
      expect((await auditOf(env(), a.tenantId, own.body.id))[0]).toMatchObject({ entityType: 'config', action: 'create', actorId: a.manager.userId });
    });

    it.each([
      ['an end before its start', (t: AdminTenant) => ({ fromUserId: t.manager.userId, toUserId: t.admin.userId, startsAt: 10, endsAt: 5 }), ['endsAt']],
      ['oneself as the delegate', (t: AdminTenant) => ({ fromUserId: t.manager.userId, toUserId: t.manager.userId, ...window }), ['toUserId']],
      ['a delegate of another tenant', (t: AdminTenant) => ({ fromUserId: t.manager.userId, toUserId: b.admin.userId, ...window }), ['toUserId']],
      ['an unknown delegator', (t: AdminTenant) => ({ fromUserId: 'nobody', toUserId: t.admin.userId, ...window }), ['fromUserId']],
      ['a fractional instant', (t: AdminTenant) => ({ fromUserId: t.manager.userId, toUserId: t.admin.userId, startsAt: 1.5, endsAt: 5 }), ['startsAt']],
    ])('refuses %s with 400 naming the field', async (_what, body, fields) => {
      expectFields(await a.admin.post('/delegations', body(a)), fields);
    });

    it("answers 404 for another tenant's delegations, and changes nothing", async () => {
      const theirs = (await b.admin.post('/delegations', { fromUserId: b.manager.userId, toUserId: b.admin.userId, ...window })).body;
      const digest = await tenantDigest(env(), b.tenantId);
      expectStatus(await a.admin.get(`/delegations/${theirs.id}`), 404);
      expectStatus(await a.admin.patch(`/delegations/${theirs.id}`, { endsAt: window.endsAt + 1 }), 404);
      expectStatus(await a.admin.delete(`/delegations/${theirs.id}`), 404);
      expect((await a.admin.get('/delegations')).body.items.map((d: { id: string }) => d.id)).not.toContain(theirs.id);
      expect(await tenantDigest(env(), b.tenantId)).toBe(digest);
    });

    it('changes and deletes a delegation under optimistic concurrency', async () => {
      const created = (await a.admin.post('/delegations', { fromUserId: a.admin.userId, toUserId: a.manager.userId, ...window })).body;
      const moved = await a.admin.patch(`/delegations/${created.id}`, { endsAt: window.endsAt + 86_400_000, expectedVersion: created.version });
      expectStatus(moved, 200);
      expect(moved.body.version).toBeGreaterThan(created.version);
      expectFields(await a.admin.patch(`/delegations/${created.id}`, { endsAt: window.startsAt - 1 }), ['endsAt']);
      expectStatus(await a.admin.delete(`/delegations/${created.id}?expectedVersion=${created.version}`), 409);
      expectStatus(await a.admin.delete(`/delegations/${created.id}?expectedVersion=${moved.body.version}`), 204);
      expectStatus(await a.admin.get(`/delegations/${created.id}`), 404);
    });
  });
});
