// Admin API of distribution rules, the scoring configuration and nurture sequences on both databases.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEFAULT_SCORING_CONFIG } from '../../../src-shared/domain/lead-scoring';
import { users } from '../../../src-server/db/schema/accounts.table';
import { nurtureEnrollments, scoringConfigs } from '../../../src-server/db/schema/automation.table';
import { forEachDatabase } from '../../helpers/server-db';
import { auditOf, expectFields, expectStatus, seedAdminTenant, tenantDigest, tenantVersion } from './admin-fixtures';
import type { AdminTenant } from './admin-fixtures';

forEachDatabase('admin: distribution, scoring, nurturing', (env) => {
  let a: AdminTenant;
  let b: AdminTenant;
  beforeAll(async () => {
    a = await seedAdminTenant(env(), 521, 'admin-auto-a');
    b = await seedAdminTenant(env(), 522, 'admin-auto-b');
  });
  const reps = () => a.seeded.dataset.users.filter((u) => u.role === 'rep').map((u) => u.id);

  describe('distribution rules', () => {
    const rule = (name: string, extra: object = {}) => ({ name, method: 'roundRobin', memberIds: reps(), filters: [{ field: 'country', op: 'in', values: ['DE'] }], ...extra });

    it('creates rules in order (inserting shifts the later ones), reorders them as a whole, and closes gaps on delete', async () => {
      const first = await a.admin.post('/distribution-rules', rule('Germany'));
      expectStatus(first, 201);
      expect(first.body).toMatchObject({ name: 'Germany', position: 0, active: true, version: await tenantVersion(env(), a.tenantId) });
      const second = (await a.admin.post('/distribution-rules', rule('France', { method: 'leastBusy' }))).body;
      const inserted = await a.admin.post('/distribution-rules', rule('VIP', { position: 0, method: 'capacityWeighted' }));
      expect(inserted.body.position).toBe(0);
      const names = async () => (await a.admin.get('/distribution-rules')).body.items.map((r: { name: string; position: number }) => `${r.position}:${r.name}`);
      expect(await names()).toEqual(['0:VIP', '1:Germany', '2:France']);

      const order = await a.admin.put('/distribution-rules/order', { ruleIds: [second.id, first.body.id, inserted.body.id] });
      expectStatus(order, 200);
      expect(order.body.items.map((r: { name: string }) => r.name)).toEqual(['France', 'Germany', 'VIP']);
      expectFields(await a.admin.put('/distribution-rules/order', { ruleIds: [second.id, second.id, inserted.body.id] }), ['ruleIds.1', 'ruleIds']);

      expectStatus(await a.admin.delete(`/distribution-rules/${second.id}`), 204);
      expect(await names()).toEqual(['0:Germany', '1:VIP']);
      expect((await auditOf(env(), a.tenantId, second.id)).map((e) => e.action)).toEqual(['create', 'delete']);
    });

    it('takes only active users of the tenant as members, naming each that is not', async () => {
      const [inactive] = await env().ctx.db.update(users).set({ active: false }).where(eq(users.id, reps()[1]!)).returning();
      expectFields(await a.admin.post('/distribution-rules', rule('Bad', { memberIds: [reps()[0], inactive!.id, b.admin.userId] })), ['memberIds.1', 'memberIds.2']);
      await env().ctx.db.update(users).set({ active: true }).where(eq(users.id, inactive!.id));
    });

    it.each([
      ['no members', { name: 'x', method: 'roundRobin', memberIds: [] }, ['memberIds']],
      ['a member twice', { name: 'x', method: 'roundRobin', memberIds: ['u', 'u'] }, ['memberIds']],
      ['an unknown method', { name: 'x', method: 'random', memberIds: ['u'] }, ['method']],
      ['a filter on an unknown field', { name: 'x', method: 'roundRobin', memberIds: ['u'], filters: [{ field: 'salary', op: 'eq', values: [] }] }, ['filters.0.field']],
      ['a position past the end', { name: 'x', method: 'roundRobin', memberIds: ['u'], position: 10_001 }, ['position']],
    ])('refuses %s with 400 naming the field', async (_what, body, fields) => {
      expectFields(await a.admin.post('/distribution-rules', body), fields);
    });

    it('changes a rule under optimistic concurrency', async () => {
      const created = (await a.admin.post('/distribution-rules', rule('Changing'))).body;
      const changed = await a.admin.patch(`/distribution-rules/${created.id}`, { active: false, memberIds: [reps()[0]], expectedVersion: created.version });
      expectStatus(changed, 200);
      expect(changed.body).toMatchObject({ active: false, memberIds: [reps()[0]] });
      expect((await auditOf(env(), a.tenantId, created.id)).at(-1)).toMatchObject({ before: { configType: 'distributionRule', active: true }, after: { active: false } });
      expectStatus(await a.admin.patch(`/distribution-rules/${created.id}`, { name: 'Late', expectedVersion: created.version }), 409);
    });
  });

  describe('scoring configuration', () => {
    const config = () => {
      const { tenantId: _t, configVersion: _c, ...rest } = DEFAULT_SCORING_CONFIG('x');
      return rest;
    };

    it('reads the default until one is saved, then replaces it whole with configVersion bumped, audited', async () => {
      const initial = await a.admin.get('/scoring-config');
      expectStatus(initial, 200);
      expect(initial.body).toMatchObject({ tenantId: a.tenantId, version: expect.any(Number) });
      const saved = await a.admin.put('/scoring-config', { ...config(), maxEngagementPoints: 37, expectedConfigVersion: initial.body.configVersion });
      expectStatus(saved, 200);
      expect(saved.body).toMatchObject({ maxEngagementPoints: 37, configVersion: initial.body.configVersion + 1, version: await tenantVersion(env(), a.tenantId) });
      expect((await a.admin.get('/scoring-config')).body).toEqual(saved.body);
      expect((await auditOf(env(), a.tenantId, a.tenantId)).at(-1)).toMatchObject({
        entityType: 'config', action: 'update', after: { configType: 'scoringConfig', maxEngagementPoints: 37, configVersion: saved.body.configVersion },
      });
      const stale = await a.admin.put('/scoring-config', { ...config(), expectedConfigVersion: initial.body.configVersion });
      expectStatus(stale, 409);
      expect(stale.body.error.details).toEqual({ configVersion: saved.body.configVersion });
    });

    it('starts from version 0 for a tenant that never saved one', async () => {
      const c = await seedAdminTenant(env(), 523, 'admin-auto-c');
      await env().ctx.db.delete(scoringConfigs).where(eq(scoringConfigs.tenantId, c.tenantId));
      expect((await c.admin.get('/scoring-config')).body).toMatchObject({ ...DEFAULT_SCORING_CONFIG(c.tenantId), version: 0 });
      const saved = await c.admin.put('/scoring-config', config());
      expect(saved.body.configVersion).toBe(DEFAULT_SCORING_CONFIG(c.tenantId).configVersion + 1);
      expect((await auditOf(env(), c.tenantId, c.tenantId)).at(-1)!.action).toBe('create');
    });

    it.each([
      ['a fractional half-life', { engagementHalfLifeDays: 1.5 }, ['engagementHalfLifeDays']],
      ['two fit rules with one key', { fitRules: [...config().fitRules, config().fitRules[0]] }, ['fitRules']],
      ['fit points over 100', { fitRules: [{ ...config().fitRules[0], points: 101 }] }, ['fitRules.0.points']],
      ['an unknown activity kind', { engagementRules: [{ kind: 'tweet', points: 1 }] }, ['engagementRules.0.kind']],
      ['no predictive fields', { predictive: { fields: [], minSamples: 1, smoothing: 1 } }, ['predictive.fields']],
      ['a tenant id of its own', { tenantId: 'elsewhere' }, ['tenantId']],
    ])('refuses %s with 400 naming the field', async (_what, change, fields) => {
      expectFields(await a.admin.put('/scoring-config', { ...config(), ...change }), fields);
    });
  });

  describe('nurture sequences', () => {
    const sequence = (name: string) => ({
      name, enrollStatuses: ['NEW'], steps: [{ kind: 'email', waitHours: 0, subject: 'Hello {{firstName}}', body: 'Welcome' }, { kind: 'task', waitHours: 48, subject: 'Call', body: null }],
    });

    it('creates, changes and deletes a sequence; one leads were enrolled in is deactivated instead', async () => {
      const created = await a.admin.post('/nurture-sequences', sequence('Welcome'));
      expectStatus(created, 201);
      expect(created.body).toMatchObject({ name: 'Welcome', active: true, enrollFilters: [], version: await tenantVersion(env(), a.tenantId) });
      const changed = await a.admin.patch(`/nurture-sequences/${created.body.id}`, { steps: [sequence('x').steps[0]], expectedVersion: created.body.version });
      expectStatus(changed, 200);
      expect(changed.body.steps).toHaveLength(1);

      await env().ctx.db.insert(nurtureEnrollments).values({
        id: `${created.body.id}:enrolment`, tenantId: a.tenantId, sequenceId: created.body.id, leadId: a.seeded.dataset.leads[0]!.id,
        stepIndex: 0, status: 'completed', stopReason: null, nextRunAt: null, enrolledAt: env().clock.now(),
      });
      const refused = await a.admin.delete(`/nurture-sequences/${created.body.id}`);
      expectStatus(refused, 409);
      expect(refused.body.error).toMatchObject({ message: expect.stringContaining('1 lead was enrolled'), details: { enrollments: 1 } });
      expectStatus(await a.admin.patch(`/nurture-sequences/${created.body.id}`, { active: false }), 200);

      const spare = (await a.admin.post('/nurture-sequences', sequence('Spare'))).body;
      expectStatus(await a.admin.delete(`/nurture-sequences/${spare.id}`), 204);
      expect((await auditOf(env(), a.tenantId, spare.id)).map((e) => e.action)).toEqual(['create', 'delete']);
    });

    it.each([
      ['no steps', { ...sequence('x'), steps: [] }, ['steps']],
      ['no enrolment status', { ...sequence('x'), enrollStatuses: [] }, ['enrollStatuses']],
      ['an unknown status', { ...sequence('x'), enrollStatuses: ['WARM'] }, ['enrollStatuses.0']],
      ['a step of an unknown kind', { ...sequence('x'), steps: [{ kind: 'sms', waitHours: 0, subject: 's', body: 'b' }] }, ['steps.0.kind']],
      ['a negative wait', { ...sequence('x'), steps: [{ kind: 'email', waitHours: -1, subject: 's', body: 'b' }] }, ['steps.0.waitHours']],
    ])('refuses %s with 400 naming the field', async (_what, body, fields) => {
      expectFields(await a.admin.post('/nurture-sequences', body), fields);
    });
  });

  it("is config.edit's alone, and another tenant's records are not found", async () => {
    const bRule = (await b.admin.post('/distribution-rules', { name: 'B', method: 'roundRobin', memberIds: [b.admin.userId] })).body;
    const bSequence = (await b.admin.post('/nurture-sequences', { name: 'B', enrollStatuses: ['NEW'], steps: [{ kind: 'task', waitHours: 0, subject: 's', body: null }] })).body;
    for (const caller of [a.manager, a.rep]) {
      for (const path of ['/distribution-rules', '/scoring-config', '/nurture-sequences']) expectStatus(await caller.get(path), 403);
      expectStatus(await caller.put('/scoring-config', {}), 403);
    }
    const digest = await tenantDigest(env(), b.tenantId);
    for (const res of [
      await a.admin.get(`/distribution-rules/${bRule.id}`),
      await a.admin.patch(`/distribution-rules/${bRule.id}`, { name: 'Stolen' }),
      await a.admin.delete(`/distribution-rules/${bRule.id}`),
      await a.admin.get(`/nurture-sequences/${bSequence.id}`),
      await a.admin.patch(`/nurture-sequences/${bSequence.id}`, { name: 'Stolen' }),
      await a.admin.delete(`/nurture-sequences/${bSequence.id}`),
    ]) expectStatus(res, 404);
    // Another tenant's rule is not part of this tenant's order.
    expectFields(await a.admin.put('/distribution-rules/order', { ruleIds: [bRule.id] }), ['ruleIds.0']);
    expect(await tenantDigest(env(), b.tenantId)).toBe(digest);
  });
});
