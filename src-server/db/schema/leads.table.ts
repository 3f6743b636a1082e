// Leads, companies, contacts and the duplicate match keys of leads, in the tenant database.
import { pgTable, text, integer, doublePrecision, index, primaryKey } from 'drizzle-orm/pg-core';
import type { ScoreFactor, LeadStatus } from '../../../src-shared/domain/leads.schema';
import { LEAD_STATUSES } from '../../../src-shared/domain/leads.schema';
import { id, ref, instant, bool, json, rowVersion } from './columns';

export const leads = pgTable('leads', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  companyName: text('company_name'),
  title: text('title'),
  country: text('country'),
  region: text('region'),
  source: text('source'),
  medium: text('medium'),
  campaign: text('campaign'),
  referrer: text('referrer'),
  formKey: text('form_key'),
  status: text('status', { enum: LEAD_STATUSES }).notNull().$type<LeadStatus>(),
  disqualifyReason: text('disqualify_reason'),
  score: integer('score').notNull(),
  scoreFactors: json<ScoreFactor[]>('score_factors').notNull(),
  winProbability: doublePrecision('win_probability'),
  ownerId: ref('owner_id'),
  teamId: ref('team_id'),
  possibleDuplicateOf: ref('possible_duplicate_of'),
  convertedContactId: ref('converted_contact_id'),
  convertedCompanyId: ref('converted_company_id'),
  convertedDealId: ref('converted_deal_id'),
  lastActivityAt: instant('last_activity_at'),
  archived: bool('archived').notNull(),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: rowVersion(),
}, (t) => [
  // The lead queue: filter by status / owner / team, sorted by score.
  index('leads_queue_status_idx').on(t.tenantId, t.archived, t.status, t.score),
  index('leads_queue_owner_idx').on(t.tenantId, t.ownerId, t.archived, t.score),
  index('leads_queue_team_idx').on(t.tenantId, t.teamId, t.archived, t.score),
  index('leads_score_idx').on(t.tenantId, t.archived, t.score),
  index('leads_created_idx').on(t.tenantId, t.createdAt),
  // Sync pulls read the changes since a version.
  index('leads_version_idx').on(t.tenantId, t.version),
]);

/** Blocking keys from the shared duplicate rules, so a new lead is compared only with the few sharing a key. */
export const leadDedupeKeys = pgTable('lead_dedupe_keys', {
  key: text('key').notNull(),
  leadId: ref('lead_id').notNull().references(() => leads.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.key, t.leadId] }), index('lead_dedupe_keys_lead_idx').on(t.leadId)]);

export const companies = pgTable('companies', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  name: text('name').notNull(),
  domain: text('domain'),
  ownerId: ref('owner_id'),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: rowVersion(),
}, (t) => [index('companies_domain_idx').on(t.tenantId, t.domain), index('companies_name_idx').on(t.tenantId, t.name), index('companies_version_idx').on(t.tenantId, t.version)]);

export const contacts = pgTable('contacts', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  companyId: ref('company_id'),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  title: text('title'),
  ownerId: ref('owner_id'),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
  version: rowVersion(),
}, (t) => [index('contacts_email_idx').on(t.tenantId, t.email), index('contacts_company_idx').on(t.tenantId, t.companyId), index('contacts_version_idx').on(t.tenantId, t.version)]);
