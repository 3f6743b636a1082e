// The SQL visibility conditions select exactly the rows the shared predicates allow, for any viewer: leads, deals (also
// those read through an approval the viewer holds) and pipelines.
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, inArray } from 'drizzle-orm';
import { PERMISSIONS } from '../../../src-shared/domain/accounts.schema';
import type { PipelineAccess } from '../../../src-shared/domain/deals.schema';
import { canReadDeal, canReadPipeline, canSeeDeal, canSeeLead, canSeePipeline, holdsApproval } from '../../../src-shared/domain/visibility';
import type { ApprovalRef, Viewer } from '../../../src-shared/domain/visibility';
import { approvalRequests } from '../../../src-server/db/schema/approvals.table';
import { deals, pipelines } from '../../../src-server/db/schema/deals.table';
import { leads } from '../../../src-server/db/schema/leads.table';
import { dealReadableBy, dealVisibleTo, leadVisibleTo, readablePipelineIds, visiblePipelineIds } from '../../../src-server/records/visibility-sql';
import { forEachDatabase } from '../../helpers/server-db';

const T = 'vis-tenant';
const OTHER = 'vis-other';
const USERS = ['vis-u1', 'vis-u2', 'vis-u3'];
const TEAMS = ['vis-t1', 'vis-t2', 'vis-t3'];
const nullable = <T>(xs: T[]) => [...xs, null];

// Every combination of tenant × owner × team, so each rule meets every kind of row.
const rows = [T, OTHER].flatMap((tenantId) => nullable(USERS).flatMap((ownerId) => nullable(TEAMS).map((teamId) => ({ tenantId, ownerId, teamId }))));
const ACCESS: PipelineAccess[] = [
  { viewRoles: ['admin', 'manager', 'rep'], viewTeamIds: [], moveRoles: [], editRoles: [] },
  { viewRoles: ['admin', 'manager'], viewTeamIds: [], moveRoles: [], editRoles: [] },
  { viewRoles: ['rep'], viewTeamIds: ['vis-t2'], moveRoles: [], editRoles: [] },
  { viewRoles: ['admin'], viewTeamIds: ['vis-t1', 'vis-t3'], moveRoles: [], editRoles: [] },
];
const pipelineRows = [T, OTHER].flatMap((tenantId) => ACCESS.map((access, i) => ({
  id: `${tenantId}:p${i}`, tenantId, name: `P${i}`, position: i, configVersion: 1, currency: 'EUR', transitionMode: 'any' as const, access, createdAt: 0, updatedAt: 0,
})));

const STATUSES = ['pending', 'approved', 'rejected', 'voided'] as const;
/**
 * Who the approval requests of deal `i` in pipeline `p` are routed to: vis-u1 in pipelines 0 and 2, vis-u2 in 1, vis-u3
 * now and then in 3, nobody sometimes, and some deals in pipelines 0 and 1 have a second request for anyone; statuses
 * cycle. So each user holds deals in some pipelines and not others, and some of their requests are voided.
 */
function requestsOf(i: number, p: number): { approverId: string | null; status: (typeof STATUSES)[number] }[] {
  const status = STATUSES[(i + p) % STATUSES.length]!;
  const first = p === 0 || (p === 2 && i % 2 === 0) ? 'vis-u1' : p === 1 ? 'vis-u2' : p === 3 && i % 5 === 0 ? 'vis-u3' : null;
  const out = i % 7 === 3 ? [] : [{ approverId: first, status }];
  if (i % 3 === 0 && p < 2) out.push({ approverId: USERS[i % USERS.length]!, status: STATUSES[i % STATUSES.length]! });
  return out;
}

const viewerArb: fc.Arbitrary<Viewer> = fc.record({
  userId: fc.constantFrom(...USERS),
  tenantId: fc.constantFrom(T, T, T, OTHER),
  role: fc.constantFrom('admin' as const, 'manager' as const, 'rep' as const),
  teamId: fc.constantFrom(...nullable(TEAMS)),
  permissions: fc.subarray([...PERMISSIONS]),
  managedTeamIds: fc.subarray(TEAMS),
});

forEachDatabase('SQL visibility equals the shared predicates', (env) => {
  const leadIds: string[] = [];
  const dealIds: string[] = [];
  const requests: ApprovalRef[] = [];
  const allDeals = rows.flatMap((r, i) => pipelineRows.filter((p) => p.tenantId === r.tenantId).map((p, k) => ({ ...r, pipelineId: p.id, id: `vis-deal-${i}-${k}`, pipeline: p })));

  beforeAll(async () => {
    const db = env().ctx.db;
    await db.insert(pipelines).values(pipelineRows);
    const leadRows = rows.map((r, i) => ({
      ...r, id: `vis-lead-${i}`, firstName: 'V', lastName: `${i}`, email: null, phone: null, companyName: null, title: null, country: null, region: null,
      source: null, medium: null, campaign: null, referrer: null, formKey: null, status: 'NEW' as const, disqualifyReason: null, score: 0, scoreFactors: [],
      winProbability: null, possibleDuplicateOf: null, convertedContactId: null, convertedCompanyId: null, convertedDealId: null, lastActivityAt: null,
      archived: false, createdAt: i, updatedAt: i,
    }));
    await db.insert(leads).values(leadRows);
    leadIds.push(...leadRows.map((l) => l.id));
    const dealRows = rows.flatMap((r, i) => ACCESS.map((_, p) => ({
      ...r, id: `vis-deal-${i}-${p}`, name: `D${i}`, amountMinor: null, currency: 'EUR', discountPct: null, pipelineId: `${r.tenantId}:p${p}`, stageId: 's',
      status: 'open' as const, companyId: null, contactId: null, leadId: null, expectedCloseDate: null, probability: 0, nextStep: null,
      wonLostReasonId: null, wonLostNote: null, stageEnteredAt: 0, closedAt: null, createdAt: i, updatedAt: i,
    })));
    await db.insert(deals).values(dealRows);
    dealIds.push(...dealRows.map((d) => d.id));
    const requestRows = rows.flatMap((r, i) => ACCESS.flatMap((_, p) => requestsOf(i, p).map((q, n) => ({
      id: `vis-req-${i}-${p}-${n}`, tenantId: r.tenantId, dealId: `vis-deal-${i}-${p}`, policyId: 'vis-policy', requestedBy: 'vis-u1',
      binding: { amountMinor: null, discountPct: null, expectedCloseDate: null, targetStageId: 's' }, levelIndexes: [0], currentStep: 0,
      approverId: q.approverId, dueAt: null, status: q.status, createdAt: i, decidedAt: null,
    }))));
    await db.insert(approvalRequests).values(requestRows);
    requests.push(...requestRows);
  });

  it('leadVisibleTo ≡ canSeeLead', async () => {
    const db = env().ctx.db;
    await fc.assert(fc.asyncProperty(viewerArb, async (viewer) => {
      const selected = await db.select({ id: leads.id }).from(leads).where(and(inArray(leads.id, leadIds), leadVisibleTo(viewer)));
      const expected = rows.map((r, i) => ({ ...r, id: `vis-lead-${i}` })).filter((l) => canSeeLead(viewer, l)).map((l) => l.id);
      expect(selected.map((s) => s.id).sort()).toEqual(expected.sort());
    }), { numRuns: 150 });
  });

  it('dealVisibleTo over visiblePipelineIds ≡ canSeeDeal', async () => {
    const db = env().ctx.db;
    await fc.assert(fc.asyncProperty(viewerArb, async (viewer) => {
      const visible = await visiblePipelineIds(db, viewer);
      const selected = await db.select({ id: deals.id }).from(deals).where(and(inArray(deals.id, dealIds), dealVisibleTo(viewer, visible)));
      const expected = rows.flatMap((r, i) => pipelineRows.filter((p) => p.tenantId === r.tenantId).map((p, k) => ({ ...r, pipelineId: p.id, id: `vis-deal-${i}-${k}`, pipeline: p })))
        .filter((d) => canSeeDeal(viewer, d, d.pipeline))
        .map((d) => d.id);
      expect(selected.map((s) => s.id).sort()).toEqual(expected.sort());
    }), { numRuns: 150 });
  });

  const heldIn = (viewer: Viewer) => allDeals.filter((d) => d.tenantId === viewer.tenantId && requests.some((r) => r.dealId === d.id && holdsApproval(viewer, r))).map((d) => d.pipelineId);

  it('the approval fixture covers every case: deals and hidden pipelines opened by an approval and not, voided, routed to nobody', () => {
    const reps = USERS.map((userId): Viewer => ({ userId, tenantId: T, role: 'rep', teamId: null, permissions: [], managedTeamIds: [] }));
    const tenantPipelines = pipelineRows.filter((p) => p.tenantId === T);
    expect(reps.some((v) => tenantPipelines.some((p) => !canSeePipeline(v, p) && canReadPipeline(v, p, heldIn(v))))).toBe(true);
    expect(reps.some((v) => tenantPipelines.some((p) => !canReadPipeline(v, p, heldIn(v))))).toBe(true);
    expect(reps.some((v) => allDeals.some((d) => !canSeeDeal(v, d, d.pipeline) && canReadDeal(v, d, d.pipeline, requests)))).toBe(true);
    expect(requests.some((r) => r.approverId !== null && r.status === 'voided')).toBe(true);
    expect(requests.some((r) => r.approverId === null)).toBe(true);
    expect(requests.some((r) => r.tenantId === OTHER && r.status === 'pending')).toBe(true);
  });

  it('dealReadableBy over visiblePipelineIds ≡ canReadDeal (seen, or held for approval)', async () => {
    const db = env().ctx.db;
    await fc.assert(fc.asyncProperty(viewerArb, async (viewer) => {
      const visible = await visiblePipelineIds(db, viewer);
      const selected = await db.select({ id: deals.id }).from(deals).where(and(inArray(deals.id, dealIds), dealReadableBy(viewer, visible)));
      const expected = allDeals.filter((d) => canReadDeal(viewer, d, d.pipeline, requests)).map((d) => d.id);
      expect(selected.map((s) => s.id).sort()).toEqual(expected.sort());
    }), { numRuns: 150 });
  });

  it('readablePipelineIds ≡ canReadPipeline over the pipelines of the deals whose approval the viewer holds', async () => {
    const db = env().ctx.db;
    await fc.assert(fc.asyncProperty(viewerArb, async (viewer) => {
      const expected = pipelineRows.filter((p) => canReadPipeline(viewer, p, heldIn(viewer))).map((p) => p.id);
      expect((await readablePipelineIds(db, viewer)).sort()).toEqual(expected.sort());
    }), { numRuns: 150 });
  });
});
