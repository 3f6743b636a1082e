// The SQL visibility conditions select exactly the rows the shared predicates allow, for any viewer.
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, inArray } from 'drizzle-orm';
import { PERMISSIONS } from '../../../src-shared/domain/accounts.schema';
import type { PipelineAccess } from '../../../src-shared/domain/deals.schema';
import { canSeeDeal, canSeeLead } from '../../../src-shared/domain/visibility';
import type { Viewer } from '../../../src-shared/domain/visibility';
import { deals, pipelines } from '../../../src-server/db/schema/deals.table';
import { leads } from '../../../src-server/db/schema/leads.table';
import { dealVisibleTo, leadVisibleTo, visiblePipelineIds } from '../../../src-server/records/visibility-sql';
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
});
