// Which rows a replica holds: the shared rules per table, through parents, with the inbox, approver and conflict exceptions.
import { describe, expect, it } from 'vitest';
import type { Permission } from '../../../src-shared/domain/accounts.schema';
import type { ApprovalRef, Viewer } from '../../../src-shared/domain/visibility';
import { collectParents, rowVisible, viewScope, VISIBILITY_FIELDS } from '../../../src-shared/sync/sync-visibility';
import { REPLICATED_TABLES } from '../../../src-shared/sync/replicated-tables';
import type { VisibilityContext } from '../../../src-shared/sync/sync-visibility';

const T = 'tenant';
const rep = (permissions: Permission[] = []): Viewer => ({ userId: 'me', tenantId: T, role: 'rep', teamId: 'east', permissions, managedTeamIds: [] });
const access = { viewRoles: ['admin', 'manager', 'rep'] as const, viewTeamIds: [], moveRoles: ['rep'] as const, editRoles: [] };

const held = (dealId: string, status: ApprovalRef['status'], approverId = 'me'): [string, ApprovalRef[]] => [dealId, [{ tenantId: T, dealId, approverId, status }]];

function ctx(viewer: Viewer, heldDealPipelineIds: string[] = []): VisibilityContext {
  const deal = (id: string, ownerId: string, pipelineId: string) => [id, { id, tenantId: T, ownerId, teamId: 'east', pipelineId }] as const;
  return {
    viewer,
    pipelines: new Map([['p1', { id: 'p1', tenantId: T, access: { ...access, viewRoles: [...access.viewRoles], moveRoles: [...access.moveRoles], editRoles: [] } }], ['p2', { id: 'p2', tenantId: T, access: { viewRoles: ['admin'], viewTeamIds: [], moveRoles: [], editRoles: [] } }]]),
    leads: new Map([['mine', { tenantId: T, ownerId: 'me', teamId: 'east', archived: false }], ['theirs', { tenantId: T, ownerId: 'you', teamId: 'east', archived: false }], ['old', { tenantId: T, ownerId: 'me', teamId: 'east', archived: true }]]),
    deals: new Map([
      deal('d-mine', 'me', 'p1'), deal('d-hidden', 'me', 'p2'), deal('d-theirs', 'you', 'p1'),
      deal('d-held', 'you', 'p1'), deal('d-held-hidden', 'you', 'p2'), deal('d-decided', 'you', 'p1'), deal('d-voided', 'you', 'p1'), deal('d-moved-on', 'you', 'p1'),
    ]),
    approvalRequests: new Map([['r-mine', { dealId: 'd-mine', approverId: 'boss' }], ['r-inbox', { dealId: 'd-theirs', approverId: 'me' }], ['r-held-other', { dealId: 'd-held', approverId: 'boss' }]]),
    heldApprovals: new Map([
      held('d-held', 'pending'), held('d-held-hidden', 'pending'), held('d-decided', 'rejected'), held('d-voided', 'voided'),
      // Someone else's request on a deal: loaders pass the viewer's only, and the rule ignores the rest.
      held('d-moved-on', 'pending', 'boss'),
    ]),
    heldDealPipelineIds,
  };
}

describe('rowVisible', () => {
  const c = ctx(rep());
  it('reads no field of a row but VISIBILITY_FIELDS (a server judges rows holding only those), nor does collectParents', () => {
    const read = new Set<string>();
    const watched = (row: Record<string, unknown>) => new Proxy(row, { get: (r, k) => (typeof k === 'string' && read.add(k), Reflect.get(r, k)) });
    const full = { id: 'x', tenantId: T, ownerId: 'me', teamId: 'east', pipelineId: 'p1', access, archived: false, dealId: 'd-theirs', approverId: 'boss', requestId: 'r-inbox', leadId: 'mine', userId: 'you', clientUserId: 'x', serverUserId: 'y', name: 'n', title: 't', status: 's' };
    const variants = ['lead', 'deal', 'approval', 'pipeline', 'company'].flatMap((entityType) => [
      { ...full, entityType, entityId: entityType === 'deal' ? 'd-theirs' : 'mine' },
      { ...full, entityType, entityId: 'mine', ownerId: 'you', approverId: 'me', userId: 'me', dealId: 'd-mine', clientUserId: 'me' },
    ]);
    const viewers = [rep(), rep(['leads.viewAll', 'deals.viewAll', 'leads.viewTeam', 'leads.reassign'])];
    for (const table of REPLICATED_TABLES) {
      for (const viewer of viewers) for (const row of variants) rowVisible(table, watched(row), ctx(viewer, ['p2']));
      for (const row of variants) collectParents(table, watched(row), { leads: [], deals: [], approvalRequests: [] });
    }
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((k) => !(VISIBILITY_FIELDS as readonly string[]).includes(k))).toEqual([]);
  });

  it.each([
    ['users', { tenantId: T, id: 'u' }, true],
    ['users', { tenantId: 'other', id: 'u' }, false],
    ['leads', { tenantId: T, ownerId: 'me', teamId: 'east', archived: false }, true],
    ['leads', { tenantId: T, ownerId: 'me', teamId: 'east', archived: true }, false],
    ['leads', { tenantId: T, ownerId: 'you', teamId: 'east', archived: false }, false],
    ['activities', { tenantId: T, entityType: 'lead', entityId: 'mine' }, true],
    ['activities', { tenantId: T, entityType: 'lead', entityId: 'old' }, false],
    ['activities', { tenantId: T, entityType: 'company', entityId: 'c1' }, true],
    ['stage_history', { tenantId: T, dealId: 'd-mine' }, true],
    ['stage_history', { tenantId: T, dealId: 'd-hidden' }, false],
    ['stages', { tenantId: T, pipelineId: 'p2' }, false],
    ['approval_requests', { tenantId: T, dealId: 'd-theirs', approverId: 'me' }, true],
    ['approval_requests', { tenantId: T, dealId: 'd-theirs', approverId: 'boss' }, false],
    ['approval_events', { tenantId: T, requestId: 'r-inbox' }, true],
    ['notifications', { tenantId: T, userId: 'you' }, false],
    ['conflicts', { tenantId: T, entityType: 'deal', entityId: 'd-theirs', clientUserId: 'me', serverUserId: 'you' }, true],
    ['conflicts', { tenantId: T, entityType: 'deal', entityId: 'd-theirs', clientUserId: 'x', serverUserId: 'you' }, false],
    ['audit_log', { tenantId: T, entityType: 'approval', entityId: 'r-mine' }, true],
  ] as const)('%s %j → %s', (table, row, expected) => {
    expect(rowVisible(table, row, c)).toBe(expected);
  });

  it.each([
    ['d-held', true, 'pending and routed to them'],
    ['d-decided', true, 'decided while it was theirs'],
    ['d-voided', false, 'voided'],
    ['d-moved-on', false, 'routed to someone else'],
    ['d-theirs', false, 'not theirs to approve (only the request is in the inbox)'],
  ] as const)('reads deal %s through its approval: %s (%s), with its history, other requests and activities', (id, expected, _why) => {
    expect(rowVisible('deals', { id, tenantId: T, ownerId: 'you', teamId: 'east', pipelineId: 'p1' }, c)).toBe(expected);
    expect(rowVisible('stage_history', { tenantId: T, dealId: id }, c)).toBe(expected);
    expect(rowVisible('activities', { tenantId: T, entityType: 'deal', entityId: id }, c)).toBe(expected);
    expect(rowVisible('approval_requests', { tenantId: T, dealId: id, approverId: 'boss' }, c)).toBe(expected);
  });

  it('reads a deal held for approval in a pipeline hidden from them, and that pipeline with its stages when the loader names it', () => {
    expect(rowVisible('deals', { id: 'd-held-hidden', tenantId: T, ownerId: 'you', teamId: 'east', pipelineId: 'p2' }, c)).toBe(true);
    expect(rowVisible('pipelines', { id: 'p2', tenantId: T, access: { viewRoles: ['admin'], viewTeamIds: [], moveRoles: [], editRoles: [] } }, c)).toBe(false);
    const opened = ctx(rep(), ['p2']);
    expect(rowVisible('pipelines', { id: 'p2', tenantId: T, access: { viewRoles: ['admin'], viewTeamIds: [], moveRoles: [], editRoles: [] } }, opened)).toBe(true);
    expect(rowVisible('stages', { tenantId: T, pipelineId: 'p2' }, opened)).toBe(true);
    // The pipeline opens for the held deal only: the viewer's own deal there stays hidden.
    expect(rowVisible('deals', { id: 'd-hidden', tenantId: T, ownerId: 'me', teamId: 'east', pipelineId: 'p2' }, opened)).toBe(false);
  });

  it('sees the team’s leads with leads.viewTeam', () => {
    expect(rowVisible('leads', { tenantId: T, ownerId: 'you', teamId: 'east', archived: false }, ctx(rep(['leads.viewTeam'])))).toBe(true);
  });
});

describe('viewScope', () => {
  it('changes when what the viewer may see changes, and only then', () => {
    const a = viewScope(rep(), ['p1']);
    expect(viewScope(rep(), ['p1'])).toBe(a);
    expect(viewScope(rep(['leads.viewTeam']), ['p1'])).not.toBe(a);
    expect(viewScope(rep(), ['p1', 'p2'])).not.toBe(a);
    expect(viewScope({ ...rep(), teamId: 'west' }, ['p1'])).not.toBe(a);
  });
});
