// The data layer: per-tenant change versions, the migration prefix rule, and the idempotent demo seed.
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { DEFAULT_SCORING_CONFIG } from '../../../src-shared/domain/lead-scoring';
import { currentVersion, nextVersion } from '../../../src-server/db/tenant-version';
import { assertMigratable, IncompatibleDatabaseError } from '../../../src-server/db/migrations';
import { tenants, users } from '../../../src-server/db/schema/accounts.table';
import { scoringConfigs } from '../../../src-server/db/schema/automation.table';
import { approvalPolicies } from '../../../src-server/db/schema/approvals.table';
import { deals, pipelines, stageHistory, stages } from '../../../src-server/db/schema/deals.table';
import { forms } from '../../../src-server/db/schema/forms.table';
import { leads } from '../../../src-server/db/schema/leads.table';
import { DEMO_FORM_FIELDS, seedDemoOnFirstStart, seedDemoTenant } from '../../../src-server/seed/demo-tenant';
import type { SeededTenant } from '../../../src-server/seed/demo-tenant';
import { forEachDatabase } from '../../helpers/server-db';

forEachDatabase('data layer', (env) => {
  describe('nextVersion', () => {
    it('counts up per tenant, independently for each tenant', async () => {
      const db = env().ctx.db;
      expect(await currentVersion(db, 'ver-a')).toBe(0);
      expect(await db.transaction((tx) => nextVersion(tx, 'ver-a'))).toBe(1);
      expect(await db.transaction((tx) => nextVersion(tx, 'ver-a'))).toBe(2);
      expect(await db.transaction((tx) => nextVersion(tx, 'ver-b'))).toBe(1);
      expect(await currentVersion(db, 'ver-a')).toBe(2);
    });

    it('gives concurrent transactions distinct versions, and a rolled-back one gives its version back', async () => {
      const db = env().ctx.db;
      const versions = await Promise.all(Array.from({ length: 20 }, () => db.transaction((tx) => nextVersion(tx, 'ver-c'))));
      expect([...versions].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await expect(db.transaction(async (tx) => {
        await nextVersion(tx, 'ver-c');
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      expect(await currentVersion(db, 'ver-c')).toBe(20);
    });
  });

  it('refuses to run over a database migrated further than this server knows', async () => {
    const { db, shipped } = env().database;
    await expect(assertMigratable(db, shipped)).resolves.toBeUndefined();
    await expect(assertMigratable(db, shipped.slice(0, -1))).rejects.toBeInstanceOf(IncompatibleDatabaseError);
  });

  describe('the demo tenant', () => {
    let seeded: SeededTenant;
    beforeAll(async () => {
      seeded = await seedDemoTenant(env().ctx.db, { now: env().clock.now() });
    });

    it('has an admin, a manager of both teams and a rep in each team, all signing in with the demo password', () => {
      const byEmail = Object.fromEntries(seeded.dataset.users.map((u) => [u.email, u]));
      expect(Object.keys(byEmail).sort()).toEqual(['admin@demo.test', 'manager@demo.test', 'rep1@demo.test', 'rep2@demo.test']);
      const teams = Object.fromEntries(seeded.dataset.teams.map((t) => [t.id, t]));
      expect(teams[byEmail['rep1@demo.test']!.teamId!]!.name).toBe('East');
      expect(teams[byEmail['rep2@demo.test']!.teamId!]!.name).toBe('West');
      expect(seeded.dataset.teams.every((t) => t.managerId === byEmail['manager@demo.test']!.id)).toBe(true);
      expect(seeded.dataset.tenant).toMatchObject({ name: 'Demo Co', slug: 'demo' });
    });

    it('has the `demo` web form: no signature, thanks at /thanks, the published fields', async () => {
      const [form] = await env().ctx.db.select().from(forms).where(eq(forms.key, 'demo'));
      expect(form).toMatchObject({ tenantId: seeded.tenantId, hmacSecret: null, thankYouUrl: '/thanks', active: true });
      expect(Object.keys(form!.fieldMap).sort()).toEqual([...DEMO_FORM_FIELDS].sort());
    });

    it('has two pipelines, one stage gated by a two-level approval policy, scored leads and deals with stage history', async () => {
      const db = env().ctx.db;
      const tenantId = seeded.tenantId;
      expect(await db.$count(pipelines, eq(pipelines.tenantId, tenantId))).toBe(2);
      const gated = await db.select().from(stages).innerJoin(approvalPolicies, eq(approvalPolicies.id, stages.approvalPolicyId)).where(eq(stages.tenantId, tenantId));
      expect(gated).toHaveLength(1);
      expect(gated[0]!.approval_policies.levels).toHaveLength(2);
      const [scoring] = await db.select().from(scoringConfigs).where(eq(scoringConfigs.tenantId, tenantId));
      expect(scoring).toMatchObject(DEFAULT_SCORING_CONFIG(tenantId));
      expect((await db.select({ score: leads.score }).from(leads).where(eq(leads.tenantId, tenantId))).some((l) => l.score > 0)).toBe(true);
      const dealIds = (await db.select({ id: deals.id }).from(deals).where(eq(deals.tenantId, tenantId))).map((d) => d.id);
      const history = await db.select({ dealId: stageHistory.dealId }).from(stageHistory).where(eq(stageHistory.tenantId, tenantId));
      expect(dealIds.length).toBeGreaterThan(0);
      expect(new Set(history.map((h) => h.dealId))).toEqual(new Set(dealIds));
    });

    it('stamps every seeded row with the tenant’s change version', async () => {
      const db = env().ctx.db;
      const version = await currentVersion(db, seeded.tenantId);
      expect(version).toBeGreaterThan(0);
      const [tenant] = await db.select().from(tenants).where(eq(tenants.id, seeded.tenantId));
      expect(tenant!.version).toBe(version);
      const all = await db.$count(leads, eq(leads.tenantId, seeded.tenantId));
      expect(all).toBeGreaterThan(0);
      expect(await db.$count(leads, and(eq(leads.tenantId, seeded.tenantId), eq(leads.version, version)))).toBe(all);
    });

    it('seeds once: a second run, or a first-start check on a database with tenants, writes nothing', async () => {
      const db = env().ctx.db;
      const usersBefore = await db.$count(users);
      const again = await seedDemoTenant(db, { now: env().clock.now() });
      expect(again).toMatchObject({ tenantId: seeded.tenantId, created: false });
      expect(await seedDemoOnFirstStart(db, env().clock.now())).toBeNull();
      expect(await db.$count(users)).toBe(usersBefore);
    });
  });
});
