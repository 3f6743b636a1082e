// Seeds the demo tenant (Demo Co): users, teams, roles, pipelines, a web form, leads and deals with history.
import { eq, or } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { DEMO_PASSWORD, generateDemoDataset } from '../../src-shared/demo/demo-dataset';
import type { DemoDataset } from '../../src-shared/demo/demo-dataset';
import { compileScoring, DEFAULT_SCORING_CONFIG } from '../../src-shared/domain/lead-scoring';
import type { AppDb } from '../db/database';
import { roles, teams, tenants, users } from '../db/schema/accounts.table';
import { activities } from '../db/schema/activities.table';
import { approvalPolicies } from '../db/schema/approvals.table';
import { scoringConfigs } from '../db/schema/automation.table';
import { userCredentials } from '../db/schema/auth.table';
import { deals, pipelines, stageHistory, stages, stageTransitionRules, winLossReasons } from '../db/schema/deals.table';
import { forms } from '../db/schema/forms.table';
import { companies, contacts, leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import { defaultRoles } from '../accounts/default-roles';
import { hashPassword } from '../auth/passwords';

/** The seed the demo tenant's ids derive from: the same ids on every machine. */
export const DEMO_SEED = 20_240_601;
export const DEMO_FORM_KEY = 'demo';
export const DEMO_FORM_FIELDS = ['first_name', 'last_name', 'email', 'phone', 'company', 'title', 'message', 'utm_source', 'utm_medium', 'utm_campaign'] as const;
export { DEMO_PASSWORD };

export interface DemoTenantOptions {
  /** "Now" for the data: every timestamp is at or before it. */
  now: number;
  /** Ids derive from it; another seed gives another tenant (tests seed several). */
  seed?: number;
  slug?: string;
  name?: string;
  /** The web form's key (globally unique); null seeds no form. */
  formKey?: string | null;
  leads?: number;
  deals?: number;
  activities?: number;
}

export interface SeededTenant {
  tenantId: string;
  /** False when the tenant (or its slug) already existed and nothing was written. */
  created: boolean;
  dataset: DemoDataset;
}

/** The demo form: maps the posted fields onto a lead; `message` becomes a note. No signature; thanks at `/thanks`. */
const DEMO_FIELD_MAP: Record<(typeof DEMO_FORM_FIELDS)[number], string> = {
  first_name: 'firstName', last_name: 'lastName', email: 'email', phone: 'phone', company: 'companyName', title: 'title',
  message: 'message', utm_source: 'source', utm_medium: 'medium', utm_campaign: 'campaign',
};

async function insertAll(tx: AppDb, table: PgTable, rows: object[]): Promise<void> {
  // Chunks keep each statement under PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < rows.length; i += 500) await tx.insert(table).values(rows.slice(i, i + 500) as never[]);
}

/** Idempotent: a tenant with the same id or slug is left as it is. */
export async function seedDemoTenant(db: AppDb, options: DemoTenantOptions): Promise<SeededTenant> {
  const dataset = generateDemoDataset({ seed: options.seed ?? DEMO_SEED, now: options.now, leads: options.leads ?? 60, deals: options.deals ?? 24, activities: options.activities ?? 120 });
  const tenant = { ...dataset.tenant, slug: options.slug ?? dataset.tenant.slug, name: options.name ?? dataset.tenant.name };
  const tenantId = tenant.id;
  const [existing] = await db.select({ id: tenants.id }).from(tenants).where(or(eq(tenants.id, tenantId), eq(tenants.slug, tenant.slug)));
  if (existing) return { tenantId, created: false, dataset };
  // One hash for every demo user: they share the published demo password anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const formKey = options.formKey === undefined ? DEMO_FORM_KEY : options.formKey;

  const created = await db.transaction(async (tx) => {
    // A concurrent seeder (another process) that got here first wins; this one writes nothing.
    const [won] = await tx.insert(tenants).values({ ...tenant, version: 0 }).onConflictDoNothing().returning({ id: tenants.id });
    if (!won) return false;
    const version = await nextVersion(tx, tenantId);
    const v = <T extends object>(rows: T[]) => rows.map((r) => ({ ...r, version }));
    await tx.update(tenants).set({ version }).where(eq(tenants.id, tenantId));
    const roleIds = new Map(dataset.roles.map((r) => [r.name, r.id]));
    await insertAll(tx, roles, v(defaultRoles(tenantId, (name) => roleIds.get(name)!)));
    await insertAll(tx, teams, v(dataset.teams));
    await insertAll(tx, users, v(dataset.users));
    await insertAll(tx, userCredentials, dataset.users.map((u) => ({ userId: u.id, tenantId, passwordHash, updatedAt: options.now })));
    await insertAll(tx, approvalPolicies, v(dataset.approvalPolicies));
    await insertAll(tx, pipelines, v(dataset.pipelines));
    await insertAll(tx, stages, v(dataset.stages));
    await insertAll(tx, stageTransitionRules, v(dataset.transitionRules));
    await insertAll(tx, winLossReasons, v(dataset.winLossReasons));
    const scoring = DEFAULT_SCORING_CONFIG(tenantId);
    await insertAll(tx, scoringConfigs, v([scoring]));
    await insertAll(tx, companies, v(dataset.companies));
    await insertAll(tx, contacts, v(dataset.contacts));
    const score = compileScoring(scoring);
    const leadActivities = Map.groupBy(dataset.activities.filter((a) => a.entityType === 'lead'), (a) => a.entityId);
    await insertAll(tx, leads, v(dataset.leads.map((lead) => {
      const s = score(lead, leadActivities.get(lead.id) ?? [], options.now);
      return { ...lead, score: s.score, scoreFactors: s.factors };
    })));
    await insertAll(tx, deals, v(dataset.deals));
    await insertAll(tx, stageHistory, v(dataset.stageHistory));
    await insertAll(tx, activities, v(dataset.activities));
    if (formKey !== null) {
      await tx.insert(forms).values({
        id: `${tenantId}:form:${formKey}`, tenantId, key: formKey, name: 'Website contact form', fieldMap: DEMO_FIELD_MAP,
        defaults: { source: 'website', medium: 'form', campaign: null }, allowedOrigins: [], hmacSecret: null, honeypotField: null,
        thankYouUrl: '/thanks', submissionIdField: null, active: true, createdAt: options.now,
      });
    }
    return true;
  });
  return { tenantId, created, dataset: { ...dataset, tenant } };
}

/** Seeds the demo tenant when the database has no tenant at all (the first start of the embedded default). */
export async function seedDemoOnFirstStart(db: AppDb, now: number): Promise<SeededTenant | null> {
  const [any] = await db.select({ id: tenants.id }).from(tenants).limit(1);
  if (any) return null;
  return seedDemoTenant(db, { now });
}
