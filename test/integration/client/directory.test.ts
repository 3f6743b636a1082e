// Directory reads for the screens: users and teams to pick from, company search, and a conversion's suggested matches.
import { describe, expect, it } from 'vitest';
import { openAs, T0, TEAM, TENANT, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const company = (id: string, name: string, domain: string | null) => ({ id, tenantId: TENANT, name, domain, ownerId: U.rep1, createdAt: T0, updatedAt: T0 });

describe('directory', () => {
  it('lists the tenant users by name with their team, and the teams', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const { users, teams } = await client.call('directory.list', {});
    expect(users.map((u) => u.id)).toEqual(expect.arrayContaining([U.admin, U.manager, U.rep1, U.rep2]));
    expect(users.map((u) => u.name)).toEqual([...users.map((u) => u.name)].sort((a, b) => a.localeCompare(b)));
    expect(users.find((u) => u.id === U.rep1)).toMatchObject({ role: 'rep', teamId: TEAM, active: true });
    expect(teams.map((t) => t.id)).toContain(TEAM);
    await client.close();
  });

  it('finds companies by a piece of their name or domain, case-insensitively, and treats % literally', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    client.bootstrap({ companies: [company('co-1', 'ACME Corporation', 'acme.com'), company('co-2', 'Globex', 'globex.io'), company('co-3', '100% Juice', null)] });
    expect((await client.call('companies.search', { text: 'acme' })).map((c) => c.id)).toEqual(['co-1']);
    expect((await client.call('companies.search', { text: '.io' })).map((c) => c.id)).toEqual(['co-2']);
    expect((await client.call('companies.search', { text: '%' })).map((c) => c.id)).toEqual(['co-3']);
    expect((await client.call('companies.search', { text: '', limit: 2 })).map((c) => c.name)).toEqual(['100% Juice', 'ACME Corporation']);
    await client.close();
  });

  it('previews the company and contact a conversion would link, or none', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    client.bootstrap({
      companies: [company('co-1', 'ACME Corporation', 'acme.com')],
      contacts: [{ id: 'ct-1', tenantId: TENANT, companyId: 'co-1', firstName: 'Bo', lastName: 'Berg', email: 'bo@acme.com', phone: null, title: null, ownerId: U.rep1, createdAt: T0, updatedAt: T0 }],
    });
    const { lead: known } = await client.call('leads.create', { lastName: 'Berg', email: 'Bo@acme.com' });
    expect(await client.call('leads.conversionPreview', { leadId: known.id })).toMatchObject({ company: { company: { id: 'co-1' }, matchedBy: 'domain' }, contact: { id: 'ct-1' } });
    expect(await client.call('companies.get', { id: 'co-1' })).toMatchObject({ name: 'ACME Corporation' });
    expect(await client.call('contacts.get', { id: 'ct-1' })).toMatchObject({ email: 'bo@acme.com' });
    await expect(client.call('companies.get', { id: 'co-nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { lead: byName } = await client.call('leads.create', { lastName: 'Ng', email: 'ng@gmail.com', companyName: 'Acme Corporation Inc.' });
    expect(await client.call('leads.conversionPreview', { leadId: byName.id })).toMatchObject({ company: { matchedBy: 'name' }, contact: null });
    const { lead: unknown } = await client.call('leads.create', { lastName: 'Li', companyName: 'Initech' });
    expect(await client.call('leads.conversionPreview', { leadId: unknown.id })).toEqual({ company: null, contact: null });
    await client.close();
  });

  it('gives each queue row the factors behind its score', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const { lead } = await client.call('leads.create', { lastName: 'Berg', email: 'bo@acme.com' });
    const { rows } = await client.call('leads.queue', {});
    expect(rows.find((r) => r.id === lead.id)?.scoreFactors).toEqual(lead.scoreFactors);
    await client.close();
  });
});
