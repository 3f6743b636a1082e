import { describe, expect, it } from 'vitest';
import type { Pipeline, Stage } from '../../../src-shared/domain/deals.schema';
import type { ConversionInput } from '../../../src-shared/domain/lead-conversion';
import { matchCompany, planConversion } from '../../../src-shared/domain/lead-conversion';
import type { Company, Contact, Lead, LeadStatus } from '../../../src-shared/domain/leads.schema';

const NOW = 1_700_000_000_000;

const lead = (fields: Partial<Lead> = {}): Lead => ({
  id: 'L1',
  tenantId: 't1',
  firstName: 'Anna',
  lastName: 'Schmidt',
  email: 'Anna.Schmidt@Acme.de',
  phone: '+49 30 1234567',
  companyName: 'Acme GmbH',
  title: 'CTO',
  country: 'DE',
  region: null,
  source: 'web',
  medium: null,
  campaign: null,
  referrer: null,
  formKey: null,
  status: 'QUALIFIED',
  disqualifyReason: null,
  score: 70,
  scoreFactors: [],
  winProbability: null,
  ownerId: 'u1',
  teamId: 'team1',
  possibleDuplicateOf: null,
  convertedContactId: null,
  convertedCompanyId: null,
  convertedDealId: null,
  lastActivityAt: null,
  archived: false,
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});

const company = (id: string, name: string, domain: string | null, createdAt = 0): Company => ({
  id,
  tenantId: 't1',
  name,
  domain,
  ownerId: 'u9',
  createdAt,
  updatedAt: createdAt,
});

const contact = (id: string, email: string | null, companyId: string | null = null): Contact => ({
  id,
  tenantId: 't1',
  companyId,
  firstName: 'A',
  lastName: 'S',
  email,
  phone: null,
  title: null,
  ownerId: 'u9',
  createdAt: 0,
  updatedAt: 0,
});

const pipeline: Pipeline = {
  id: 'p1',
  tenantId: 't1',
  name: 'Sales',
  position: 0,
  configVersion: 1,
  currency: 'CHF',
  transitionMode: 'any',
  access: { viewRoles: [], viewTeamIds: [], moveRoles: [], editRoles: [] },
  createdAt: 0,
  updatedAt: 0,
};

const stage = (fields: Partial<Stage> = {}): Stage => ({
  id: 's1',
  tenantId: 't1',
  pipelineId: 'p1',
  name: 'Discovery',
  position: 0,
  probability: 10,
  kind: 'open',
  rottingDays: null,
  requiredFields: [],
  approvalPolicyId: null,
  fold: false,
  ...fields,
});

const input = (extra: Partial<ConversionInput> = {}): ConversionInput => ({
  lead: lead(),
  existingCompanies: [],
  existingContacts: [],
  ids: { company: 'newCo', contact: 'newCt', deal: 'newDeal' },
  now: NOW,
  ...extra,
});

const plan = (extra: Partial<ConversionInput> = {}) => {
  const r = planConversion(input(extra));
  if (!r.ok) throw new Error(`unexpected refusal: ${r.refusal.message}`);
  return r.value;
};
const code = (extra: Partial<ConversionInput>) => {
  const r = planConversion(input(extra));
  return r.ok ? 'ok' : r.refusal.code;
};

describe('a fresh conversion creates everything', () => {
  it('creates company, contact and deal from the lead and marks the lead converted', () => {
    const p = plan({ deal: { pipeline, stage: stage(), amountMinor: 12_000_00, expectedCloseDate: '2025-05-31' } });
    expect(p.company).toEqual({
      action: 'create',
      row: { id: 'newCo', tenantId: 't1', name: 'Acme GmbH', domain: 'acme.de', ownerId: 'u1', createdAt: NOW, updatedAt: NOW },
    });
    expect(p.contact).toEqual({
      action: 'create',
      row: {
        id: 'newCt',
        tenantId: 't1',
        companyId: 'newCo',
        firstName: 'Anna',
        lastName: 'Schmidt',
        email: 'Anna.Schmidt@Acme.de',
        phone: '+49 30 1234567',
        title: 'CTO',
        ownerId: 'u1',
        createdAt: NOW,
        updatedAt: NOW,
      },
    });
    expect(p.deal).toEqual({
      id: 'newDeal',
      tenantId: 't1',
      name: 'Acme GmbH',
      amountMinor: 12_000_00,
      currency: 'CHF',
      discountPct: null,
      pipelineId: 'p1',
      stageId: 's1',
      status: 'open',
      ownerId: 'u1',
      teamId: 'team1',
      companyId: 'newCo',
      contactId: 'newCt',
      leadId: 'L1',
      expectedCloseDate: '2025-05-31',
      probability: 10,
      nextStep: null,
      wonLostReasonId: null,
      wonLostNote: null,
      stageEnteredAt: NOW,
      closedAt: null,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(p.leadChanges).toEqual({ status: 'CONVERTED', convertedCompanyId: 'newCo', convertedContactId: 'newCt', convertedDealId: 'newDeal', updatedAt: NOW });
  });

  it('converts without a deal when none is asked for', () => {
    const p = plan();
    expect(p.deal).toBeNull();
    expect(p.leadChanges.convertedDealId).toBeNull();
  });

  it.each<[string, Partial<Lead>, string | undefined, string]>([
    ['the given name', {}, '  Acme rollout ', 'Acme rollout'],
    ['the company name', {}, undefined, 'Acme GmbH'],
    ['the person when there is no company name', { companyName: null, email: 'anna@gmail.com' }, '   ', 'Anna Schmidt'],
  ])('names the deal after %s', (_label, fields, name, expected) => {
    expect(plan({ lead: lead(fields), deal: { pipeline, stage: stage(), ...(name === undefined ? {} : { name }) } }).deal?.name).toBe(expected);
  });
});

describe('company matching', () => {
  const acmeByDomain = company('co-domain', 'ACME Deutschland', 'www.acme.de');
  const acmeByName = company('co-name', 'ACME gmbh.', null);
  const other = company('co-other', 'Globex', 'globex.com');

  it.each<[string, Partial<Lead>, Company[], string | null, 'domain' | 'name' | undefined]>([
    ['by email domain first', {}, [other, acmeByName, acmeByDomain], 'co-domain', 'domain'],
    ['by a subdomain of the company domain', { email: 'anna@sales.acme.de' }, [acmeByDomain], 'co-domain', 'domain'],
    ['by normalised name when no domain matches', {}, [other, acmeByName], 'co-name', 'name'],
    ['by name when the email is free mail', { email: 'anna.schmidt@gmail.com' }, [company('co-g', 'Gmail fans', 'gmail.com'), acmeByName], 'co-name', 'name'],
    ['by name when the lead has no email', { email: null }, [acmeByName], 'co-name', 'name'],
    ['not on a domain that merely ends alike', { email: 'a@notacme.de', companyName: 'Other' }, [acmeByDomain], null, undefined],
    ['not when nothing matches', {}, [other], null, undefined],
  ])('links %s', (_label, fields, companies, id, matchedBy) => {
    const p = plan({ lead: lead(fields), existingCompanies: companies });
    if (id === null) {
      expect(p.company?.action).toBe('create');
    } else {
      expect(p.company).toEqual({ action: 'link', row: companies.find((c) => c.id === id), matchedBy });
      expect(p.contact.row.companyId).toBe(id);
      expect(p.leadChanges.convertedCompanyId).toBe(id);
    }
  });

  it('picks the oldest of several matches, whatever their order', () => {
    const older = company('z-old', 'Acme', 'acme.de', 5);
    const newer = company('a-new', 'Acme AG', 'acme.de', 9);
    expect(matchCompany(lead(), [newer, older])?.company.id).toBe('z-old');
    expect(matchCompany(lead(), [older, newer])?.company.id).toBe('z-old');
  });

  it.each<[string, Partial<Lead>, { name: string; domain: string | null } | null]>([
    ['no company for a free-mail lead without a company name', { companyName: null, email: 'anna@gmx.de' }, null],
    ['no company without a company name or an email', { companyName: '  ', email: null }, null],
    ['a company named after the domain when only the domain is known', { companyName: null }, { name: 'acme.de', domain: 'acme.de' }],
    ['a company without domain for a free-mail lead with a company name', { email: 'anna@outlook.com' }, { name: 'Acme GmbH', domain: null }],
  ])('creates %s', (_label, fields, expected) => {
    const p = plan({ lead: lead(fields) });
    if (expected === null) {
      expect(p.company).toBeNull();
      expect(p.contact.row.companyId).toBeNull();
      expect(p.leadChanges.convertedCompanyId).toBeNull();
    } else {
      expect(p.company?.action).toBe('create');
      expect(p.company?.row).toMatchObject(expected);
    }
  });

  it('links the chosen existing company even when another matches', () => {
    const chosen = company('co-chosen', 'Initech', 'initech.com');
    const p = plan({ existingCompanies: [acmeByDomain, chosen], companyChoice: { kind: 'existing', companyId: 'co-chosen' } });
    expect(p.company).toEqual({ action: 'link', row: chosen });
  });

  it('creates a new company when asked, even when one matches', () => {
    expect(plan({ existingCompanies: [acmeByDomain], companyChoice: { kind: 'new' } }).company?.action).toBe('create');
  });
});

describe('contact matching', () => {
  it.each<[string, Partial<Lead>, Contact[], 'link' | 'create']>([
    ['links a contact with the same email, in any case', {}, [contact('ct-x', 'x@acme.de'), contact('ct-anna', 'anna.schmidt@ACME.DE')], 'link'],
    ['creates when no email matches', {}, [contact('ct-x', 'x@acme.de')], 'create'],
    ['creates when the lead has no email', { email: null }, [contact('ct-none', null)], 'create'],
  ])('%s', (_label, fields, contacts, action) => {
    const p = plan({ lead: lead(fields), existingContacts: contacts });
    expect(p.contact.action).toBe(action);
    if (action === 'link') expect(p.contact.row.id).toBe('ct-anna');
    expect(p.leadChanges.convertedContactId).toBe(p.contact.row.id);
  });

  it('links the chosen existing contact, and the deal points at it', () => {
    const chosen = contact('ct-chosen', 'boss@acme.de');
    const p = plan({ existingContacts: [chosen], contactChoice: { kind: 'existing', contactId: 'ct-chosen' }, deal: { pipeline, stage: stage() } });
    expect(p.contact).toEqual({ action: 'link', row: chosen });
    expect(p.deal?.contactId).toBe('ct-chosen');
  });

  it('creates a new contact when asked, even when one matches', () => {
    expect(plan({ existingContacts: [contact('ct-anna', 'anna.schmidt@acme.de')], contactChoice: { kind: 'new' } }).contact.action).toBe('create');
  });
});

describe('refusals', () => {
  it.each<[LeadStatus, string]>([
    ['NEW', 'INVALID_TRANSITION'],
    ['CONVERTED', 'INVALID_TRANSITION'],
    ['DISQUALIFIED', 'INVALID_TRANSITION'],
    ['QUALIFIED', 'ok'],
    ['CONTACTED', 'ok'],
    ['NEGOTIATING', 'ok'],
  ])('a %s lead → %s', (status, expected) => {
    expect(code({ lead: lead({ status }) })).toBe(expected);
  });

  it.each<[string, Partial<ConversionInput>, string]>([
    ['an unknown chosen company', { companyChoice: { kind: 'existing', companyId: 'ghost' } }, 'NOT_FOUND'],
    ['an unknown chosen contact', { contactChoice: { kind: 'existing', contactId: 'ghost' } }, 'NOT_FOUND'],
    ['a new company for a lead with nothing to name it by', { lead: lead({ companyName: null, email: 'a@gmail.com' }), companyChoice: { kind: 'new' } }, 'VALIDATION'],
    ['a stage of another pipeline', { deal: { pipeline, stage: stage({ pipelineId: 'p2' }) } }, 'INVALID_TRANSITION'],
    ['a won stage', { deal: { pipeline, stage: stage({ kind: 'won' }) } }, 'INVALID_TRANSITION'],
    ['a lost stage', { deal: { pipeline, stage: stage({ kind: 'lost' }) } }, 'INVALID_TRANSITION'],
    ['an approval-gated stage', { deal: { pipeline, stage: stage({ approvalPolicyId: 'pol' }) } }, 'INVALID_TRANSITION'],
    ['a stage whose required fields the deal lacks', { deal: { pipeline, stage: stage({ requiredFields: ['amountMinor'] }) } }, 'MISSING_FIELDS'],
  ])('refuses %s', (_label, extra, expected) => {
    expect(code(extra)).toBe(expected);
  });

  it('meets a stage’s required fields with the given values and the planned links', () => {
    const s = stage({ requiredFields: ['amountMinor', 'expectedCloseDate', 'companyId', 'contactId'] });
    expect(code({ deal: { pipeline, stage: s, amountMinor: 1, expectedCloseDate: '2025-01-01' } })).toBe('ok');
    const r = planConversion(input({ lead: lead({ companyName: null, email: null }), deal: { pipeline, stage: s, amountMinor: 1, expectedCloseDate: '2025-01-01' } }));
    expect(!r.ok && r.refusal.details?.missing).toEqual(['companyId']);
  });
});
