// Deterministic demo/benchmark data: a tenant with users, teams, pipelines, leads, deals with stage histories and activities.
import type { Role, Team, Tenant, User } from '../domain/accounts.schema';
import type { Activity, ActivityKind } from '../domain/activities.schema';
import type { ApprovalPolicy } from '../domain/approvals.schema';
import type { Deal, Pipeline, Stage, StageHistory, StageTransitionRule, WinLossReason } from '../domain/deals.schema';
import type { Company, Contact, Lead, LeadStatus } from '../domain/leads.schema';
import { DAY_MS } from '../domain/common.schema';
import { seededRandom, type Random } from './seeded-random';

export interface DemoDatasetOptions {
  seed: number;
  /** "Now" for the data set: every timestamp is at or before it. */
  now: number;
  leads: number;
  deals: number;
  activities: number;
  /** Extra reps beyond the two demo reps, for large data sets. */
  extraReps?: number;
  /** Share of deals in the renewals pipeline (default 0.2); 0 puts every deal on the new-business board. */
  renewalShare?: number;
}

export interface DemoDataset {
  tenant: Tenant;
  roles: Role[];
  teams: Team[];
  users: User[];
  pipelines: Pipeline[];
  stages: Stage[];
  transitionRules: StageTransitionRule[];
  winLossReasons: WinLossReason[];
  approvalPolicies: ApprovalPolicy[];
  companies: Company[];
  contacts: Contact[];
  leads: Lead[];
  deals: Deal[];
  stageHistory: StageHistory[];
  activities: Activity[];
}

export const DEMO_PASSWORD = 'demo1234';

const FIRST = ['Ana', 'Ben', 'Chloé', 'David', 'Elena', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Luca', 'Maya', 'Noah', 'Olga', 'Paul', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wim', 'Xenia', 'Yusuf', 'Zoe'];
const LAST = ['Schmidt', 'Müller', 'Dubois', 'Martin', 'Rossi', 'García', 'Smith', 'Johnson', 'de Vries', 'Jansen', 'Novak', 'Kowalski', 'Nielsen', 'Berg', 'Lambert', 'Moreau', 'Fischer', 'Weber', 'Costa', 'Silva', 'Brown', 'Taylor', 'Wilson', 'Meyer'];
const COMPANY_A = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Aperture', 'Gringotts', 'Oscorp', 'Nakatomi', 'Dunder', 'Prestige', 'Monarch', 'Blue Sun'];
const COMPANY_B = ['Systems', 'Logistics', 'Foods', 'Energy', 'Labs', 'Retail', 'Health', 'Media', 'Capital', 'Motors', 'Software', 'Textiles'];
const SUFFIX = ['GmbH', 'Inc.', 'Ltd', 'SA', 'BV', ''];
const TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Operations', 'Procurement Manager', 'Director of IT', 'Office Manager', 'Engineer', 'Consultant', 'Marketing Lead'];
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'NL', 'ES', 'IT', 'AT', 'CH', 'PL'];
const SOURCES: [string, string, string][] = [
  ['google', 'cpc', 'spring-search'], ['linkedin', 'social', 'decision-makers'], ['referral', 'referral', 'partner-program'],
  ['trade-show', 'event', 'hannover-messe'], ['website', 'organic', 'none'], ['newsletter', 'email', 'monthly-digest'],
];
const STATUS_WEIGHTS: [LeadStatus, number][] = [['NEW', 40], ['QUALIFIED', 20], ['CONTACTED', 15], ['NEGOTIATING', 8], ['CONVERTED', 9], ['DISQUALIFIED', 8]];
const ACTIVITY_KINDS: ActivityKind[] = ['call', 'email', 'meeting', 'note', 'task'];

function weighted<T>(rnd: Random, table: readonly [T, number][]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rnd.next() * total;
  for (const [v, w] of table) {
    x -= w;
    if (x < 0) return v;
  }
  return table[table.length - 1]![0];
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function generateDemoDataset(opts: DemoDatasetOptions): DemoDataset {
  const rnd = seededRandom(opts.seed);
  const { now } = opts;
  const tenantId = rnd.uuid();
  const createdAt = now - 400 * DAY_MS;
  const tenant: Tenant = {
    id: tenantId, name: 'Demo Co', slug: 'demo', createdAt,
    settings: { currency: 'EUR', qualification: { requiredFields: ['email'], minScore: 0 }, leadRetentionDays: 180, duplicatePolicy: 'flag', distributionFallback: { kind: 'unassigned' } },
  };
  const roles: Role[] = [
    { id: rnd.uuid(), tenantId, name: 'admin', permissions: ['leads.viewTeam', 'leads.viewAll', 'leads.reopen', 'leads.reassign', 'deals.viewTeam', 'deals.viewAll', 'deals.approve', 'pipelines.edit', 'config.edit', 'users.manage', 'data.export', 'data.import'], approvalLimitMinor: null },
    { id: rnd.uuid(), tenantId, name: 'manager', permissions: ['leads.viewTeam', 'leads.reopen', 'leads.reassign', 'deals.viewTeam', 'deals.approve', 'data.export', 'data.import'], approvalLimitMinor: 100_000_00 },
    { id: rnd.uuid(), tenantId, name: 'rep', permissions: ['data.import'], approvalLimitMinor: 0 },
  ];
  const adminId = rnd.uuid();
  const managerId = rnd.uuid();
  const east: Team = { id: rnd.uuid(), tenantId, name: 'East', managerId };
  const west: Team = { id: rnd.uuid(), tenantId, name: 'West', managerId };
  const user = (email: string, name: string, role: User['role'], teamId: string | null, mgr: string | null, territory: string | null): User => ({
    id: rnd.uuid(), tenantId, email, name, role, teamId, managerId: mgr, active: true, capacity: role === 'rep' ? 5000 : null, territory, createdAt,
  });
  const users: User[] = [
    { ...user('admin@demo.test', 'Ada Admin', 'admin', null, null, null), id: adminId },
    { ...user('manager@demo.test', 'Max Manager', 'manager', east.id, adminId, null), id: managerId },
    user('rep1@demo.test', 'Rita Rep', 'rep', east.id, managerId, 'DE'),
    user('rep2@demo.test', 'Rob Rep', 'rep', west.id, managerId, 'FR'),
  ];
  for (let i = 0; i < (opts.extraReps ?? 0); i++) {
    users.push(user(`rep${i + 3}@demo.test`, `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`, 'rep', i % 2 ? west.id : east.id, managerId, rnd.pick(COUNTRIES)));
  }
  const reps = users.filter((u) => u.role === 'rep');

  const approvalPolicies: ApprovalPolicy[] = [{
    id: rnd.uuid(), tenantId, name: 'Large deals', configVersion: 1,
    levels: [
      { minAmountMinor: 10_000_00, approver: { kind: 'managerOfOwner' }, deadlineHours: 48, escalationTarget: { kind: 'role', role: 'admin' }, timeoutAction: 'reassign' },
      { minAmountMinor: 50_000_00, approver: { kind: 'role', role: 'admin' }, deadlineHours: 72, escalationTarget: null, timeoutAction: 'notify' },
    ],
  }];
  const access = { viewRoles: ['admin', 'manager', 'rep'] as User['role'][], viewTeamIds: [], moveRoles: ['admin', 'manager', 'rep'] as User['role'][], editRoles: ['admin'] as User['role'][] };
  const pipeline = (name: string, position: number): Pipeline => ({ id: rnd.uuid(), tenantId, name, position, configVersion: 1, currency: 'EUR', transitionMode: 'any', access, createdAt, updatedAt: createdAt });
  const sales = pipeline('New business', 0);
  const renewals = pipeline('Renewals', 1);
  const stage = (p: Pipeline, position: number, name: string, probability: number, kind: Stage['kind'], extra: Partial<Stage> = {}): Stage => ({
    id: rnd.uuid(), tenantId, pipelineId: p.id, name, position, probability, kind, rottingDays: kind === 'open' ? 21 : null, requiredFields: [], approvalPolicyId: null, fold: kind !== 'open', ...extra,
  });
  const salesStages = [
    stage(sales, 0, 'Prospecting', 10, 'open'),
    stage(sales, 1, 'Discovery', 25, 'open'),
    stage(sales, 2, 'Proposal', 50, 'open', { requiredFields: ['amountMinor', 'expectedCloseDate'] }),
    stage(sales, 3, 'Negotiation', 75, 'open', { requiredFields: ['amountMinor', 'expectedCloseDate', 'contactId'], approvalPolicyId: approvalPolicies[0]!.id }),
    stage(sales, 4, 'Won', 100, 'won'),
    stage(sales, 5, 'Lost', 0, 'lost'),
  ];
  const renewalStages = [
    stage(renewals, 0, 'Up for renewal', 60, 'open'),
    stage(renewals, 1, 'Quote sent', 80, 'open', { requiredFields: ['amountMinor'] }),
    stage(renewals, 2, 'Renewed', 100, 'won'),
    stage(renewals, 3, 'Churned', 0, 'lost'),
  ];
  const stages = [...salesStages, ...renewalStages];
  const transitionRules: StageTransitionRule[] = [
    // Nobody jumps from prospecting straight to a won deal.
    { id: rnd.uuid(), tenantId, pipelineId: sales.id, fromStageId: salesStages[0]!.id, toStageId: salesStages[4]!.id, effect: 'deny' },
  ];
  const reason = (kind: 'won' | 'lost', label: string): WinLossReason => ({ id: rnd.uuid(), tenantId, kind, label, active: true });
  const winLossReasons = [
    reason('won', 'Best product fit'), reason('won', 'Price'), reason('won', 'Relationship'),
    reason('lost', 'Too expensive'), reason('lost', 'Chose a competitor'), reason('lost', 'No budget'), reason('lost', 'No decision'),
  ];

  const companies: Company[] = [];
  const companyCount = Math.max(5, Math.ceil(opts.deals / 3));
  for (let i = 0; i < companyCount; i++) {
    const base = `${rnd.pick(COMPANY_A)} ${rnd.pick(COMPANY_B)}`;
    const name = `${base}${i >= COMPANY_A.length * COMPANY_B.length ? ` ${i}` : ''} ${rnd.pick(SUFFIX)}`.trim();
    companies.push({ id: rnd.uuid(), tenantId, name, domain: `${base.toLowerCase().replace(/[^a-z]+/g, '')}${i}.example`, ownerId: rnd.pick(reps).id, createdAt, updatedAt: createdAt });
  }

  const leads: Lead[] = [];
  for (let i = 0; i < opts.leads; i++) {
    const first = rnd.pick(FIRST);
    const last = rnd.pick(LAST);
    const [source, medium, campaign] = rnd.pick(SOURCES);
    const owner = rnd.chance(0.9) ? rnd.pick(reps) : null;
    const status = weighted(rnd, STATUS_WEIGHTS);
    const at = now - rnd.int(0, 365) * DAY_MS - rnd.int(0, DAY_MS - 1);
    const company = rnd.chance(0.85) ? `${rnd.pick(COMPANY_A)} ${rnd.pick(COMPANY_B)}` : null;
    leads.push({
      id: rnd.uuid(), tenantId, firstName: first, lastName: last,
      email: rnd.chance(0.9) ? `${first}.${last}.${i}@${company ? `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example` : 'gmail.com'}`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9.@-]/g, '') : null,
      phone: rnd.chance(0.7) ? `+49 30 ${rnd.int(1000000, 9999999)}` : null,
      companyName: company, title: rnd.chance(0.8) ? rnd.pick(TITLES) : null, country: rnd.pick(COUNTRIES), region: null,
      source, medium, campaign, referrer: source === 'website' ? 'https://www.example.com/pricing' : null, formKey: source === 'website' ? 'demo' : null,
      status, disqualifyReason: status === 'DISQUALIFIED' ? rnd.pick(['No budget', 'Wrong fit', 'Unreachable']) : null,
      score: 0, scoreFactors: [], winProbability: null,
      ownerId: owner?.id ?? null, teamId: owner?.teamId ?? null, possibleDuplicateOf: null,
      convertedContactId: null, convertedCompanyId: null, convertedDealId: null,
      lastActivityAt: null, archived: false, createdAt: at, updatedAt: at,
    });
  }

  const contacts: Contact[] = [];
  const deals: Deal[] = [];
  const stageHistory: StageHistory[] = [];
  for (let i = 0; i < opts.deals; i++) {
    const isSales = !rnd.chance(opts.renewalShare ?? 0.2);
    const p = isSales ? sales : renewals;
    const ps = isSales ? salesStages : renewalStages;
    const open = ps.filter((s) => s.kind === 'open');
    const outcome = weighted(rnd, [['open', 60], ['won', 20], ['lost', 20]] as [string, number][]);
    const finalStage = outcome === 'open' ? rnd.pick(open) : ps.find((s) => s.kind === outcome)!;
    const owner = rnd.pick(reps);
    const company = rnd.pick(companies);
    const contact: Contact = { id: rnd.uuid(), tenantId, companyId: company.id, firstName: rnd.pick(FIRST), lastName: rnd.pick(LAST), email: null, phone: null, title: rnd.pick(TITLES), ownerId: owner.id, createdAt, updatedAt: createdAt };
    contacts.push(contact);
    const created = now - rnd.int(5, 360) * DAY_MS;
    // Walk the open stages up to the final one, then into won/lost if closed.
    const path: Stage[] = outcome === 'open' ? open.slice(0, open.indexOf(finalStage) + 1) : [...open.slice(0, rnd.int(1, open.length)), finalStage];
    let t = created;
    const dealId = rnd.uuid();
    path.forEach((s, k) => {
      const last = k === path.length - 1;
      const exit = last ? null : Math.max(t, Math.min(now - (path.length - k - 1) * 1000, t + rnd.int(1, 20) * DAY_MS));
      stageHistory.push({ id: rnd.uuid(), tenantId, dealId, pipelineId: p.id, stageId: s.id, enteredAt: t, exitedAt: exit, actorId: owner.id });
      if (exit !== null) t = exit;
    });
    const amount = rnd.int(1_000, 200_000) * 100;
    deals.push({
      id: dealId, tenantId, name: `${company.name} — ${isSales ? 'new business' : 'renewal'} ${i}`, amountMinor: amount, currency: 'EUR', discountPct: rnd.chance(0.3) ? rnd.int(1, 20) : null,
      pipelineId: p.id, stageId: finalStage.id, status: outcome as Deal['status'], ownerId: owner.id, teamId: owner.teamId,
      companyId: company.id, contactId: contact.id, leadId: null, expectedCloseDate: isoDate(t + rnd.int(5, 90) * DAY_MS),
      probability: finalStage.probability, nextStep: outcome === 'open' ? 'Follow up call' : null,
      wonLostReasonId: outcome === 'open' ? null : rnd.pick(winLossReasons.filter((r) => r.kind === outcome)).id, wonLostNote: null,
      stageEnteredAt: t, closedAt: outcome === 'open' ? null : t, createdAt: created, updatedAt: t,
    });
  }
  // Link converted leads to deals (and so to their companies and contacts), as a conversion would have.
  let d = 0;
  for (const lead of leads) {
    if (lead.status !== 'CONVERTED' || d >= deals.length) continue;
    const deal = deals[d++]!;
    deal.leadId = lead.id;
    lead.convertedDealId = deal.id;
    lead.convertedCompanyId = deal.companyId;
    lead.convertedContactId = deal.contactId;
  }

  const activities: Activity[] = [];
  for (let i = 0; i < opts.activities; i++) {
    const onDeal = deals.length > 0 && rnd.chance(0.3);
    const entity = onDeal ? rnd.pick(deals) : rnd.pick(leads);
    if (!entity) break;
    const kind = rnd.pick(ACTIVITY_KINDS);
    const at = Math.min(now, entity.createdAt + rnd.int(0, 60) * DAY_MS);
    activities.push({
      id: rnd.uuid(), tenantId, entityType: onDeal ? 'deal' : 'lead', entityId: entity.id, kind,
      subject: kind === 'task' ? 'Send proposal' : `${kind[0]!.toUpperCase()}${kind.slice(1)} with customer`, body: null,
      occurredAt: at, dueAt: kind === 'task' ? at + 3 * DAY_MS : null, doneAt: kind === 'task' && rnd.chance(0.5) ? at + DAY_MS : null,
      ownerId: entity.ownerId, createdAt: at,
    });
    if (!onDeal) {
      const lead = entity as Lead;
      if (lead.lastActivityAt === null || lead.lastActivityAt < at) lead.lastActivityAt = at;
    }
  }

  return { tenant, roles, teams: [east, west], users, pipelines: [sales, renewals], stages, transitionRules, winLossReasons, approvalPolicies, companies, contacts, leads, deals, stageHistory, activities };
}
