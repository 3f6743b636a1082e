// Admin API of pipelines, stages and transition rules on both databases: versions, audit, permissions, tenancy, conflicts.
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { deals, pipelines, stages, stageTransitionRules } from '../../../src-server/db/schema/deals.table';
import { forEachDatabase } from '../../helpers/server-db';
import { auditOf, expectFields, expectStatus, grant, seedAdminTenant, tenantDigest, tenantVersion } from './admin-fixtures';
import type { AdminTenant } from './admin-fixtures';

const stage = (name: string, probability: number, kind: 'open' | 'won' | 'lost' = 'open') => ({ name, probability, kind });

forEachDatabase('admin: pipelines, stages, transition rules', (env) => {
  let a: AdminTenant;
  let b: AdminTenant;
  beforeAll(async () => {
    a = await seedAdminTenant(env(), 501, 'admin-pipes-a');
    b = await seedAdminTenant(env(), 502, 'admin-pipes-b');
  });

  const createPipeline = async (name: string, extra: object = {}) => {
    const res = await a.admin.post('/pipelines', { name, stages: [stage('New', 10), stage('Talking', 40), stage('Won', 100, 'won'), stage('Lost', 0, 'lost')], ...extra });
    expectStatus(res, 201);
    return res.body;
  };

  describe('pipelines', () => {
    it('creates a pipeline with its stages in board order, version-stamped and audited', async () => {
      const before = await tenantVersion(env(), a.tenantId);
      const p = await createPipeline('Partners');
      expect(p).toMatchObject({ name: 'Partners', configVersion: 1, currency: 'EUR', transitionMode: 'any', version: before + 1 });
      expect(p.access.editRoles).toEqual(['admin']);
      expect(p.stages.map((s: { name: string; position: number; fold: boolean }) => [s.name, s.position, s.fold])).toEqual([['New', 0, false], ['Talking', 1, false], ['Won', 2, true], ['Lost', 3, true]]);
      expect(p.stages.every((s: { version: number }) => s.version === before + 1)).toBe(true);
      const audit = await auditOf(env(), a.tenantId, p.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ entityType: 'pipeline', action: 'create', actorId: a.admin.userId, before: null, version: before + 1 });
      expect((audit[0]!.after as { stages: unknown[] }).stages).toHaveLength(4);
      expect((await a.admin.get(`/pipelines/${p.id}`)).body).toEqual(p);
      expect((await a.admin.get('/pipelines')).body.items.map((x: { id: string }) => x.id)).toContain(p.id);
    });

    it('updates a pipeline: configVersion bumps, a stale expectedConfigVersion is refused with nothing written', async () => {
      const p = await createPipeline('Channel');
      const res = await a.admin.patch(`/pipelines/${p.id}`, { name: 'Channel sales', transitionMode: 'rules', expectedConfigVersion: 1 });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ name: 'Channel sales', transitionMode: 'rules', configVersion: 2, version: await tenantVersion(env(), a.tenantId) });
      const audit = await auditOf(env(), a.tenantId, p.id);
      expect(audit.at(-1)).toMatchObject({ action: 'update', before: { name: 'Channel', transitionMode: 'any', configVersion: 1 }, after: { name: 'Channel sales', transitionMode: 'rules', configVersion: 2 } });

      const digest = await tenantDigest(env(), a.tenantId);
      const stale = await a.admin.patch(`/pipelines/${p.id}`, { name: 'Again', expectedConfigVersion: 1 });
      expectStatus(stale, 409);
      expect(stale.body.error).toMatchObject({ code: 'CONFLICT', details: { configVersion: 2 } });
      expect(await tenantDigest(env(), a.tenantId)).toBe(digest);
    });

    it.each([
      ['no name', {}, ['name']],
      ['an empty name', { name: ' ' }, ['name']],
      ['a lower-case currency', { name: 'x', currency: 'eur' }, ['currency']],
      ['an unknown transition mode', { name: 'x', transitionMode: 'some' }, ['transitionMode']],
      ['an unknown role in the access rules', { name: 'x', access: { viewRoles: ['boss'], viewTeamIds: [], moveRoles: [], editRoles: ['admin'] } }, ['access.viewRoles.0']],
      ['a repeated role', { name: 'x', access: { viewRoles: ['rep', 'rep'], viewTeamIds: [], moveRoles: [], editRoles: ['admin'] } }, ['access.viewRoles']],
      ['a stage without probability', { name: 'x', stages: [{ name: 'a' }] }, ['stages.0.probability']],
      ['a probability over 100', { name: 'x', stages: [stage('a', 101)] }, ['stages.0.probability']],
      ['rotting days of zero', { name: 'x', stages: [{ ...stage('a', 1), rottingDays: 0 }] }, ['stages.0.rottingDays']],
      ['an unknown required field', { name: 'x', stages: [{ ...stage('a', 1), requiredFields: ['budget'] }] }, ['stages.0.requiredFields.0']],
      ['a field it does not know', { name: 'x', colour: 'red' }, ['colour']],
    ])('refuses %s with 400 naming the field', async (_what, body, fields) => {
      expectFields(await a.admin.post('/pipelines', body), fields);
    });

    it('refuses references outside the tenant: a team in the access rules, an approval policy on a stage', async () => {
      const otherTeam = b.seeded.dataset.teams[0]!.id;
      const otherPolicy = b.seeded.dataset.approvalPolicies[0]!.id;
      const res = await a.admin.post('/pipelines', {
        name: 'Leaky',
        access: { viewRoles: ['admin'], viewTeamIds: [otherTeam], moveRoles: ['admin'], editRoles: ['admin'] },
        stages: [{ ...stage('a', 1), approvalPolicyId: otherPolicy }],
      });
      expectFields(res, ['access.viewTeamIds.0', 'stages.0.approvalPolicyId']);
    });

    it('refuses a currency change while the pipeline holds deals, naming how many', async () => {
      const sales = a.seeded.dataset.pipelines[0]!;
      const held = (await env().ctx.db.select().from(deals).where(eq(deals.pipelineId, sales.id))).length;
      expect(held).toBeGreaterThan(0);
      const res = await a.admin.patch(`/pipelines/${sales.id}`, { currency: 'USD' });
      expectStatus(res, 409);
      expect(res.body.error.message).toContain(`${held} deal`);
      expect(res.body.error.details).toEqual({ deals: held });
    });

    it('deletes an empty pipeline with its stages and rules; one with deals is refused with the count', async () => {
      const p = await createPipeline('Short-lived');
      expectStatus(await a.admin.post(`/pipelines/${p.id}/transition-rules`, { fromStageId: null, toStageId: p.stages[2].id, effect: 'deny' }), 201);
      expectStatus(await a.admin.delete(`/pipelines/${p.id}?expectedConfigVersion=1`), 409);
      expectStatus(await a.admin.delete(`/pipelines/${p.id}?expectedConfigVersion=2`), 204);
      expect(await env().ctx.db.select().from(stages).where(eq(stages.pipelineId, p.id))).toEqual([]);
      expect(await env().ctx.db.select().from(stageTransitionRules).where(eq(stageTransitionRules.pipelineId, p.id))).toEqual([]);
      expectStatus(await a.admin.get(`/pipelines/${p.id}`), 404);
      expect((await auditOf(env(), a.tenantId, p.id)).at(-1)).toMatchObject({ action: 'delete', after: null });

      const sales = a.seeded.dataset.pipelines[0]!;
      const res = await a.admin.delete(`/pipelines/${sales.id}`);
      expectStatus(res, 409);
      expect(res.body.error.message).toMatch(/holds \d+ deals?/);
      expect(await env().ctx.db.select().from(pipelines).where(eq(pipelines.id, sales.id))).toHaveLength(1);
    });
  });

  describe('stages', () => {
    it('adds a stage at a position: later stages move down, the pipeline configVersion bumps, the change is audited', async () => {
      const p = await createPipeline('Inserts');
      const res = await a.admin.post(`/pipelines/${p.id}/stages`, { ...stage('Demo', 30), rottingDays: 14, requiredFields: ['amountMinor'], position: 1, expectedConfigVersion: 1 });
      expectStatus(res, 201);
      const version = await tenantVersion(env(), a.tenantId);
      expect(res.body).toMatchObject({ name: 'Demo', position: 1, rottingDays: 14, requiredFields: ['amountMinor'], fold: false, version });
      const detail = (await a.admin.get(`/pipelines/${p.id}`)).body;
      expect(detail.configVersion).toBe(2);
      expect(detail.stages.map((s: { name: string }) => s.name)).toEqual(['New', 'Demo', 'Talking', 'Won', 'Lost']);
      expect(detail.stages.map((s: { position: number }) => s.position)).toEqual([0, 1, 2, 3, 4]);
      // Every stage whose position changed carries the new change version, so sync pulls it.
      expect(detail.stages.filter((s: { name: string }) => s.name !== 'New').every((s: { version: number }) => s.version === version)).toBe(true);
      expect((await auditOf(env(), a.tenantId, p.id)).at(-1)).toMatchObject({ action: 'update', before: { stage: null, configVersion: 1 }, after: { stage: { name: 'Demo' }, configVersion: 2 } });
    });

    it('refuses a position past the end, and an approval policy of another tenant', async () => {
      const p = await createPipeline('Bad stages');
      expectFields(await a.admin.post(`/pipelines/${p.id}/stages`, { ...stage('x', 1), position: 5 }), ['position']);
      expectFields(await a.admin.post(`/pipelines/${p.id}/stages`, { ...stage('x', 1), approvalPolicyId: b.seeded.dataset.approvalPolicies[0]!.id }), ['approvalPolicyId']);
      const ok = await a.admin.post(`/pipelines/${p.id}/stages`, { ...stage('Gated', 60), approvalPolicyId: a.seeded.dataset.approvalPolicies[0]!.id });
      expectStatus(ok, 201);
      expect(ok.body.position).toBe(4);
    });

    it('changes a stage; its kind cannot change while it holds deals', async () => {
      const p = await createPipeline('Kinds');
      const res = await a.admin.patch(`/stages/${p.stages[1].id}`, { probability: 55, fold: true, expectedConfigVersion: 1 });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ probability: 55, fold: true });
      expectStatus(await a.admin.patch(`/stages/${p.stages[1].id}`, { kind: 'won' }), 200);

      const occupied = a.seeded.dataset.deals[0]!.stageId;
      const held = (await env().ctx.db.select().from(deals).where(eq(deals.stageId, occupied))).length;
      const kind = a.seeded.dataset.stages.find((s) => s.id === occupied)!.kind;
      const refused = await a.admin.patch(`/stages/${occupied}`, { kind: kind === 'lost' ? 'won' : 'lost' });
      expectStatus(refused, 409);
      expect(refused.body.error.details).toEqual({ deals: held });
    });

    it('deletes an empty stage (positions close up, rules about it go); a stage with deals is refused with the count', async () => {
      const p = await createPipeline('Deletes');
      expectStatus(await a.admin.post(`/pipelines/${p.id}/transition-rules`, { fromStageId: p.stages[0].id, toStageId: p.stages[1].id, effect: 'deny' }), 201);
      expectStatus(await a.admin.delete(`/stages/${p.stages[1].id}?expectedConfigVersion=2`), 204);
      const detail = (await a.admin.get(`/pipelines/${p.id}`)).body;
      expect(detail.stages.map((s: { name: string; position: number }) => [s.name, s.position])).toEqual([['New', 0], ['Won', 1], ['Lost', 2]]);
      expect(detail.rules).toEqual([]);
      expect(detail.configVersion).toBe(3);

      const occupied = a.seeded.dataset.deals[0]!.stageId;
      const held = (await env().ctx.db.select().from(deals).where(and(eq(deals.tenantId, a.tenantId), eq(deals.stageId, occupied)))).length;
      const res = await a.admin.delete(`/stages/${occupied}`);
      expectStatus(res, 409);
      expect(res.body.error.message).toContain(held === 1 ? '1 deal is' : `${held} deals are`);
      expect(await env().ctx.db.select().from(stages).where(eq(stages.id, occupied))).toHaveLength(1);
    });

    it('reorders every stage of a pipeline in one request', async () => {
      const p = await createPipeline('Order');
      const ids = p.stages.map((s: { id: string }) => s.id);
      const res = await a.admin.put(`/pipelines/${p.id}/stage-order`, { stageIds: [ids[1], ids[0], ids[3], ids[2]], expectedConfigVersion: 1 });
      expectStatus(res, 200);
      expect(res.body.configVersion).toBe(2);
      expect(res.body.stages.map((s: { name: string }) => s.name)).toEqual(['Talking', 'New', 'Lost', 'Won']);
      expect((await auditOf(env(), a.tenantId, p.id)).at(-1)!.after).toEqual({ stageOrder: [ids[1], ids[0], ids[3], ids[2]], configVersion: 2 });
    });

    it.each([
      ['one missing', (ids: string[]) => ids.slice(0, 3), ['stageIds']],
      ['one twice', (ids: string[]) => [ids[0]!, ids[0]!, ids[1]!, ids[2]!, ids[3]!], ['stageIds.1']],
      ['one of another pipeline', (ids: string[]) => [...ids.slice(0, 3), 'elsewhere'], ['stageIds.3', 'stageIds']],
    ])('refuses an order with %s, writing nothing', async (_what, order, fields) => {
      const p = await createPipeline(`Bad order ${_what}`);
      const digest = await tenantDigest(env(), a.tenantId);
      expectFields(await a.admin.put(`/pipelines/${p.id}/stage-order`, { stageIds: order(p.stages.map((s: { id: string }) => s.id)) }), fields);
      expect(await tenantDigest(env(), a.tenantId)).toBe(digest);
    });
  });

  describe('transition rules', () => {
    it('creates, changes and deletes rules between stages of the pipeline, each bumping its configVersion', async () => {
      const p = await createPipeline('Rules');
      const [s0, s1, s2] = p.stages.map((s: { id: string }) => s.id);
      const created = await a.admin.post(`/pipelines/${p.id}/transition-rules`, { fromStageId: s0, toStageId: s2, effect: 'deny', expectedConfigVersion: 1 });
      expectStatus(created, 201);
      expect(created.body).toMatchObject({ pipelineId: p.id, fromStageId: s0, toStageId: s2, effect: 'deny' });
      const dup = await a.admin.post(`/pipelines/${p.id}/transition-rules`, { fromStageId: s0, toStageId: s2, effect: 'allow' });
      expectStatus(dup, 409);
      expect(dup.body.error.details).toEqual({ ruleId: created.body.id });
      expectStatus(await a.admin.patch(`/transition-rules/${created.body.id}`, { effect: 'allow', fromStageId: s1, expectedConfigVersion: 2 }), 200);
      expectStatus(await a.admin.delete(`/transition-rules/${created.body.id}?expectedConfigVersion=3`), 204);
      expect((await a.admin.get(`/pipelines/${p.id}`)).body).toMatchObject({ configVersion: 4, rules: [] });
    });

    it.each([
      ['a stage of another pipeline', (s: string[], other: string) => ({ fromStageId: s[0], toStageId: other, effect: 'deny' }), ['toStageId']],
      ['the same stage twice', (s: string[]) => ({ fromStageId: s[0], toStageId: s[0], effect: 'deny' }), ['toStageId']],
      ['an unknown effect', (s: string[]) => ({ fromStageId: null, toStageId: s[0], effect: 'maybe' }), ['effect']],
    ])('refuses a rule with %s', async (_what, body, fields) => {
      const p = await createPipeline(`Rule refusal ${_what}`);
      const other = a.seeded.dataset.stages[0]!.id;
      expectFields(await a.admin.post(`/pipelines/${p.id}/transition-rules`, body(p.stages.map((s: { id: string }) => s.id), other)), fields);
    });
  });

  describe('permissions and tenancy', () => {
    it('refuses reps and managers without pipelines.edit (403), before looking at the pipeline', async () => {
      const id = a.seeded.dataset.pipelines[0]!.id;
      for (const caller of [a.rep, a.manager]) {
        expectStatus(await caller.get('/pipelines'), 403);
        expectStatus(await caller.post('/pipelines', { name: 'x' }), 403);
        expectStatus(await caller.patch(`/pipelines/${id}`, { name: 'x' }), 403);
        expectStatus(await caller.patch('/stages/no-such-stage', { name: 'x' }), 403);
      }
    });

    it('lets pipelines.edit holders edit the pipelines whose edit roles name them, and nothing else', async () => {
      const c = await seedAdminTenant(env(), 503, 'admin-pipes-c');
      await grant(env(), c.tenantId, 'manager', ['pipelines.edit']);
      const [sales, renewals] = c.seeded.dataset.pipelines;
      // Demo pipelines are edited by admins only: the manager sees them but may not change them.
      expectStatus(await c.manager.patch(`/pipelines/${sales!.id}`, { name: 'Mine now' }), 403);
      expect((await c.manager.get('/pipelines')).body.items).toEqual([]);
      expectStatus(await c.admin.patch(`/pipelines/${sales!.id}`, { access: { ...sales!.access, editRoles: ['admin', 'manager'] } }), 200);
      expectStatus(await c.manager.patch(`/pipelines/${sales!.id}`, { name: 'Mine now' }), 200);
      expect((await c.manager.get('/pipelines')).body.items.map((p: { id: string }) => p.id)).toEqual([sales!.id]);
      // A pipeline the manager creates is theirs to edit unless they say otherwise.
      const own = await c.manager.post('/pipelines', { name: 'Managed' });
      expectStatus(own, 201);
      expect(own.body.access.editRoles).toEqual(['admin', 'manager']);
      // An editor cannot lock themself out of what they edit.
      expectFields(await c.manager.patch(`/pipelines/${sales!.id}`, { access: { ...sales!.access, editRoles: ['admin'] } }), ['access']);
      // A pipeline the manager may not see does not exist for them.
      expectStatus(await c.admin.patch(`/pipelines/${renewals!.id}`, { access: { ...renewals!.access, viewRoles: ['admin'], editRoles: ['admin', 'manager'] } }), 200);
      expectStatus(await c.manager.get(`/pipelines/${renewals!.id}`), 404);
      const hidden = await c.manager.patch(`/stages/${c.seeded.dataset.stages.find((s) => s.pipelineId === renewals!.id)!.id}`, { name: 'x' });
      expectStatus(hidden, 404);
      expect(hidden.body.error.message).toBe('no such stage');
    });

    it("answers 404 for another tenant's pipelines, stages and rules, and changes nothing", async () => {
      const pipelineB = b.seeded.dataset.pipelines[0]!.id;
      const stageB = b.seeded.dataset.stages[0]!.id;
      const ruleB = b.seeded.dataset.transitionRules[0]!.id;
      const digest = await tenantDigest(env(), b.tenantId);
      for (const res of [
        await a.admin.get(`/pipelines/${pipelineB}`),
        await a.admin.patch(`/pipelines/${pipelineB}`, { name: 'Stolen' }),
        await a.admin.delete(`/pipelines/${pipelineB}`),
        await a.admin.post(`/pipelines/${pipelineB}/stages`, stage('x', 1)),
        await a.admin.put(`/pipelines/${pipelineB}/stage-order`, { stageIds: [stageB] }),
        await a.admin.patch(`/stages/${stageB}`, { name: 'Stolen' }),
        await a.admin.delete(`/stages/${stageB}`),
        await a.admin.post(`/pipelines/${pipelineB}/transition-rules`, { fromStageId: null, toStageId: stageB, effect: 'deny' }),
        await a.admin.patch(`/transition-rules/${ruleB}`, { effect: 'allow' }),
        await a.admin.delete(`/transition-rules/${ruleB}`),
      ]) {
        expectStatus(res, 404);
      }
      expect((await a.admin.get('/pipelines')).body.items.map((p: { tenantId: string }) => p.tenantId)).not.toContain(b.tenantId);
      expect(await tenantDigest(env(), b.tenantId)).toBe(digest);
    });
  });
});
