// Leads through the client core: create with scoring and duplicate warnings, edit, lifecycle, assignment, audit.
import { describe, expect, it } from 'vitest';
import { count, openAs, refusal, snapshotCounts, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

const ana = { firstName: 'Ana', lastName: 'Schmidt', email: 'ana.schmidt@acme.de', phone: '+49 30 1234567', companyName: 'Acme GmbH', title: 'CEO' };

describe('leads', () => {
  it('creates a lead owned by the actor, scored, audited and indexed for duplicates, and reports the change', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const changes: string[][] = [];
    client.on('changed', (c) => changes.push(c.tables));
    const { lead, duplicates } = await client.call('leads.create', { ...ana, source: 'referral' });
    expect(lead).toMatchObject({ status: 'NEW', ownerId: U.rep1, teamId: 'team-east', email: 'ana.schmidt@acme.de' });
    expect(lead.score).toBeGreaterThan(0);
    expect(lead.scoreFactors.map((f) => f.key)).toEqual(expect.arrayContaining(['fit:senior-title', 'fit:referral']));
    expect(duplicates).toEqual([]);
    expect(count(client, 'lead_dedupe_keys', 'lead_id = ?', lead.id)).toBeGreaterThanOrEqual(3);
    const [entry] = await client.call('audit.history', { entityType: 'lead', entityId: lead.id });
    expect(entry).toMatchObject({ action: 'create', actorId: U.rep1, before: null, after: { email: 'ana.schmidt@acme.de', status: 'NEW' } });
    expect(changes).toEqual([['audit_log', 'leads']]);
    await client.close();
  });

  it('warns about a duplicate on create and flags the new lead', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const first = await client.call('leads.create', ana);
    const second = await client.call('leads.create', { firstName: 'Anna', lastName: 'Schmidt', email: 'ANA.SCHMIDT@acme.de ' });
    expect(second.duplicates[0]).toMatchObject({ id: first.lead.id, lead: { lastName: 'Schmidt' } });
    expect(second.duplicates[0]!.matched.map((m) => m.field)).toContain('email');
    expect(second.lead.possibleDuplicateOf).toBe(first.lead.id);
    await client.close();
  });

  it.each([
    ['a bad email', { lastName: 'X', email: 'not-an-email' }, 'VALIDATION', 'email'],
    ['a bad country', { lastName: 'X', country: 'Germany' }, 'VALIDATION', 'country'],
    ['nothing to identify the person', { title: 'CEO' }, 'VALIDATION', 'lastName'],
  ])('refuses a lead with %s and writes nothing', async (_name, input, code, path) => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const before = snapshotCounts(client);
    const err = await refusal(client.call('leads.create', input));
    expect(err.code).toBe(code);
    expect(err.fields?.map((f) => f.path)).toContain(path);
    expect(snapshotCounts(client)).toEqual(before);
    await client.close();
  });

  it('refuses a client id that is already taken', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    await client.call('leads.create', { id: 'lead-1', lastName: 'One' });
    expect((await refusal(client.call('leads.create', { id: 'lead-1', lastName: 'Two' }))).code).toBe('CONFLICT');
    expect((await client.call('leads.get', { id: 'lead-1' })).lastName).toBe('One');
    await client.close();
  });

  it('updates only the patched fields, audits before/after of the changes, and re-keys duplicates', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const { lead } = await client.call('leads.create', ana);
    clock.advance(60_000);
    const updated = await client.call('leads.update', { id: lead.id, patch: { email: 'ana@newco.io', title: 'CEO', phone: '' } });
    expect(updated).toMatchObject({ email: 'ana@newco.io', phone: null, title: 'CEO', updatedAt: clock.now, companyName: 'Acme GmbH' });
    expect(updated.score).toBeLessThan(lead.score);
    const [entry] = await client.call('audit.history', { entityType: 'lead', entityId: lead.id });
    expect(entry!.action).toBe('update');
    expect(entry!.before).toEqual({ email: 'ana.schmidt@acme.de', phone: '+49 30 1234567', score: lead.score, scoreFactors: lead.scoreFactors });
    expect(entry!.after).toMatchObject({ email: 'ana@newco.io', phone: null });
    const dupes = await client.call('leads.findDuplicates', { draft: { firstName: 'Ana', lastName: 'Schmidt', email: 'ana@newco.io' } });
    expect(dupes.map((d) => d.id)).toEqual([lead.id]);
    expect(await client.call('leads.findDuplicates', { draft: { lastName: 'Nobody', email: 'ana.schmidt@acme.de' } })).toEqual([]);
    await client.close();
  });

  it('runs the lifecycle: criteria guard qualification, disqualification needs a reason, reopening needs the permission', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const { lead } = await rep.call('leads.create', { lastName: 'Noemail', phone: '+49 40 555000' });
    const before = snapshotCounts(rep);
    const notQualified = await refusal(rep.call('leads.qualify', { id: lead.id }));
    expect(notQualified).toMatchObject({ code: 'QUALIFICATION_FAILED', fields: [{ path: 'email', message: 'email is required to qualify' }] });
    expect(snapshotCounts(rep)).toEqual(before);
    await rep.call('leads.update', { id: lead.id, patch: { email: 'no@mail.de' } });
    expect((await rep.call('leads.qualify', { id: lead.id })).status).toBe('QUALIFIED');
    expect((await rep.call('leads.advance', { id: lead.id, to: 'NEGOTIATING' })).status).toBe('NEGOTIATING');
    expect((await refusal(rep.call('leads.disqualify', { id: lead.id, reason: '  ' }))).code).toBe('REASON_REQUIRED');
    expect(await rep.call('leads.disqualify', { id: lead.id, reason: 'no budget' })).toMatchObject({ status: 'DISQUALIFIED', disqualifyReason: 'no budget' });
    expect((await refusal(rep.call('leads.advance', { id: lead.id, to: 'CONTACTED' }))).code).toBe('INVALID_TRANSITION');
    expect((await refusal(rep.call('leads.reopen', { id: lead.id }))).code).toBe('FORBIDDEN');
    await rep.close();
    const manager = openAs(dir, U.manager, clock, { fresh: false });
    expect(await manager.call('leads.reopen', { id: lead.id })).toMatchObject({ status: 'NEW', disqualifyReason: null });
    await manager.close();
  });

  it('assigns leads: a manager hands them to a rep, who is notified; a rep may not reassign', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const a = (await rep.call('leads.create', { lastName: 'A' })).lead;
    const b = (await rep.call('leads.create', { lastName: 'B' })).lead;
    expect((await refusal(rep.call('leads.assign', { ids: [a.id], ownerId: U.rep2 }))).code).toBe('FORBIDDEN');
    await rep.close();
    const manager = openAs(dir, U.manager, clock, { fresh: false });
    expect(await manager.call('leads.assign', { ids: [a.id, b.id, a.id], ownerId: U.rep2 })).toEqual({ updated: 2 });
    expect((await manager.call('leads.get', { id: b.id })).ownerId).toBe(U.rep2);
    const [entry] = await manager.call('audit.history', { entityType: 'lead', entityId: a.id });
    expect(entry).toMatchObject({ action: 'assign', actorId: U.manager, before: { ownerId: U.rep1 }, after: { ownerId: U.rep2 } });
    const unknownUser = await refusal(manager.call('leads.assign', { ids: [a.id], ownerId: 'u-nobody' }));
    expect(unknownUser.code).toBe('NOT_FOUND');
    await manager.close();
    const rep2 = openAs(dir, U.rep2, clock, { fresh: false });
    const inbox = await rep2.call('notifications.list', {});
    expect(inbox.unread).toBe(1);
    expect(inbox.items[0]).toMatchObject({ kind: 'assignment', title: '2 leads were assigned to you' });
    expect(await rep2.call('notifications.markRead', { all: true })).toEqual({ unread: 0 });
    await rep2.close();
  });

  it('keeps every lead after the store is closed and reopened', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const first = openAs(dir, U.rep1, clock);
    const { lead } = await first.call('leads.create', ana);
    await first.close();
    const again = openAs(dir, U.rep1, clock, { fresh: false });
    expect(await again.call('leads.get', { id: lead.id })).toEqual(lead);
    await again.close();
  });
});
