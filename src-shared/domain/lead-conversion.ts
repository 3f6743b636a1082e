// Plans a lead's one-step conversion into company + contact + deal, linking existing records when they match.
import { ErrorCode } from '../api/errors';
import { missingRequiredFields } from './deal-stage-machine';
import type { Deal, Pipeline, Stage } from './deals.schema';
import { corporateDomain, normalizeCompanyName } from './duplicate-keys';
import { LEAD_TRANSITIONS } from './lead-lifecycle';
import type { Company, Contact, Lead } from './leads.schema';
import type { Result } from './result';
import { ok, refuse } from './result';

export type CompanyChoice = { kind: 'auto' } | { kind: 'existing'; companyId: string } | { kind: 'new' };
export type ContactChoice = { kind: 'auto' } | { kind: 'existing'; contactId: string } | { kind: 'new' };

export interface ConversionDealInput {
  pipeline: Pipeline;
  stage: Stage;
  name?: string;
  amountMinor?: number | null;
  expectedCloseDate?: string | null;
}

export interface ConversionInput {
  lead: Lead;
  existingCompanies: readonly Company[];
  existingContacts: readonly Contact[];
  /** Ids for the records the conversion may create (used only when it creates them). */
  ids: { company: string; contact: string; deal: string };
  now: number;
  deal?: ConversionDealInput | null;
  /** 'auto' (the default) links a matching record or creates one; 'new' always creates. */
  companyChoice?: CompanyChoice;
  contactChoice?: ContactChoice;
}

export interface ConversionPlan {
  company: { action: 'link' | 'create'; row: Company; matchedBy?: 'domain' | 'name' } | null;
  contact: { action: 'link' | 'create'; row: Contact };
  deal: Deal | null;
  leadChanges: Partial<Lead>;
}

/** A company's website domain as comparable text: lowercase, no scheme, no leading "www.", no path. */
function siteDomain(domain: string | null): string | null {
  if (!domain) return null;
  const d = domain.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/^www\./, '').replace(/[/:].*$/, '');
  return d === '' ? null : d;
}

/** The email domain is the company's domain or one of its subdomains ("sales.acme.com" belongs to "acme.com"). */
const domainBelongsTo = (emailDomain: string, companyDomain: string) => emailDomain === companyDomain || emailDomain.endsWith(`.${companyDomain}`);

/** Oldest first, then by id, so a match is the same whichever order the rows arrive in. */
const byAge = (a: Company, b: Company) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The existing company a lead belongs to: by corporate email domain first, then by normalised company name. */
export function matchCompany(
  lead: Pick<Lead, 'email' | 'companyName'>,
  companies: readonly Company[],
): { company: Company; matchedBy: 'domain' | 'name' } | null {
  const domain = corporateDomain(lead.email);
  if (domain) {
    const hit = companies.filter((c) => {
      const cd = siteDomain(c.domain);
      return cd !== null && domainBelongsTo(domain, cd);
    });
    const first = hit.sort(byAge)[0];
    if (first) return { company: first, matchedBy: 'domain' };
  }
  const name = normalizeCompanyName(lead.companyName);
  if (name) {
    const first = companies.filter((c) => normalizeCompanyName(c.name) === name).sort(byAge)[0];
    if (first) return { company: first, matchedBy: 'name' };
  }
  return null;
}

/** The existing contact with the lead's email, compared case-insensitively. */
export function matchContact(lead: Pick<Lead, 'email'>, contacts: readonly Contact[]): Contact | null {
  const email = lead.email?.trim().toLowerCase();
  if (!email) return null;
  return contacts.find((c) => c.email?.trim().toLowerCase() === email) ?? null;
}

function newCompany(lead: Lead, id: string, now: number): Company | null {
  const domain = corporateDomain(lead.email);
  const name = lead.companyName?.trim() || domain;
  if (!name) return null;
  return { id, tenantId: lead.tenantId, name, domain, ownerId: lead.ownerId, createdAt: now, updatedAt: now };
}

function newContact(lead: Lead, id: string, companyId: string | null, now: number): Contact {
  return {
    id,
    tenantId: lead.tenantId,
    companyId,
    firstName: lead.firstName,
    lastName: lead.lastName,
    email: lead.email,
    phone: lead.phone,
    title: lead.title,
    ownerId: lead.ownerId,
    createdAt: now,
    updatedAt: now,
  };
}

function planCompany(input: ConversionInput): Result<ConversionPlan['company']> {
  const { lead, existingCompanies, ids, now } = input;
  const choice = input.companyChoice ?? { kind: 'auto' };
  if (choice.kind === 'existing') {
    const row = existingCompanies.find((c) => c.id === choice.companyId);
    if (!row) return refuse(ErrorCode.NOT_FOUND, `company ${choice.companyId} not found`, { details: { companyId: choice.companyId } });
    return ok({ action: 'link', row });
  }
  if (choice.kind === 'auto') {
    const match = matchCompany(lead, existingCompanies);
    if (match) return ok({ action: 'link', row: match.company, matchedBy: match.matchedBy });
  }
  const row = newCompany(lead, ids.company, now);
  if (row) return ok({ action: 'create', row });
  // 'auto' without a company name or a corporate domain converts to a contact alone; 'new' asked for one.
  if (choice.kind === 'new') {
    return refuse(ErrorCode.VALIDATION, 'a new company needs the lead’s company name or a company email domain', {
      fields: [{ path: 'companyName', message: 'required to create a company' }],
    });
  }
  return ok(null);
}

function planContact(input: ConversionInput, companyId: string | null): Result<ConversionPlan['contact']> {
  const { lead, existingContacts, ids, now } = input;
  const choice = input.contactChoice ?? { kind: 'auto' };
  if (choice.kind === 'existing') {
    const row = existingContacts.find((c) => c.id === choice.contactId);
    if (!row) return refuse(ErrorCode.NOT_FOUND, `contact ${choice.contactId} not found`, { details: { contactId: choice.contactId } });
    return ok({ action: 'link', row });
  }
  const match = choice.kind === 'auto' ? matchContact(lead, existingContacts) : null;
  if (match) return ok({ action: 'link', row: match });
  return ok({ action: 'create', row: newContact(lead, ids.contact, companyId, now) });
}

function planDeal(input: ConversionInput, companyId: string | null, contactId: string): Result<Deal | null> {
  const { lead, deal: spec, ids, now } = input;
  if (!spec) return ok(null);
  const { pipeline, stage } = spec;
  if (stage.pipelineId !== pipeline.id) {
    return refuse(ErrorCode.INVALID_TRANSITION, `stage ${stage.name} is not in pipeline ${pipeline.name}`, { details: { stageId: stage.id, pipelineId: pipeline.id } });
  }
  if (stage.kind !== 'open') {
    return refuse(ErrorCode.INVALID_TRANSITION, `a converted deal cannot start in the ${stage.kind} stage ${stage.name}`, { details: { stageId: stage.id } });
  }
  // Creating a deal straight into a gated stage would skip its approval; it must be moved there instead.
  if (stage.approvalPolicyId !== null) {
    return refuse(ErrorCode.INVALID_TRANSITION, `stage ${stage.name} needs approval, so a deal cannot start in it`, { details: { stageId: stage.id } });
  }
  const personName = `${lead.firstName} ${lead.lastName}`.trim();
  const name = spec.name?.trim() || lead.companyName?.trim() || personName || lead.email || 'Deal';
  const row: Deal = {
    id: ids.deal,
    tenantId: lead.tenantId,
    name,
    amountMinor: spec.amountMinor ?? null,
    currency: pipeline.currency,
    discountPct: null,
    pipelineId: pipeline.id,
    stageId: stage.id,
    status: 'open',
    ownerId: lead.ownerId,
    teamId: lead.teamId,
    companyId,
    contactId,
    leadId: lead.id,
    expectedCloseDate: spec.expectedCloseDate ?? null,
    probability: stage.probability,
    nextStep: null,
    wonLostReasonId: null,
    wonLostNote: null,
    stageEnteredAt: now,
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  // The starting stage's required fields hold for a created deal as for a moved one.
  const missing = missingRequiredFields(row, stage);
  if (missing.length > 0) {
    return refuse(ErrorCode.MISSING_FIELDS, `stage ${stage.name} requires ${missing.join(', ')}`, {
      fields: missing.map((f) => ({ path: `deal.${f}`, message: `required by stage ${stage.name}` })),
      details: { missing, stageId: stage.id },
    });
  }
  return ok(row);
}

export function planConversion(input: ConversionInput): Result<ConversionPlan> {
  const { lead, now } = input;
  if (!LEAD_TRANSITIONS[lead.status].includes('CONVERTED')) {
    return refuse(ErrorCode.INVALID_TRANSITION, `a ${lead.status} lead cannot be converted`, { details: { from: lead.status, to: 'CONVERTED' } });
  }
  const company = planCompany(input);
  if (!company.ok) return company;
  const companyId = company.value?.row.id ?? null;
  const contact = planContact(input, companyId);
  if (!contact.ok) return contact;
  const deal = planDeal(input, companyId, contact.value.row.id);
  if (!deal.ok) return deal;
  return ok({
    company: company.value,
    contact: contact.value,
    deal: deal.value,
    leadChanges: {
      status: 'CONVERTED',
      convertedCompanyId: companyId,
      convertedContactId: contact.value.row.id,
      convertedDealId: deal.value?.id ?? null,
      updatedAt: now,
    },
  });
}
