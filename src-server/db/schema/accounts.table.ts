// Tenants, users, teams and roles in the tenant database.
import { pgTable, bigint, text, integer, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { Permission, TenantSettings } from '../../../src-shared/domain/accounts.schema';
import { id, ref, instant, bool, json, rowVersion } from './columns';

export const tenants = pgTable('tenants', {
  id: id(),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  settings: json<TenantSettings>('settings').notNull(),
  createdAt: instant('created_at').notNull(),
  version: rowVersion(),
}, (t) => [uniqueIndex('tenants_slug_idx').on(t.slug)]);

export const teams = pgTable('teams', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  managerId: ref('manager_id'),
  version: rowVersion(),
}, (t) => [index('teams_tenant_idx').on(t.tenantId, t.managerId)]);

export const roles = pgTable('roles', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name', { enum: ['admin', 'manager', 'rep'] }).notNull(),
  permissions: json<Permission[]>('permissions').notNull(),
  approvalLimitMinor: bigint('approval_limit_minor', { mode: 'number' }),
  version: rowVersion(),
}, (t) => [uniqueIndex('roles_tenant_name_idx').on(t.tenantId, t.name)]);

export const users = pgTable('users', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'manager', 'rep'] }).notNull(),
  teamId: ref('team_id'),
  managerId: ref('manager_id'),
  active: bool('active').notNull(),
  capacity: integer('capacity'),
  territory: text('territory'),
  createdAt: instant('created_at').notNull(),
  version: rowVersion(),
}, (t) => [
  uniqueIndex('users_tenant_email_idx').on(t.tenantId, sql`lower(${t.email})`),
  // Sign-in looks a user up by email before it knows the tenant.
  index('users_email_idx').on(sql`lower(${t.email})`),
  index('users_team_idx').on(t.tenantId, t.teamId),
]);
