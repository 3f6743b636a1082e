// The permission predicates: who sees and changes which leads, deals and pipelines.
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src-shared/domain/accounts.schema';
import type { Permission } from '../../../src-shared/domain/accounts.schema';
import type { PipelineAccess } from '../../../src-shared/domain/deals.schema';
import {
  canAssignLeadTo, canEditDeal, canEditLead, canEditPipeline, canMoveInPipeline, canReadDeal, canReadPipeline, canSeeDeal, canSeeLead, canSeePipeline,
  holdsApproval, viewerTeamIds,
} from '../../../src-shared/domain/visibility';
import type { ApprovalRef, AssigneeRef, OwnedRecord, PipelineRef, Viewer } from '../../../src-shared/domain/visibility';

const T = 'tenant-a';
const MANAGER_PERMS: Permission[] = ['leads.viewTeam', 'leads.reopen', 'leads.reassign', 'deals.viewTeam', 'deals.approve', 'data.export'];

const admin: Viewer = { userId: 'admin', tenantId: T, role: 'admin', teamId: null, permissions: [...PERMISSIONS], managedTeamIds: [] };
const manager: Viewer = { userId: 'manager', tenantId: T, role: 'manager', teamId: 'east', permissions: MANAGER_PERMS, managedTeamIds: ['east', 'west'] };
const rep1: Viewer = { userId: 'rep1', tenantId: T, role: 'rep', teamId: 'east', permissions: ['data.import'], managedTeamIds: [] };
const rep1Team: Viewer = { ...rep1, permissions: ['leads.viewTeam', 'deals.viewTeam'] };
const rep2: Viewer = { userId: 'rep2', tenantId: T, role: 'rep', teamId: 'west', permissions: ['data.import'], managedTeamIds: [] };
const otherAdmin: Viewer = { ...admin, userId: 'admin-b', tenantId: 'tenant-b' };
const viewers = { admin, manager, rep1, rep1Team, rep2, otherAdmin };
type Who = keyof typeof viewers;

const rec = (ownerId: string | null, teamId: string | null, tenantId = T): OwnedRecord => ({ tenantId, ownerId, teamId });
const records = {
  rep1Own: rec('rep1', 'east'),
  rep2Own: rec('rep2', 'west'),
  eastQueue: rec(null, 'east'),
  unassigned: rec(null, null),
  adminOwn: rec('admin', null),
  otherTenant: rec('rep1', 'east', 'tenant-b'),
};
type Rec = keyof typeof records;

describe('canSeeLead / canEditLead', () => {
  // [viewer, record, sees, edits]
  it.each<[Who, Rec, boolean, boolean]>([
    ['admin', 'rep1Own', true, true],
    ['admin', 'unassigned', true, true],
    ['admin', 'otherTenant', false, false],
    ['otherAdmin', 'rep1Own', false, false],
    ['manager', 'rep1Own', true, true],
    ['manager', 'rep2Own', true, true],
    ['manager', 'eastQueue', true, true],
    ['manager', 'unassigned', true, true],
    ['manager', 'adminOwn', false, false],
    ['manager', 'otherTenant', false, false],
    ['rep1', 'rep1Own', true, true],
    ['rep1', 'rep2Own', false, false],
    ['rep1', 'eastQueue', false, false],
    ['rep1', 'unassigned', false, false],
    ['rep1', 'otherTenant', false, false],
    ['rep1Team', 'eastQueue', true, false],
    ['rep1Team', 'rep2Own', false, false],
    ['rep2', 'rep2Own', true, true],
    ['rep2', 'rep1Own', false, false],
  ])('%s on %s: sees %s, edits %s', (who, which, sees, edits) => {
    expect(canSeeLead(viewers[who], records[which])).toBe(sees);
    expect(canEditLead(viewers[who], records[which])).toBe(edits);
  });

  it('a teammate with team visibility sees a teammate’s lead but may not edit it', () => {
    const teammate = rec('rep3', 'east');
    expect(canSeeLead(rep1Team, teammate)).toBe(true);
    expect(canEditLead(rep1Team, teammate)).toBe(false);
  });
});

describe('canAssignLeadTo', () => {
  const user = (id: string, teamId: string | null, extra: Partial<AssigneeRef> = {}): AssigneeRef => ({ id, tenantId: T, teamId, active: true, ...extra });
  it.each<[Who, Rec, AssigneeRef, boolean]>([
    ['manager', 'rep1Own', user('rep2', 'west'), true],
    ['manager', 'unassigned', user('rep1', 'east'), true],
    ['manager', 'rep1Own', user('manager', 'east'), true],
    ['manager', 'rep1Own', user('rep9', 'north'), false],
    ['manager', 'rep1Own', user('rep2', 'west', { active: false }), false],
    ['manager', 'rep1Own', user('rep2', 'west', { tenantId: 'tenant-b' }), false],
    ['manager', 'adminOwn', user('rep1', 'east'), false],
    ['admin', 'rep1Own', user('rep9', 'north'), true],
    ['admin', 'rep1Own', user('x', 'east', { tenantId: 'tenant-b' }), false],
    ['rep1', 'rep1Own', user('rep2', 'west'), false],
    ['rep1', 'rep1Own', user('rep1', 'east'), false],
  ])('%s assigning %s to %o: %s', (who, which, assignee, allowed) => {
    expect(canAssignLeadTo(viewers[who], records[which], assignee)).toBe(allowed);
  });
});

describe('pipelines', () => {
  const pipeline = (access: Partial<PipelineAccess>, tenantId = T): PipelineRef => ({
    id: 'p1', tenantId, access: { viewRoles: ['admin', 'manager', 'rep'], viewTeamIds: [], moveRoles: ['admin', 'manager', 'rep'], editRoles: ['admin'], ...access },
  });
  const open = pipeline({});
  const managersOnly = pipeline({ viewRoles: ['manager'], moveRoles: ['manager'], editRoles: ['manager'] });
  const westOnly = pipeline({ viewTeamIds: ['west'] });
  const viewOnlyReps = pipeline({ moveRoles: ['admin', 'manager'] });
  const noAdminEdit = pipeline({ editRoles: [] });
  const foreign = pipeline({}, 'tenant-b');
  const pipelines = { open, managersOnly, westOnly, viewOnlyReps, noAdminEdit, foreign };

  // [viewer, pipeline, sees, moves, edits]
  it.each<[Who, keyof typeof pipelines, boolean, boolean, boolean]>([
    ['admin', 'open', true, true, true],
    ['admin', 'managersOnly', true, false, true],
    ['admin', 'noAdminEdit', true, true, true],
    ['admin', 'foreign', false, false, false],
    ['otherAdmin', 'open', false, false, false],
    ['manager', 'open', true, true, false],
    ['manager', 'managersOnly', true, true, false],
    ['manager', 'westOnly', true, true, false],
    ['rep1', 'open', true, true, false],
    ['rep1', 'managersOnly', false, false, false],
    ['rep1', 'westOnly', false, false, false],
    ['rep1', 'viewOnlyReps', true, false, false],
    ['rep2', 'westOnly', true, true, false],
  ])('%s on %s: sees %s, moves %s, edits %s', (who, which, sees, moves, edits) => {
    expect(canSeePipeline(viewers[who], pipelines[which])).toBe(sees);
    expect(canMoveInPipeline(viewers[who], pipelines[which])).toBe(moves);
    expect(canEditPipeline(viewers[who], pipelines[which])).toBe(edits);
  });

  it('edit roles alone are not enough without the pipelines.edit permission', () => {
    expect(canEditPipeline(manager, managersOnly)).toBe(false);
    expect(canEditPipeline({ ...manager, permissions: [...MANAGER_PERMS, 'pipelines.edit'] }, managersOnly)).toBe(true);
  });

  describe('deals', () => {
    const deal = (ownerId: string | null, teamId: string | null, pipelineId = 'p1', tenantId = T) => ({ tenantId, ownerId, teamId, pipelineId });
    // [viewer, deal, pipeline, sees, edits]
    it.each<[Who, ReturnType<typeof deal>, keyof typeof pipelines, boolean, boolean]>([
      ['rep1', deal('rep1', 'east'), 'open', true, true],
      ['rep1', deal('rep1', 'east'), 'managersOnly', false, false],
      ['rep1', deal('rep2', 'west'), 'open', false, false],
      ['rep1Team', deal('rep3', 'east'), 'open', true, false],
      ['rep2', deal('rep2', 'west'), 'westOnly', true, true],
      ['manager', deal('rep2', 'west'), 'open', true, true],
      ['manager', deal('admin', null), 'open', false, false],
      ['admin', deal('rep1', 'east'), 'managersOnly', true, true],
      ['admin', deal('rep1', 'east', 'p2'), 'open', false, false],
      ['admin', deal('rep1', 'east', 'p1', 'tenant-b'), 'open', false, false],
      ['otherAdmin', deal('rep1', 'east'), 'open', false, false],
    ])('%s on %o in %s: sees %s, edits %s', (who, d, which, sees, edits) => {
      expect(canSeeDeal(viewers[who], d, pipelines[which])).toBe(sees);
      expect(canEditDeal(viewers[who], d, pipelines[which])).toBe(edits);
    });
  });

  describe('deals held for approval', () => {
    const deal = { id: 'd1', tenantId: T, ownerId: 'rep1', teamId: 'east', pipelineId: 'p1' };
    const request = (approverId: string | null, status: ApprovalRef['status'], extra: Partial<ApprovalRef> = {}): ApprovalRef => ({ tenantId: T, dealId: 'd1', approverId, status, ...extra });
    // [viewer, the deal's requests, holds one, reads the deal in a pipeline hidden from them]
    it.each<[Who, ApprovalRef[], boolean]>([
      ['rep2', [request('rep2', 'pending')], true],
      ['rep2', [request('rep2', 'approved')], true],
      ['rep2', [request('rep2', 'rejected')], true],
      ['rep2', [request('rep2', 'voided')], false],
      ['rep2', [request('manager', 'pending')], false],
      ['rep2', [request(null, 'pending')], false],
      ['rep2', [request('rep2', 'pending', { dealId: 'd2' })], false],
      ['rep2', [request('rep2', 'voided'), request('rep2', 'pending')], true],
      ['otherAdmin', [request('admin-b', 'pending')], false],
      ['rep2', [], false],
    ])('%s with requests %j: reads %s', (who, requests, reads) => {
      const viewer = viewers[who];
      expect(requests.some((r) => r.dealId === 'd1' && holdsApproval(viewer, r))).toBe(reads);
      expect(canReadDeal(viewer, deal, westOnly, requests)).toBe(reads);
      expect(canReadDeal(viewer, deal, undefined, requests)).toBe(reads);
      // Reading is all an approval gives.
      expect(canEditDeal(viewer, deal, westOnly)).toBe(false);
    });

    it('reads every deal it sees without any request', () => {
      expect(canReadDeal(rep1, deal, open, [])).toBe(true);
      expect(canReadDeal(manager, deal, open, [request('admin', 'pending')])).toBe(true);
      expect(canReadDeal(rep1, deal, managersOnly, [])).toBe(false);
    });

    it('reads a hidden pipeline holding a deal whose approval it holds, and no other tenant’s', () => {
      expect(canReadPipeline(rep1, managersOnly, [])).toBe(false);
      expect(canReadPipeline(rep1, managersOnly, ['p1'])).toBe(true);
      expect(canReadPipeline(rep1, managersOnly, ['p2'])).toBe(false);
      expect(canReadPipeline(rep1, open, [])).toBe(true);
      expect(canReadPipeline(rep1, foreign, ['p1'])).toBe(false);
    });
  });
});

describe('viewerTeamIds', () => {
  it('joins the own team and the managed teams once each', () => {
    expect(viewerTeamIds(manager).sort()).toEqual(['east', 'west']);
    expect(viewerTeamIds(admin)).toEqual([]);
  });
});
