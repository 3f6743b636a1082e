// Tenants, users, teams and roles in the desktop store.
import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';
import type { Permission, TenantSettings } from '../../../src-shared/domain/accounts.schema';
import { id, ref, instant, bool, json, rowVersion } from './columns';

export const tenants = sqliteTable('tenants', {
  id: id(),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  settings: json<TenantSettings>('settings').notNull(),
  createdAt: instant('created_at').notNull(),
  version: rowVersion(),
});

export const teams = sqliteTable('teams', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  managerId: ref('manager_id'),
  version: rowVersion(),
});

export const roles = sqliteTable('roles', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name', { enum: ['admin', 'manager', 'rep'] }).notNull(),
  permissions: json<Permission[]>('permissions').notNull(),
  approvalLimitMinor: integer('approval_limit_minor'),
  version: rowVersion(),
});

export const users = sqliteTable('users', {
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
});
