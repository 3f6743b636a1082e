// The reference data of a fresh standalone profile (no server yet): one tenant, its roles, the local admin, a pipeline.
import type { Permission, Role, RoleName } from '../../src-shared/domain/accounts.schema';
import { PERMISSIONS } from '../../src-shared/domain/accounts.schema';
import type { Stage } from '../../src-shared/domain/deals.schema';
import { DEFAULT_SCORING_CONFIG } from '../../src-shared/domain/lead-scoring';
import type { TableRows } from './bootstrap-local';

/** What each role may do when the tenant has not configured roles. */
export const DEFAULT_ROLE_PERMISSIONS: Record<RoleName, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: ['leads.viewTeam', 'leads.reopen', 'leads.reassign', 'deals.viewTeam', 'deals.approve', 'data.export', 'data.import'],
  rep: ['data.import'],
};

export interface LocalProfileOptions {
  now: number;
  newId: () => string;
  userName?: string;
  email?: string;
}

export interface LocalProfile {
  rows: TableRows;
  identity: { tenantId: string; userId: string };
}

export function defaultLocalProfile(o: LocalProfileOptions): LocalProfile {
  const tenantId = o.newId();
  const userId = o.newId();
  const pipelineId = o.newId();
  const roles: Role[] = (['admin', 'manager', 'rep'] as const).map((name) => ({
    id: o.newId(), tenantId, name, permissions: [...DEFAULT_ROLE_PERMISSIONS[name]], approvalLimitMinor: name === 'rep' ? 0 : null,
  }));
  const stage = (position: number, name: string, probability: number, kind: Stage['kind'], requiredFields: Stage['requiredFields'] = []): Stage => ({
    id: o.newId(), tenantId, pipelineId, name, position, probability, kind, rottingDays: kind === 'open' ? 30 : null,
    requiredFields, approvalPolicyId: null, fold: kind !== 'open',
  });
  return {
    identity: { tenantId, userId },
    rows: {
      tenants: [{
        id: tenantId, name: 'My company', slug: 'local', createdAt: o.now,
        settings: { currency: 'EUR', qualification: { requiredFields: [], minScore: 0 }, leadRetentionDays: 180, duplicatePolicy: 'flag', distributionFallback: { kind: 'unassigned' } },
      }],
      roles,
      users: [{
        id: userId, tenantId, email: o.email ?? 'me@localhost.invalid', name: o.userName ?? 'Me', role: 'admin', teamId: null,
        managerId: null, active: true, capacity: null, territory: null, createdAt: o.now,
      }],
      pipelines: [{
        id: pipelineId, tenantId, name: 'Sales', position: 0, configVersion: 1, currency: 'EUR', transitionMode: 'any',
        access: { viewRoles: ['admin', 'manager', 'rep'], viewTeamIds: [], moveRoles: ['admin', 'manager', 'rep'], editRoles: ['admin'] },
        createdAt: o.now, updatedAt: o.now,
      }],
      stages: [
        stage(0, 'Qualification', 10, 'open'),
        stage(1, 'Proposal', 40, 'open', ['amountMinor']),
        stage(2, 'Negotiation', 70, 'open', ['amountMinor', 'expectedCloseDate']),
        stage(3, 'Won', 100, 'won'),
        stage(4, 'Lost', 0, 'lost'),
      ],
      win_loss_reasons: [
        { id: o.newId(), tenantId, kind: 'won', label: 'Best fit', active: true },
        { id: o.newId(), tenantId, kind: 'won', label: 'Price', active: true },
        { id: o.newId(), tenantId, kind: 'lost', label: 'Price too high', active: true },
        { id: o.newId(), tenantId, kind: 'lost', label: 'Went with a competitor', active: true },
        { id: o.newId(), tenantId, kind: 'lost', label: 'No decision', active: true },
      ],
      scoring_configs: [DEFAULT_SCORING_CONFIG(tenantId)],
    },
  };
}
