// A tenant's settings with every default filled in, as the jobs read them.
import { eq } from 'drizzle-orm';
import { TenantSettings } from '../../src-shared/domain/accounts.schema';
import type { AppDb } from '../db/database';
import { tenants } from '../db/schema/accounts.table';

/** Settings stored before a setting existed lack it; parsing fills in its default. Null for an unknown tenant. */
export async function tenantSettings(db: AppDb, tenantId: string): Promise<TenantSettings | null> {
  const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  if (!row) return null;
  const parsed = TenantSettings.safeParse(row.settings ?? {});
  return parsed.success ? parsed.data : TenantSettings.parse({});
}
