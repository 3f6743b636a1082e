// The roles every tenant starts with and the permissions each carries.
import { PERMISSIONS } from '../../src-shared/domain/accounts.schema';
import type { Permission, Role, RoleName } from '../../src-shared/domain/accounts.schema';

export const DEFAULT_ROLE_PERMISSIONS: Readonly<Record<RoleName, readonly Permission[]>> = {
  admin: PERMISSIONS,
  manager: ['leads.viewTeam', 'leads.reopen', 'leads.reassign', 'deals.viewTeam', 'deals.approve', 'data.export', 'data.import'],
  // Reps see what they own; team visibility is granted per tenant by adding the view-team permissions.
  rep: ['data.import'],
};

/** Largest deal amount each role may approve, in minor units; null = no limit. */
export const DEFAULT_APPROVAL_LIMITS: Readonly<Record<RoleName, number | null>> = {
  admin: null,
  manager: 100_000_00,
  rep: 0,
};

export function defaultRoles(tenantId: string, idOf: (role: RoleName) => string): Role[] {
  return (Object.keys(DEFAULT_ROLE_PERMISSIONS) as RoleName[]).map((name) => ({
    id: idOf(name),
    tenantId,
    name,
    permissions: [...DEFAULT_ROLE_PERMISSIONS[name]],
    approvalLimitMinor: DEFAULT_APPROVAL_LIMITS[name],
  }));
}
