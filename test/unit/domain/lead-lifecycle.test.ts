import { describe, expect, it } from 'vitest';
import type { Permission, QualificationCriteria } from '../../../src-shared/domain/accounts.schema';
import type { LeadLifecycleFields } from '../../../src-shared/domain/lead-lifecycle';
import { LEAD_TRANSITIONS, isTerminalLeadStatus, qualificationProblems, transitionLead } from '../../../src-shared/domain/lead-lifecycle';
import type { LeadStatus } from '../../../src-shared/domain/leads.schema';
import { LEAD_STATUSES } from '../../../src-shared/domain/leads.schema';

const complete: Omit<LeadLifecycleFields, 'status'> = {
  email: 'ana@acme.com',
  phone: '+49 30 1234567',
  companyName: 'Acme GmbH',
  title: 'CTO',
  country: 'DE',
  score: 80,
};
const lead = (status: LeadStatus, fields: Partial<LeadLifecycleFields> = {}): LeadLifecycleFields => ({ ...complete, status, ...fields });
const lax: QualificationCriteria = { requiredFields: [], minScore: 0 };
const strict: QualificationCriteria = { requiredFields: ['email', 'companyName', 'country'], minScore: 50 };
const ctx = (extra: Partial<Parameters<typeof transitionLead>[2]> = {}) => ({ criteria: lax, permissions: [] as Permission[], ...extra });

describe('the transition table', () => {
  it('has a row for every status and only names known statuses', () => {
    expect(Object.keys(LEAD_TRANSITIONS).sort()).toEqual([...LEAD_STATUSES].sort());
    for (const targets of Object.values(LEAD_TRANSITIONS)) for (const t of targets) expect(LEAD_STATUSES).toContain(t);
  });

  it.each<[LeadStatus, boolean]>([
    ['NEW', false],
    ['QUALIFIED', false],
    ['CONTACTED', false],
    ['NEGOTIATING', false],
    ['CONVERTED', true],
    ['DISQUALIFIED', true],
  ])('%s terminal: %s', (status, terminal) => {
    expect(isTerminalLeadStatus(status)).toBe(terminal);
  });
});

describe('allowed moves', () => {
  it.each<[LeadStatus, LeadStatus]>([
    ['NEW', 'QUALIFIED'],
    ['NEW', 'CONTACTED'],
    ['QUALIFIED', 'CONTACTED'],
    ['QUALIFIED', 'NEGOTIATING'],
    ['CONTACTED', 'NEGOTIATING'],
    ['QUALIFIED', 'NEW'],
    ['CONTACTED', 'QUALIFIED'],
    ['NEGOTIATING', 'CONTACTED'],
  ])('%s → %s', (from, to) => {
    expect(transitionLead(lead(from), to, ctx())).toEqual({ ok: true, value: { status: to, disqualifyReason: null } });
  });

  it.each<LeadStatus>(['QUALIFIED', 'CONTACTED', 'NEGOTIATING'])('%s → CONVERTED through conversion', (from) => {
    expect(transitionLead(lead(from), 'CONVERTED', ctx({ viaConversion: true }))).toEqual({ ok: true, value: { status: 'CONVERTED', disqualifyReason: null } });
  });

  it.each<LeadStatus>(['NEW', 'QUALIFIED', 'CONTACTED', 'NEGOTIATING'])('%s → DISQUALIFIED with a reason, trimmed', (from) => {
    expect(transitionLead(lead(from), 'DISQUALIFIED', ctx({ reason: '  no budget ' }))).toEqual({
      ok: true,
      value: { status: 'DISQUALIFIED', disqualifyReason: 'no budget' },
    });
  });

  it('reopens DISQUALIFIED → NEW with leads.reopen, clearing the reason', () => {
    expect(transitionLead(lead('DISQUALIFIED'), 'NEW', ctx({ permissions: ['leads.viewAll', 'leads.reopen'] }))).toEqual({
      ok: true,
      value: { status: 'NEW', disqualifyReason: null },
    });
  });

  it('does not re-check qualification for moves after NEW (criteria may have tightened since)', () => {
    const weak = lead('QUALIFIED', { email: null, score: 0 });
    expect(transitionLead(weak, 'CONTACTED', ctx({ criteria: strict })).ok).toBe(true);
    expect(transitionLead(weak, 'CONVERTED', ctx({ criteria: strict, viaConversion: true })).ok).toBe(true);
  });
});

describe('refusals', () => {
  it.each<[LeadStatus, LeadStatus]>([
    ['NEW', 'NEW'],
    ['NEW', 'NEGOTIATING'],
    ['NEW', 'CONVERTED'],
    ['CONTACTED', 'NEW'],
    ['NEGOTIATING', 'QUALIFIED'],
    ['NEGOTIATING', 'NEW'],
    ['CONVERTED', 'NEW'],
    ['CONVERTED', 'QUALIFIED'],
    ['CONVERTED', 'DISQUALIFIED'],
    ['DISQUALIFIED', 'QUALIFIED'],
    ['DISQUALIFIED', 'CONVERTED'],
  ])('%s → %s is an invalid transition naming both states', (from, to) => {
    const r = transitionLead(lead(from), to, ctx({ permissions: ['leads.reopen'], viaConversion: true, reason: 'x' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe('INVALID_TRANSITION');
    expect(r.refusal.message).toContain(from);
    expect(r.refusal.message).toContain(to);
  });

  it('says a converted lead cannot reopen', () => {
    const r = transitionLead(lead('CONVERTED'), 'NEW', ctx({ permissions: ['leads.reopen'] }));
    expect(!r.ok && r.refusal.message).toMatch(/cannot reopen/);
  });

  it.each<LeadStatus>(['QUALIFIED', 'CONTACTED', 'NEGOTIATING'])('%s → CONVERTED outside conversion is refused', (from) => {
    const r = transitionLead(lead(from), 'CONVERTED', ctx());
    expect(!r.ok && r.refusal.code).toBe('INVALID_TRANSITION');
    expect(!r.ok && r.refusal.message).toMatch(/only by converting/);
  });

  it.each<[string, string | null | undefined]>([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
  ])('DISQUALIFIED with a %s reason needs a reason', (_label, reason) => {
    const r = transitionLead(lead('CONTACTED'), 'DISQUALIFIED', ctx({ reason }));
    expect(r).toEqual({
      ok: false,
      refusal: { code: 'REASON_REQUIRED', message: expect.any(String) as string, fields: [{ path: 'reason', message: expect.any(String) as string }] },
    });
  });

  it('reopening without leads.reopen is forbidden', () => {
    const r = transitionLead(lead('DISQUALIFIED'), 'NEW', ctx({ permissions: ['leads.viewAll', 'deals.approve'] }));
    expect(!r.ok && r.refusal.code).toBe('FORBIDDEN');
    expect(!r.ok && r.refusal.message).toContain('leads.reopen');
  });
});

describe('qualification criteria', () => {
  it.each<[string, Partial<LeadLifecycleFields>, string[], number]>([
    ['email missing', { email: null }, ['email'], 0],
    ['company blank', { companyName: '  ' }, ['companyName'], 0],
    ['two fields missing', { email: null, country: null }, ['email', 'country'], 0],
    ['score short by 11', { score: 39 }, [], 11],
    ['fields and score', { companyName: null, score: 0 }, ['companyName'], 50],
  ])('NEW → QUALIFIED with %s fails', (_label, fields, missing, shortfall) => {
    const r = transitionLead(lead('NEW', fields), 'QUALIFIED', ctx({ criteria: strict }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.code).toBe('QUALIFICATION_FAILED');
    const paths = r.refusal.fields?.map((f) => f.path);
    expect(paths).toEqual(shortfall > 0 ? [...missing, 'score'] : missing);
    expect(r.refusal.details).toMatchObject({ missing, shortfall, minScore: 50 });
  });

  it('applies to skipping ahead from NEW too', () => {
    const r = transitionLead(lead('NEW', { email: null }), 'CONTACTED', ctx({ criteria: strict }));
    expect(!r.ok && r.refusal.code).toBe('QUALIFICATION_FAILED');
  });

  it('passes a lead that meets every criterion, exactly at the minimum score', () => {
    expect(transitionLead(lead('NEW', { phone: null, title: null, score: 50 }), 'QUALIFIED', ctx({ criteria: strict })).ok).toBe(true);
  });

  it('does not apply to disqualifying or stepping back', () => {
    const weak = lead('NEW', { email: null, score: 0 });
    expect(transitionLead(weak, 'DISQUALIFIED', ctx({ criteria: strict, reason: 'spam' })).ok).toBe(true);
    expect(transitionLead({ ...weak, status: 'QUALIFIED' }, 'NEW', ctx({ criteria: strict })).ok).toBe(true);
  });

  it('qualificationProblems lists nothing for a complete lead', () => {
    expect(qualificationProblems(complete, strict)).toEqual([]);
  });
});
