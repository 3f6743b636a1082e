// Scoring jobs on PGlite and PostgreSQL: rescoring a lead after a change, the daily decay pass, and idempotency.
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../src-shared/domain/common.schema';
import { compileScoring, DEFAULT_SCORING_CONFIG } from '../../../src-shared/domain/lead-scoring';
import { decayAllLeads, rescoreLead } from '../../../src-server/jobs/scoring.jobs';
import { scoringConfigs } from '../../../src-server/db/schema/automation.table';
import { forEachDatabase } from '../../helpers/server-db';
import { insertActivity, insertLead, jobContext, leadById, seedJobTenant, tenantVersion } from './jobs-fixtures';

forEachDatabase('scoring jobs', (env) => {
  const T = 'SC';
  beforeAll(async () => {
    await seedJobTenant(env().ctx.db, T, env().clock.now());
  });

  it('rescores a lead from its fields and activities with the default config, explaining each factor', async () => {
    const now = env().clock.now();
    const lead = await insertLead(env().ctx.db, T, now, { title: 'VP Sales', phone: '+1 555 0100' });
    await insertActivity(env().ctx.db, T, lead.id, 'meeting', now);
    expect(await rescoreLead(jobContext(env()), { tenantId: T, leadId: lead.id })).toBe('rescored');
    const after = await leadById(env().ctx.db, lead.id);
    const expected = compileScoring(DEFAULT_SCORING_CONFIG(T))(after, [{ kind: 'meeting', occurredAt: now }], now);
    expect(after.score).toBe(expected.score);
    expect(after.score).toBe(45); // senior title 20 + phone 10 + a fresh meeting 15
    expect(after.scoreFactors.map((f) => f.key)).toEqual(['fit:senior-title', 'fit:has-phone', 'engagement:meeting']);
    expect(after.version).toBe(await tenantVersion(env().ctx.db, T));
  });

  it('changes nothing, not even the version, when run again (idempotent)', async () => {
    const lead = await insertLead(env().ctx.db, T, env().clock.now(), { title: 'CEO' });
    const ctx = jobContext(env());
    expect(await rescoreLead(ctx, { tenantId: T, leadId: lead.id })).toBe('rescored');
    const once = await leadById(env().ctx.db, lead.id);
    const version = await tenantVersion(env().ctx.db, T);
    expect(await rescoreLead(ctx, { tenantId: T, leadId: lead.id })).toBe('unchanged');
    expect(await leadById(env().ctx.db, lead.id)).toEqual(once);
    expect(await tenantVersion(env().ctx.db, T)).toBe(version);
  });

  it("uses the tenant's own scoring config when it has one", async () => {
    const U = 'SC-own';
    await seedJobTenant(env().ctx.db, U, env().clock.now());
    await env().ctx.db.insert(scoringConfigs).values({ ...DEFAULT_SCORING_CONFIG(U), fitRules: [{ key: 'de', label: 'German', when: { field: 'country', op: 'eq', values: ['DE'] }, points: 70 }] });
    const lead = await insertLead(env().ctx.db, U, env().clock.now(), { country: 'DE', title: 'CEO' });
    await rescoreLead(jobContext(env()), { tenantId: U, leadId: lead.id });
    expect((await leadById(env().ctx.db, lead.id)).score).toBe(70);
  });

  it('reports a missing or archived lead without writing', async () => {
    const archived = await insertLead(env().ctx.db, T, env().clock.now(), { title: 'CEO', archived: true, status: 'DISQUALIFIED' });
    expect(await rescoreLead(jobContext(env()), { tenantId: T, leadId: archived.id })).toBe('missing');
    expect(await rescoreLead(jobContext(env()), { tenantId: 'other-tenant', leadId: archived.id })).toBe('missing');
    expect((await leadById(env().ctx.db, archived.id)).score).toBe(0);
  });

  describe('daily decay pass', () => {
    it('lowers engagement as activities age, for every non-archived lead of every tenant, in batches', async () => {
      const D = 'SC-decay';
      const E = 'SC-decay2';
      const db = env().ctx.db;
      const t0 = env().clock.now();
      await seedJobTenant(db, D, t0);
      await seedJobTenant(db, E, t0);
      const fresh = [];
      for (let i = 0; i < 5; i++) {
        const lead = await insertLead(db, D, t0);
        await insertActivity(db, D, lead.id, 'meeting', t0);
        fresh.push(lead);
      }
      const other = await insertLead(db, E, t0);
      await insertActivity(db, E, other.id, 'call', t0);
      const archived = await insertLead(db, D, t0, { archived: true, status: 'CONVERTED' });
      await insertActivity(db, D, archived.id, 'meeting', t0);

      const ctx = jobContext(env());
      const first = await decayAllLeads(ctx, 2);
      expect(first.changed).toBeGreaterThanOrEqual(6);
      expect((await leadById(db, fresh[0]!.id)).score).toBe(15);
      expect((await leadById(db, other.id)).score).toBe(8);

      // Two half-lives (14 days each) later, a meeting's 15 points are worth 3.75.
      env().clock.advance(28 * DAY_MS);
      try {
        const second = await decayAllLeads(ctx, 2);
        expect(second.tenants).toBeGreaterThanOrEqual(2);
        for (const lead of fresh) expect((await leadById(db, lead.id)).score).toBe(4);
        expect((await leadById(db, other.id)).score).toBe(2);
        expect((await leadById(db, archived.id)).score).toBe(0);
        // Run again at the same instant: nothing left to change.
        const again = await decayAllLeads(ctx, 2);
        expect(again.changed).toBe(0);
      } finally {
        env().clock.advance(-28 * DAY_MS);
      }
    });
  });
});
