// Admin routes of the tenant's settings (currency, qualification criteria, retention, duplicate policy, distribution fallback).
import type { FastifyPluginAsync } from 'fastify';
import { eq } from 'drizzle-orm';
import { TenantSettings } from '../../src-shared/domain/accounts.schema';
import { TenantSettingsInput } from '../../src-shared/http/admin.http';
import type { TenantSettingsRecord } from '../../src-shared/http/admin.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import type { AppDb } from '../db/database';
import { tenants } from '../db/schema/accounts.table';
import { parseInput } from '../http/parse-input';
import { adminWrite } from './admin-write';
import { changedFields } from '../audit/audit-log';
import { checkExpected, notFound, refuseFields, requirePermission } from './admin-checks';
import { activeUserProblems, refsOf, teamProblems } from './tenant-refs';

/** The tenant's settings with every default filled in (settings stored before a setting existed lack it). */
export async function tenantSettingsOf(db: AppDb, tenantId: string): Promise<TenantSettingsRecord> {
  const [row] = await db.select({ settings: tenants.settings, version: tenants.version }).from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw notFound('tenant');
  const parsed = TenantSettings.safeParse(row.settings ?? {});
  return { settings: parsed.success ? parsed.data : TenantSettings.parse({}), version: row.version };
}

const KEYS = ['currency', 'qualification', 'leadRetentionDays', 'duplicatePolicy', 'distributionFallback'] as const;

export const tenantSettingsAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  app.get('/settings', async (request): Promise<TenantSettingsRecord> => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    return tenantSettingsOf(ctx.db, viewer.tenantId);
  });

  app.put('/settings', async (request): Promise<TenantSettingsRecord> => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    const { expectedVersion, ...settings } = parseInput(TenantSettingsInput, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const current = await tenantSettingsOf(w.tx, w.tenantId);
      checkExpected('tenant settings', 'expectedVersion', expectedVersion, current.version);
      const fallback = settings.distributionFallback;
      refuseFields([
        ...(fallback.kind === 'user' ? await activeUserProblems(w.tx, w.tenantId, refsOf([['distributionFallback.userId', fallback.userId]])) : []),
        ...(fallback.kind === 'team' ? await teamProblems(w.tx, w.tenantId, refsOf([['distributionFallback.teamId', fallback.teamId]])) : []),
      ]);
      await w.tx.update(tenants).set({ settings, version: w.version }).where(eq(tenants.id, w.tenantId));
      await w.audit({ entityType: 'config', entityId: w.tenantId, action: 'update', configType: 'tenantSettings', ...changedFields(current.settings, settings, KEYS) });
      return { settings, version: w.version };
    });
  });
};
