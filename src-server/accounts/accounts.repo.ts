// Reads of tenants, users, roles and teams, and their mapping to the shared domain shapes.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Role, Tenant, User } from '../../src-shared/domain/accounts.schema';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { AppDb } from '../db/database';
import { roles, teams, tenants, users } from '../db/schema/accounts.table';
import { authSessions, devices } from '../db/schema/auth.table';

export type UserRow = typeof users.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;

export const toUser = ({ version: _v, ...user }: UserRow): User => user;
export const toTenant = ({ version: _v, ...tenant }: TenantRow): Tenant => tenant;

export function toViewer(user: UserRow, role: Pick<Role, 'permissions'> | null, managedTeamIds: string[]): Viewer {
  return { userId: user.id, tenantId: user.tenantId, role: user.role, teamId: user.teamId, permissions: role?.permissions ?? [], managedTeamIds };
}

export async function roleOf(db: AppDb, tenantId: string, name: UserRow['role']): Promise<RoleRow | null> {
  const [row] = await db.select().from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.name, name)));
  return row ?? null;
}

export interface SignedInState {
  user: UserRow;
  tenant: TenantRow;
  role: RoleRow | null;
  viewer: Viewer;
}

export interface SignInClaims {
  userId: string;
  tenantId: string;
  sessionId: string;
  clientId: string;
}

/**
 * The state behind an access token, read fresh on every request so that a deactivated user, a revoked session or
 * device, or a changed role takes effect at once rather than when the token expires. Null when any is gone.
 */
export async function loadSignedInState(db: AppDb, claims: SignInClaims): Promise<SignedInState | null> {
  const [state] = await loadSignedInStates(db, [claims]);
  return state ?? null;
}

/** loadSignedInState of many tokens in one round trip (pulls served together), in their order. */
export async function loadSignedInStates(db: AppDb, claims: readonly SignInClaims[]): Promise<(SignedInState | null)[]> {
  if (claims.length === 0) return [];
  const rows = await db
    // The teams they manage come in the same round trip: every authenticated request pays for this read.
    .select({
      sessionId: authSessions.id, deviceId: devices.id, user: users, tenant: tenants, role: roles,
      managed: sql<string[] | null>`(SELECT array_agg(${teams.id}) FROM ${teams} WHERE ${teams.tenantId} = ${users.tenantId} AND ${teams.managerId} = ${users.id})`,
    })
    .from(authSessions)
    .innerJoin(users, and(eq(users.id, authSessions.userId), eq(users.active, true)))
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .innerJoin(devices, and(eq(devices.id, authSessions.deviceId), isNull(devices.revokedAt)))
    .leftJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.name, users.role)))
    .where(and(inArray(authSessions.id, [...new Set(claims.map((c) => c.sessionId))]), isNull(authSessions.revokedAt)));
  return claims.map((c) => {
    const row = rows.find((r) => r.sessionId === c.sessionId && r.deviceId === c.clientId && r.user.id === c.userId && r.user.tenantId === c.tenantId);
    return row ? { user: row.user, tenant: row.tenant, role: row.role, viewer: toViewer(row.user, row.role, (row.managed ?? []).sort()) } : null;
  });
}
