// Two tenants × every role: no endpoint reads or changes another tenant's data or a record the role may not see; a deal
// (and its pipeline) held for approval is read by its approver, and only read.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { canEditDeal, canEditLead, canReadDeal, canReadPipeline, canSeeDeal, canSeeLead, canSeePipeline, holdsApproval } from '../../../src-shared/domain/visibility';
import type { ApprovalRef, Viewer } from '../../../src-shared/domain/visibility';
import type { MeResponse } from '../../../src-shared/http/auth.http';
import { approvalRequests } from '../../../src-server/db/schema/approvals.table';
import { deals, pipelines, stages } from '../../../src-server/db/schema/deals.table';
import { leads } from '../../../src-server/db/schema/leads.table';
import { forEachDatabase } from '../../helpers/server-db';
import { as, seedTenant, signIn } from './api-client';

const A = 'matrix-a';
const B = 'matrix-b';
const CALLERS = ['admin', 'manager', 'rep1', 'rep2'].flatMap((who) => [`${who}@${A}`, `${who}@${B}`]);

type Api = ReturnType<typeof as>;
type LeadRow = typeof leads.$inferSelect;
type DealRow = typeof deals.$inferSelect;
type PipelineRow = typeof pipelines.$inferSelect;

forEachDatabase('permission matrix', (env) => {
  const callers = new Map<string, { api: Api; viewer: Viewer }>();
  let allLeads: LeadRow[] = [];
  let allDeals: DealRow[] = [];
  let allPipelines: PipelineRow[] = [];
  let allRequests: ApprovalRef[] = [];

  beforeAll(async () => {
    const { ctx } = env();
    const a = await seedTenant(env(), 201, A, { leads: 30, deals: 12 });
    const b = await seedTenant(env(), 202, B, { leads: 30, deals: 12 });
    // Tenant A restricts access: Renewals only for the West team; Strategic only for admins (rep1 owns a deal in it,
    // and must not see it: a pipeline one may not see does not exist, nor do its deals).
    const renewals = a.dataset.pipelines.find((p) => p.name === 'Renewals')!;
    const west = a.dataset.teams.find((t) => t.name === 'West')!;
    await ctx.db.update(pipelines).set({ access: { ...renewals.access, viewTeamIds: [west.id] } }).where(eq(pipelines.id, renewals.id));
    const now = env().clock.now();
    const strategic = { id: `${a.tenantId}:strategic`, tenantId: a.tenantId, name: 'Strategic', position: 2, configVersion: 1, currency: 'EUR', transitionMode: 'any' as const, access: { viewRoles: ['admin' as const], viewTeamIds: [], moveRoles: ['admin' as const], editRoles: ['admin' as const] }, createdAt: now, updatedAt: now };
    await ctx.db.insert(pipelines).values(strategic);
    await ctx.db.insert(stages).values({ id: `${strategic.id}:open`, tenantId: a.tenantId, pipelineId: strategic.id, name: 'Open', position: 0, probability: 50, kind: 'open', rottingDays: null, requiredFields: [], approvalPolicyId: null, fold: false });
    const reps = a.dataset.users.filter((u) => u.role === 'rep');
    await ctx.db.insert(deals).values(reps.map((rep, i) => ({
      id: `${strategic.id}:deal-${i}`, tenantId: a.tenantId, name: `Strategic ${i}`, amountMinor: 1_000_000, currency: 'EUR', discountPct: null, pipelineId: strategic.id, stageId: `${strategic.id}:open`,
      status: 'open' as const, ownerId: rep.id, teamId: rep.teamId, companyId: null, contactId: null, leadId: null, expectedCloseDate: null, probability: 50, nextStep: null,
      wonLostReasonId: null, wonLostNote: null, stageEnteredAt: now, closedAt: null, createdAt: now, updatedAt: now,
    })));

    // Approval requests in tenant A: held by rep2 on rep1's Strategic deal (a pipeline rep2 may not see either), by the
    // manager on rep2's Strategic deal, and (approved) by rep1 on one of rep2's deals; rep2's voided one and one naming
    // a user of tenant B as approver open nothing.
    const userOf = (tenant: typeof a, email: string) => tenant.dataset.users.find((u) => u.email === email)!.id;
    const [aRep1, aRep2, aManager, bRep1] = [userOf(a, 'rep1@demo.test'), userOf(a, 'rep2@demo.test'), userOf(a, 'manager@demo.test'), userOf(b, 'rep1@demo.test')];
    const dealOf = (ownerId: string, n: number) => a.dataset.deals.filter((d) => d.ownerId === ownerId)[n]!.id;
    const held: [string, string, ApprovalRef['status']][] = [
      [`${strategic.id}:deal-${reps.findIndex((r) => r.id === aRep1)}`, aRep2, 'pending'],
      [`${strategic.id}:deal-${reps.findIndex((r) => r.id === aRep2)}`, aManager, 'pending'],
      [dealOf(aRep2, 0), aRep1, 'approved'],
      [dealOf(aRep1, 0), aRep2, 'voided'],
      [dealOf(aRep2, 1), bRep1, 'pending'],
    ];
    await ctx.db.insert(approvalRequests).values(held.map(([dealId, approverId, status], i) => ({
      id: `${a.tenantId}:request-${i}`, tenantId: a.tenantId, dealId, policyId: a.dataset.approvalPolicies[0]!.id, requestedBy: aRep1,
      binding: { amountMinor: 1_000_000, discountPct: null, expectedCloseDate: null, targetStageId: 's' }, levelIndexes: [0], currentStep: 0,
      approverId, dueAt: null, status, createdAt: now, decidedAt: status === 'pending' ? null : now,
    })));
    allRequests = held.map(([dealId, approverId, status]) => ({ tenantId: a.tenantId, dealId, approverId, status }));

    for (const caller of CALLERS) {
      const [who, slug] = caller.split('@') as [string, string];
      const session = await signIn(env().app, `${who}@demo.test`, { tenant: slug });
      const api = as(env().app, session.accessToken);
      const me = (await api.get('/api/v1/me')).body as MeResponse;
      callers.set(caller, { api, viewer: { userId: me.user.id, tenantId: me.tenant.id, role: me.role.name, teamId: me.user.teamId, permissions: me.role.permissions, managedTeamIds: me.managedTeamIds } });
    }
    const tenantIds = [a.tenantId, b.tenantId];
    allLeads = await ctx.db.select().from(leads).where(inArray(leads.tenantId, tenantIds));
    allDeals = await ctx.db.select().from(deals).where(inArray(deals.tenantId, tenantIds));
    allPipelines = await ctx.db.select().from(pipelines).where(inArray(pipelines.tenantId, tenantIds));
  });

  const caller = (name: string) => callers.get(name)!;
  const pipelineOf = (deal: DealRow) => allPipelines.find((p) => p.id === deal.pipelineId)!;
  const reads = (viewer: Viewer, deal: DealRow) => canReadDeal(viewer, deal, pipelineOf(deal), allRequests);
  const heldIn = (viewer: Viewer) => allDeals.filter((d) => allRequests.some((r) => r.dealId === d.id && holdsApproval(viewer, r))).map((d) => d.pipelineId);
  const sorted = (ids: string[]) => [...ids].sort();

  async function listAll(api: Api, path: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.get(`${path}?limit=17${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...(res.body.items as { id: string }[]).map((r) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  }

  it('the fixture covers every case: visible, hidden in the same tenant, and another tenant’s', () => {
    const rep1 = caller(`rep1@${A}`).viewer;
    expect(allLeads.some((l) => canSeeLead(rep1, l))).toBe(true);
    expect(allLeads.some((l) => l.tenantId === rep1.tenantId && !canSeeLead(rep1, l))).toBe(true);
    expect(allDeals.some((d) => d.tenantId === rep1.tenantId && d.ownerId === rep1.userId && !canSeeDeal(rep1, d, pipelineOf(d)))).toBe(true);
    expect(allLeads.some((l) => l.tenantId !== rep1.tenantId)).toBe(true);
    // Approvals open deals, and a pipeline, that the role's rules hide; not every approval does.
    const rep2 = caller(`rep2@${A}`).viewer;
    expect(allDeals.filter((d) => !canSeeDeal(rep2, d, pipelineOf(d)) && reads(rep2, d))).toHaveLength(1);
    expect(allPipelines.some((p) => !canSeePipeline(rep2, p) && canReadPipeline(rep2, p, heldIn(rep2)))).toBe(true);
    expect(allDeals.filter((d) => !canSeeDeal(rep1, d, pipelineOf(d)) && reads(rep1, d))).toHaveLength(1);
    expect(allRequests.filter((r) => !CALLERS.some((c) => holdsApproval(caller(c).viewer, r)))).toHaveLength(2);
  });

  describe.each(CALLERS)('%s', (name) => {
    it('lists exactly the leads the rules let them see, across pages', async () => {
      const { api, viewer } = caller(name);
      const expected = allLeads.filter((l) => !l.archived && canSeeLead(viewer, l)).map((l) => l.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(sorted(await listAll(api, '/api/v1/leads'))).toEqual(sorted(expected));
    });

    it('lists exactly the deals the rules let them see', async () => {
      const { api, viewer } = caller(name);
      const expected = allDeals.filter((d) => reads(viewer, d)).map((d) => d.id);
      expect(sorted(await listAll(api, '/api/v1/deals'))).toEqual(sorted(expected));
    });

    it('lists exactly the pipelines the rules let them see', async () => {
      const { api, viewer } = caller(name);
      const res = await api.get('/api/v1/pipelines');
      expect(res.status).toBe(200);
      const expected = allPipelines.filter((p) => canReadPipeline(viewer, p, heldIn(viewer))).map((p) => p.id);
      expect(sorted(res.body.items.map((p: { id: string }) => p.id))).toEqual(sorted(expected));
      for (const p of res.body.items) expect(p.stages.length).toBeGreaterThan(0);
    });

    it('reads a lead or deal it may not see exactly as one that does not exist (404), every other one as it is', async () => {
      const { api, viewer } = caller(name);
      const missing = await api.get('/api/v1/leads/no-such-lead');
      expect(missing.status).toBe(404);
      const leadReads = await Promise.all(allLeads.map((lead) => api.get(`/api/v1/leads/${lead.id}`)));
      allLeads.forEach((lead, i) => {
        if (canSeeLead(viewer, lead)) expect(leadReads[i]!.body).toMatchObject({ id: lead.id, tenantId: viewer.tenantId });
        else expect(leadReads[i]).toMatchObject({ status: 404, body: missing.body });
      });
      const missingDeal = await api.get('/api/v1/deals/no-such-deal');
      const dealReads = await Promise.all(allDeals.map((deal) => api.get(`/api/v1/deals/${deal.id}`)));
      allDeals.forEach((deal, i) => {
        if (reads(viewer, deal)) expect(dealReads[i]!.body).toMatchObject({ id: deal.id, tenantId: viewer.tenantId });
        else expect(dealReads[i]).toMatchObject({ status: 404, body: missingDeal.body });
      });
    });

    it('changes only what it may edit: 404 for the unseen, 403 for the seen but not editable, and nothing written then', async () => {
      const { api, viewer } = caller(name);
      const db = env().ctx.db;
      const title = `edited by ${name}`;
      const leadsBefore = new Map((await db.select().from(leads).where(inArray(leads.id, allLeads.map((l) => l.id)))).map((l) => [l.id, l]));
      const leadPatches = await Promise.all(allLeads.map((lead) => api.patch(`/api/v1/leads/${lead.id}`, { title })));
      const leadsAfter = new Map((await db.select().from(leads).where(inArray(leads.id, allLeads.map((l) => l.id)))).map((l) => [l.id, l]));
      allLeads.forEach((lead, i) => {
        const expected = !canSeeLead(viewer, lead) ? 404 : canEditLead(viewer, lead) ? 200 : 403;
        expect(leadPatches[i]!.status, `${name} patching lead ${lead.id}`).toBe(expected);
        if (expected === 200) expect(leadsAfter.get(lead.id)).toMatchObject({ title, version: leadPatches[i]!.body.version });
        else expect(leadsAfter.get(lead.id)).toEqual(leadsBefore.get(lead.id));
      });
      const nextStep = `next step by ${name}`;
      const dealsBefore = new Map((await db.select().from(deals).where(inArray(deals.id, allDeals.map((d) => d.id)))).map((d) => [d.id, d]));
      const dealPatches = await Promise.all(allDeals.map((deal) => api.patch(`/api/v1/deals/${deal.id}`, { nextStep })));
      const dealsAfter = new Map((await db.select().from(deals).where(inArray(deals.id, allDeals.map((d) => d.id)))).map((d) => [d.id, d]));
      allDeals.forEach((deal, i) => {
        const pipeline = pipelineOf(deal);
        const expected = !reads(viewer, deal) ? 404 : canEditDeal(viewer, deal, pipeline) ? 200 : 403;
        expect(dealPatches[i]!.status, `${name} patching deal ${deal.id}`).toBe(expected);
        if (expected === 200) expect(dealsAfter.get(deal.id)!.nextStep).toBe(nextStep);
        else expect(dealsAfter.get(deal.id)).toEqual(dealsBefore.get(deal.id));
      });
    });

    it('cannot hand one of its leads to a user of another tenant', async () => {
      const { api, viewer } = caller(name);
      const lead = allLeads.find((l) => canEditLead(viewer, l))!;
      const stranger = [...callers.values()].find((c) => c.viewer.tenantId !== viewer.tenantId)!.viewer.userId;
      const before = (await env().ctx.db.select().from(leads).where(eq(leads.id, lead.id)))[0]!;
      const res = await api.patch(`/api/v1/leads/${lead.id}`, { ownerId: stranger });
      expect([400, 403]).toContain(res.status);
      expect((await env().ctx.db.select().from(leads).where(eq(leads.id, lead.id)))[0]).toEqual(before);
    });

    it('finds nothing of another tenant through list filters', async () => {
      const { api, viewer } = caller(name);
      const stranger = [...callers.values()].find((c) => c.viewer.tenantId !== viewer.tenantId)!.viewer.userId;
      expect((await api.get(`/api/v1/leads?ownerId=${stranger}`)).body.items).toEqual([]);
      expect((await api.get(`/api/v1/deals?ownerId=${stranger}`)).body.items).toEqual([]);
    });
  });

  it('a manager reassigns a team lead to a rep of a managed team; its team follows, the change is versioned and audited', async () => {
    const { api, viewer } = caller(`manager@${A}`);
    const rep2 = caller(`rep2@${A}`).viewer;
    const lead = allLeads.find((l) => l.tenantId === viewer.tenantId && l.ownerId !== null && l.ownerId !== rep2.userId && canEditLead(viewer, l))!;
    const res = await api.patch(`/api/v1/leads/${lead.id}`, { ownerId: rep2.userId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ownerId: rep2.userId, teamId: rep2.teamId });
    expect(res.body.version).toBeGreaterThan(lead.version);
    expect((await caller(`rep2@${A}`).api.get(`/api/v1/leads/${lead.id}`)).status).toBe(200);
    // A stale expected version is refused and writes nothing.
    const stale = await api.patch(`/api/v1/leads/${lead.id}`, { title: 'late', expectedVersion: lead.version });
    expect(stale.status).toBe(409);
  });

  it('a rep may not reassign even their own lead', async () => {
    const { api, viewer } = caller(`rep1@${A}`);
    const [own] = await env().ctx.db.select().from(leads).where(eq(leads.ownerId, viewer.userId)).limit(1);
    const res = await api.patch(`/api/v1/leads/${own!.id}`, { ownerId: caller(`rep2@${A}`).viewer.userId });
    expect(res.status).toBe(403);
  });
});
