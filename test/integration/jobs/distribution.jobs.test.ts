// Distribution job on PGlite and PostgreSQL: rules, round-robin cursors kept between runs, capacity, fallback, once only.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DAY_MS } from '../../../src-shared/domain/common.schema';
import { distributeLeadJob, undistributedLeads } from '../../../src-server/jobs/distribution.jobs';
import { users } from '../../../src-server/db/schema/accounts.table';
import { forEachDatabase } from '../../helpers/server-db';
import { auditOf, insertLead, insertRule, jobContext, leadById, notificationsOf, seedJobTenant, tenantVersion } from './jobs-fixtures';

forEachDatabase('distribution job', (env) => {
  const db = () => env().ctx.db;
  const now = () => env().clock.now();

  describe('round robin with a persisted cursor', () => {
    const T = 'DI-rr';
    beforeAll(async () => {
      await seedJobTenant(db(), T, now());
      await insertRule(db(), T, { id: `${T}-rule`, method: 'roundRobin', memberIds: [`${T}-rep1`, `${T}-rep2`] });
    });

    it('alternates between the members across separate jobs, sets owner and team, audits, notifies the assignee', async () => {
      const ctx = jobContext(env());
      const owners: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const lead = await insertLead(db(), T, now(), { companyName: 'Acme' });
        const result = await distributeLeadJob(ctx, { tenantId: T, leadId: lead.id });
        expect(result.kind).toBe('decided');
        const after = await leadById(db(), lead.id);
        owners.push(after.ownerId);
        expect(after.teamId).toBe(`${T}-team`);
        expect(after.version).toBe(await tenantVersion(db(), T));
        const audit = await auditOf(db(), lead.id);
        expect(audit).toEqual([{ action: 'assign', actor_id: null, before: { ownerId: null, teamId: null }, after: { ownerId: after.ownerId, teamId: `${T}-team`, reason: expect.stringContaining('round robin') } }]);
      }
      expect(owners).toEqual([`${T}-rep1`, `${T}-rep2`, `${T}-rep1`]);
      const rep1 = await notificationsOf(db(), `${T}-rep1`);
      expect(rep1).toHaveLength(2);
      expect(rep1[0]).toMatchObject({ kind: 'assignment', entityType: 'lead', title: expect.stringContaining('New lead assigned to you'), body: 'Acme' });
      expect(await notificationsOf(db(), `${T}-rep2`)).toHaveLength(1);
    });

    it('does nothing the second time for the same lead (a retry or duplicate job)', async () => {
      const ctx = jobContext(env());
      const lead = await insertLead(db(), T, now());
      await distributeLeadJob(ctx, { tenantId: T, leadId: lead.id });
      const first = await leadById(db(), lead.id);
      const version = await tenantVersion(db(), T);
      const notes = (await notificationsOf(db(), first.ownerId!)).length;
      expect(await distributeLeadJob(ctx, { tenantId: T, leadId: lead.id })).toEqual({ kind: 'alreadyDecided' });
      expect(await leadById(db(), lead.id)).toEqual(first);
      expect(await tenantVersion(db(), T)).toBe(version);
      expect(await notificationsOf(db(), first.ownerId!)).toHaveLength(notes);
      expect(await auditOf(db(), lead.id)).toHaveLength(1);
    });

    it('leaves a lead that already has an owner alone', async () => {
      const lead = await insertLead(db(), T, now(), { ownerId: `${T}-mgr`, teamId: `${T}-team` });
      expect(await distributeLeadJob(jobContext(env()), { tenantId: T, leadId: lead.id })).toEqual({ kind: 'skipped', reason: 'the lead already has an owner' });
      expect((await leadById(db(), lead.id)).ownerId).toBe(`${T}-mgr`);
      expect(await auditOf(db(), lead.id)).toEqual([]);
    });
  });

  it('skips members at capacity and falls back to the tenant fallback user when the rule has nobody left', async () => {
    const T = 'DI-cap';
    await seedJobTenant(db(), T, now(), { distributionFallback: { kind: 'user', userId: 'DI-cap-mgr' } });
    await db().update(users).set({ capacity: 1 }).where(eq(users.id, `${T}-rep1`));
    await db().update(users).set({ active: false }).where(eq(users.id, `${T}-rep2`));
    await insertRule(db(), T, { id: `${T}-rule`, method: 'leastBusy', memberIds: [`${T}-rep1`, `${T}-rep2`], filters: [{ field: 'country', op: 'in', values: ['DE'] }] });
    const ctx = jobContext(env());
    const a = await insertLead(db(), T, now(), { country: 'DE' });
    const b = await insertLead(db(), T, now(), { country: 'DE' });
    const c = await insertLead(db(), T, now(), { country: 'FR' });
    await distributeLeadJob(ctx, { tenantId: T, leadId: a.id });
    const rb = await distributeLeadJob(ctx, { tenantId: T, leadId: b.id });
    const rc = await distributeLeadJob(ctx, { tenantId: T, leadId: c.id });
    expect((await leadById(db(), a.id)).ownerId).toBe(`${T}-rep1`);
    expect((await leadById(db(), b.id)).ownerId).toBe(`${T}-mgr`);
    expect(rb).toMatchObject({ kind: 'decided', assignment: { kind: 'user', ruleId: null, reason: expect.stringContaining('no member available') } });
    expect(rc).toMatchObject({ kind: 'decided', assignment: { kind: 'user', userId: `${T}-mgr`, reason: expect.stringContaining('no rule matched') } });
  });

  it("puts a lead in the fallback team's queue and tells the team manager", async () => {
    const T = 'DI-team';
    await seedJobTenant(db(), T, now(), { distributionFallback: { kind: 'team', teamId: 'DI-team-team' } });
    const lead = await insertLead(db(), T, now());
    await distributeLeadJob(jobContext(env()), { tenantId: T, leadId: lead.id });
    expect(await leadById(db(), lead.id)).toMatchObject({ ownerId: null, teamId: `${T}-team` });
    expect(await notificationsOf(db(), `${T}-mgr`)).toMatchObject([{ kind: 'assignment', title: expect.stringContaining("team's queue") }]);
  });

  it('lists for the sweep only unowned open leads never decided, past the grace period and within the last week', async () => {
    const T = 'DI-sweep';
    await seedJobTenant(db(), T, now());
    const old = await insertLead(db(), T, now() - 120_000);
    const fresh = await insertLead(db(), T, now());
    const decided = await insertLead(db(), T, now() - 120_000);
    await distributeLeadJob(jobContext(env()), { tenantId: T, leadId: decided.id });
    await insertLead(db(), T, now() - 120_000, { status: 'DISQUALIFIED' });
    await insertLead(db(), T, now() - 8 * DAY_MS);
    const listed = (await undistributedLeads(db(), now() - 60_000, 10_000)).filter((l) => l.tenantId === T);
    expect(listed).toEqual([{ tenantId: T, leadId: old.id }]);
    expect(listed.map((l) => l.leadId)).not.toContain(fresh.id);
  });
});
