// Tenants, users, teams, roles and the named permissions they carry.
import { z } from 'zod';
import { Id, Instant, Email, ShortText, CurrencyCode, MinorUnits } from './common.schema';

export const ROLES = ['admin', 'manager', 'rep'] as const;
export const RoleName = z.enum(ROLES);
export type RoleName = z.infer<typeof RoleName>;

export const PERMISSIONS = [
  'leads.viewTeam',
  'leads.viewAll',
  'leads.reopen',
  'leads.reassign',
  'deals.viewTeam',
  'deals.viewAll',
  'deals.approve',
  'pipelines.edit',
  'config.edit',
  'users.manage',
  'data.export',
  'data.import',
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

export const Role = z.object({
  id: Id,
  tenantId: Id,
  name: RoleName,
  permissions: z.array(Permission),
  /** Largest deal amount this role may approve (minor units); null = no limit. */
  approvalLimitMinor: MinorUnits.nullable(),
});
export type Role = z.infer<typeof Role>;

/** Rules a lead must meet before it may become QUALIFIED; configurable per tenant. */
export const QualificationCriteria = z.object({
  requiredFields: z.array(z.enum(['email', 'phone', 'companyName', 'title', 'country'])).default([]),
  minScore: z.number().int().min(0).max(100).default(0),
});
export type QualificationCriteria = z.infer<typeof QualificationCriteria>;

/** Where a lead goes when no distribution rule matches or every member is at capacity. */
export const DistributionFallback = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unassigned') }),
  z.object({ kind: z.literal('user'), userId: Id }),
  z.object({ kind: z.literal('team'), teamId: Id }),
]);
export type DistributionFallback = z.infer<typeof DistributionFallback>;

export const TenantSettings = z.object({
  currency: CurrencyCode.default('EUR'),
  qualification: QualificationCriteria.default({ requiredFields: [], minScore: 0 }),
  /** Terminal leads older than this many days are archived. */
  leadRetentionDays: z.number().int().min(1).max(3650).default(180),
  /** What a captured submission matching an existing lead does. */
  duplicatePolicy: z.enum(['attach', 'flag']).default('flag'),
  /** Where a lead goes when no distribution rule matches or every member is at capacity. */
  distributionFallback: DistributionFallback.default({ kind: 'unassigned' }),
});
export type TenantSettings = z.infer<typeof TenantSettings>;

export const Tenant = z.object({
  id: Id,
  name: ShortText.min(1),
  slug: z.string().regex(/^[a-z0-9-]{2,40}$/),
  settings: TenantSettings,
  createdAt: Instant,
});
export type Tenant = z.infer<typeof Tenant>;

export const Team = z.object({
  id: Id,
  tenantId: Id,
  name: ShortText.min(1),
  managerId: Id.nullable(),
});
export type Team = z.infer<typeof Team>;

export const User = z.object({
  id: Id,
  tenantId: Id,
  email: Email,
  name: ShortText.min(1),
  role: RoleName,
  teamId: Id.nullable(),
  managerId: Id.nullable(),
  active: z.boolean(),
  /** How many open leads this user can hold at once (distribution); null = unlimited. */
  capacity: z.number().int().min(0).nullable(),
  territory: ShortText.nullable(),
  createdAt: Instant,
});
export type User = z.infer<typeof User>;
