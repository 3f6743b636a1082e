// Which rows a replica holds: the shared rules per table, through parents, with the inbox and conflict exceptions.
import { describe, expect, it } from 'vitest';
import type { Permission } from '../../../src-shared/domain/accounts.schema';
import type { Viewer } from '../../../src-shared/domain/visibility';
import { rowVisible, viewScope } from '../../../src-shared/sync/sync-visibility';
import type { VisibilityContext } from '../../../src-shared/sync/sync-visibility';

const T = 'tenant';
const rep = (permissions: Permission[] = []): Viewer => ({ userId: 'me', tenantId: T, role: 'rep', teamId: 'east', permissions, managedTeamIds: [] });
const access = { viewRoles: ['admin', 'manager', 'rep'] as const, viewTeamIds: [], moveRoles: ['rep'] as const, editRoles: [] };

function ctx(viewer: Viewer): VisibilityContext {
  return {
    viewer,
    pipelines: new Map([['p1', { id: 'p1', tenantId: T, access: { ...access, viewRoles: [...access.viewRoles], moveRoles: [...access.moveRoles], editRoles: [] } }], ['p2', { id: 'p2', tenantId: T, access: { viewRoles: ['admin'], viewTeamIds: [], moveRoles: [], editRoles: [] } }]]),
    leads: new Map([['mine', { tenantId: T, ownerId: 'me', teamId: 'east', archived: false }], ['theirs', { tenantId: T, ownerId: 'you', teamId: 'east', archived: false }], ['old', { tenantId: T, ownerId: 'me', teamId: 'east', archived: true }]]),
    deals: new Map([['d-mine', { tenantId: T, ownerId: 'me', teamId: 'east', pipelineId: 'p1' }], ['d-hidden', { tenantId: T, ownerId: 'me', teamId: 'east', pipelineId: 'p2' }], ['d-theirs', { tenantId: T, ownerId: 'you', teamId: 'east', pipelineId: 'p1' }]]),
    approvalRequests: new Map([['r-mine', { dealId: 'd-mine', approverId: 'boss' }], ['r-inbox', { dealId: 'd-theirs', approverId: 'me' }]]),
  };
}

describe('rowVisible', () => {
  const c = ctx(rep());
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
