// Lead conversion and merge: one transaction each, linking existing records, keeping timelines and history.
import { describe, expect, it } from 'vitest';
import { count, openAs, PIPELINE, refusal, S, snapshotCounts, T0, TENANT, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

const existingCompany = { id: 'co-acme', tenantId: TENANT, name: 'ACME Corporation', domain: 'acme.com', ownerId: U.rep1, createdAt: T0, updatedAt: T0 };

describe('leads.convert', () => {
  it('links the existing company by email domain, creates contact and deal, and marks the lead converted, in one go', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    client.bootstrap({ companies: [existingCompany] });
    const { lead } = await client.call('leads.create', { firstName: 'Bo', lastName: 'Berg', email: 'bo@sales.acme.com', companyName: 'Acme' });
    await client.call('leads.qualify', { id: lead.id });
    const out = await client.call('leads.convert', { leadId: lead.id, deal: { pipelineId: PIPELINE, amountMinor: 700_00 } });
    expect(out.company).toMatchObject({ id: 'co-acme' });
    expect(out.contact).toMatchObject({ companyId: 'co-acme', email: 'bo@sales.acme.com', lastName: 'Berg' });
    expect(out.deal).toMatchObject({ stageId: S.leadIn, companyId: 'co-acme', contactId: out.contact.id, leadId: lead.id, amountMinor: 700_00, name: 'Acme' });
    expect(out.lead).toMatchObject({ status: 'CONVERTED', convertedCompanyId: 'co-acme', convertedContactId: out.contact.id, convertedDealId: out.deal!.id });
    expect(count(client, 'companies')).toBe(1);
    expect(count(client, 'stage_history', 'deal_id = ?', out.deal!.id)).toBe(1);
    const [entry] = await client.call('audit.history', { entityType: 'lead', entityId: lead.id });
    expect(entry).toMatchObject({ action: 'convert', after: { status: 'CONVERTED' } });
    expect((await refusal(client.call('leads.convert', { leadId: lead.id }))).code).toBe('INVALID_TRANSITION');
    await client.close();
  });

  it.each([
    ['a deal stage in another pipeline state (closed)', { deal: { pipelineId: PIPELINE, stageId: S.won } }, 'INVALID_TRANSITION'],
    ['a deal stage needing fields the deal lacks', { deal: { pipelineId: PIPELINE, stageId: S.proposal } }, 'MISSING_FIELDS'],
    ['an unknown existing company', { company: { kind: 'existing' as const, companyId: 'co-nope' } }, 'NOT_FOUND'],
  ])('refuses a conversion with %s and creates no company, contact or deal', async (_name, extra, code) => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const { lead } = await client.call('leads.create', { lastName: 'Berg', email: 'bo@newco.io', companyName: 'Newco' });
    await client.call('leads.qualify', { id: lead.id });
    const before = snapshotCounts(client);
    expect((await refusal(client.call('leads.convert', { leadId: lead.id, ...extra }))).code).toBe(code);
    expect(snapshotCounts(client)).toEqual(before);
    expect((await client.call('leads.get', { id: lead.id })).status).toBe('QUALIFIED');
    await client.close();
  });

  it('refuses to convert a NEW lead', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const { lead } = await client.call('leads.create', { lastName: 'Berg', email: 'bo@newco.io' });
    expect((await refusal(client.call('leads.convert', { leadId: lead.id }))).code).toBe('INVALID_TRANSITION');
    await client.close();
  });
});

describe('leads.merge', () => {
  it('keeps both timelines and both histories on the winner, fills its gaps from the loser, and removes the loser', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const winner = (await client.call('leads.create', { firstName: 'Ana', lastName: 'Schmidt', email: 'ana@acme.de' })).lead;
    const loser = (await client.call('leads.create', { firstName: 'Anna', lastName: 'Schmidt', email: 'ana@acme.de', phone: '+49 30 999999', title: 'CTO' })).lead;
    await client.call('activities.log', { entityType: 'lead', entityId: winner.id, kind: 'note', subject: 'met at fair' });
    clock.advance(1000);
    await client.call('activities.log', { entityType: 'lead', entityId: loser.id, kind: 'call', subject: 'called' });
    clock.advance(1000);
    const merged = await client.call('leads.merge', { winnerId: winner.id, loserId: loser.id, fields: { firstName: 'loser', title: 'winner' } });
    // firstName chosen from the loser, title explicitly kept (empty) from the winner, phone filled from the loser.
    expect(merged).toMatchObject({ id: winner.id, firstName: 'Anna', phone: '+49 30 999999', title: null, possibleDuplicateOf: null });
    const timeline = await client.call('activities.list', { entityType: 'lead', entityId: winner.id });
    expect(timeline.map((a) => a.subject)).toEqual(['called', 'met at fair']);
    expect((await refusal(client.call('leads.get', { id: loser.id }))).code).toBe('NOT_FOUND');
    const history = await client.call('audit.history', { entityType: 'lead', entityId: winner.id });
    expect(history.map((h) => [h.entityId === winner.id ? 'winner' : 'loser', h.action])).toEqual([
      ['winner', 'merge'], ['loser', 'merge'], ['loser', 'update'], ['winner', 'update'], ['loser', 'create'], ['winner', 'create'],
    ]);
    expect(count(client, 'lead_dedupe_keys', 'lead_id = ?', loser.id)).toBe(0);
    expect((await refusal(client.call('leads.merge', { winnerId: winner.id, loserId: winner.id }))).code).toBe('VALIDATION');
    await client.close();
  });
});
