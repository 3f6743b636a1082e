// The lead queue (filters, search, sort, paging), CSV-style import with bad rows and duplicates, and rescoring.
import { describe, expect, it } from 'vitest';
import type { Lead, LeadStatus } from '../../../src-shared/domain/leads.schema';
import { count, openAs, T0, TEAM, TENANT, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const DAY = 86_400_000;
const STATUSES: LeadStatus[] = ['NEW', 'QUALIFIED', 'CONTACTED', 'DISQUALIFIED'];

function lead(i: number, over: Partial<Lead> = {}): Lead {
  return {
    id: `lead-${String(i).padStart(3, '0')}`, tenantId: TENANT, firstName: `First${i}`, lastName: `Last${String(i).padStart(3, '0')}`,
    email: `p${i}@co${i % 3}.com`, phone: null, companyName: i % 2 ? 'Globex' : 'Initech', title: null, country: 'DE', region: null,
    source: i % 3 === 0 ? 'web' : 'event', medium: null, campaign: null, referrer: null, formKey: null, status: STATUSES[i % 4]!,
    disqualifyReason: null, score: (i * 7) % 101, scoreFactors: [], winProbability: null, ownerId: i % 5 === 0 ? null : i % 2 ? U.rep1 : U.rep2,
    teamId: TEAM, possibleDuplicateOf: null, convertedContactId: null, convertedCompanyId: null, convertedDealId: null,
    lastActivityAt: null, archived: i === 7, createdAt: T0 - i * DAY, updatedAt: T0 - i * DAY, ...over,
  };
}

const LEADS = Array.from({ length: 40 }, (_, i) => lead(i));
const live = LEADS.filter((l) => !l.archived);

describe('leads.queue', () => {
  const open = () => {
    const client = openAs(tempDir(), U.manager, new TestClock());
    client.bootstrap({ leads: LEADS });
    return client;
  };

  it('lists live leads by score, highest first, with the total', async () => {
    const client = open();
    const page = await client.call('leads.queue', { limit: 5, withTotal: true });
    const expected = [...live].sort((a, b) => b.score - a.score || (b.id < a.id ? -1 : 1)).slice(0, 5);
    expect(page.rows.map((r) => r.id)).toEqual(expected.map((l) => l.id));
    expect(page.total).toBe(39);
    await client.close();
  });

  it.each<[string, Record<string, unknown>, (l: Lead) => boolean]>([
    ['status', { status: ['NEW', 'CONTACTED'] }, (l) => l.status === 'NEW' || l.status === 'CONTACTED'],
    ['source', { source: ['web'] }, (l) => l.source === 'web'],
    ['owner, with unassigned', { ownerId: [U.rep1, null] }, (l) => l.ownerId === U.rep1 || l.ownerId === null],
    ['team', { teamId: [TEAM] }, () => true],
    ['score range', { scoreMin: 20, scoreMax: 60 }, (l) => l.score >= 20 && l.score <= 60],
    ['creation window', { createdFrom: T0 - 10 * DAY, createdTo: T0 - 2 * DAY }, (l) => l.createdAt >= T0 - 10 * DAY && l.createdAt < T0 - 2 * DAY],
    ['search by name', { search: 'last01' }, (l) => l.lastName.toLowerCase().includes('last01')],
    ['search by company', { search: 'GLOBEX' }, (l) => l.companyName === 'Globex'],
    ['search by email', { search: '@co2.' }, (l) => l.email!.includes('@co2.')],
    ['search with a LIKE wildcard', { search: '%' }, () => false],
  ])('filters by %s', async (_name, filter, keep) => {
    const client = open();
    const page = await client.call('leads.queue', { ...filter, limit: 500, withTotal: true });
    const expected = live.filter(keep);
    expect(page.rows.map((r) => r.id).sort()).toEqual(expected.map((l) => l.id).sort());
    expect(page.total).toBe(expected.length);
    await client.close();
  });

  it('includes archived leads only when asked', async () => {
    const client = open();
    expect((await client.call('leads.queue', { includeArchived: true, limit: 1, withTotal: true })).total).toBe(40);
    await client.close();
  });

  it.each([
    ['name', 'asc', (a: Lead, b: Lead) => a.lastName.localeCompare(b.lastName)],
    ['createdAt', 'desc', (a: Lead, b: Lead) => b.createdAt - a.createdAt],
    ['updatedAt', 'asc', (a: Lead, b: Lead) => a.updatedAt - b.updatedAt],
  ] as const)('sorts by %s %s and pages by cursor and by offset alike', async (sort, dir, cmp) => {
    const client = open();
    const expected = [...live].sort(cmp).map((l) => l.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await client.call('leads.queue', { sort, dir, limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
    const third = await client.call('leads.queue', { sort, dir, limit: 7, offset: 14 });
    expect(third.rows.map((r) => r.id)).toEqual(expected.slice(14, 21));
    expect(third.total).toBeNull();
    await client.close();
  });

  it('refuses a cursor of another sort order', async () => {
    const client = open();
    const { nextCursor } = await client.call('leads.queue', { limit: 2 });
    await expect(client.call('leads.queue', { sort: 'name', cursor: nextCursor! })).rejects.toMatchObject({ code: 'VALIDATION' });
    await client.close();
  });
});

describe('leads.import', () => {
  it('creates good rows, rejects bad ones with reasons, and flags duplicates of stored leads and of earlier rows', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const stored = (await client.call('leads.create', { firstName: 'Ana', lastName: 'Schmidt', email: 'ana@acme.de' })).lead;
    const result = await client.call('leads.import', {
      rows: [
        { firstName: 'Bo', lastName: 'Berg', email: 'bo@berg.se', country: 'se' },
        { firstName: 'Bad', lastName: 'Mail', email: 'nope' },
        { firstName: 'Anna', lastName: 'Schmidt', email: 'ana@acme.de' },
        { title: 'nobody' },
        { firstName: 'Bo', lastName: 'Berg', email: 'BO@berg.se', phone: '' },
        { firstName: 'Cy', lastName: 'Cole', country: 'Sweden' },
      ],
    });
    expect(result).toMatchObject({ created: 3, skipped: 0, rejected: 3 });
    expect(result.rows.map((r) => r.status)).toEqual(['created', 'rejected', 'created', 'rejected', 'created', 'rejected']);
    expect(result.rows[1]!.errors.map((e) => e.path)).toEqual(['email']);
    expect(result.rows[5]!.errors.map((e) => e.path)).toEqual(['country']);
    expect(result.rows[2]!.duplicates.map((d) => d.id)).toEqual([stored.id]);
    expect(result.rows[4]!.duplicates.map((d) => d.id)).toEqual([result.rows[0]!.leadId]);
    const first = await client.call('leads.get', { id: result.rows[0]!.leadId! });
    expect(first).toMatchObject({ country: 'SE', ownerId: U.rep1, possibleDuplicateOf: null });
    expect((await client.call('leads.get', { id: result.rows[4]!.leadId! })).possibleDuplicateOf).toBe(result.rows[0]!.leadId);
    expect(count(client, 'leads')).toBe(4);
    await client.close();
  });

  it('skips duplicates when asked', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    await client.call('leads.create', { firstName: 'Ana', lastName: 'Schmidt', email: 'ana@acme.de' });
    const result = await client.call('leads.import', { rows: [{ lastName: 'Schmidt', firstName: 'Ana', email: 'ana@acme.de' }], onDuplicate: 'skip' });
    expect(result).toMatchObject({ created: 0, skipped: 1, rows: [{ status: 'skipped', leadId: null }] });
    expect(count(client, 'leads')).toBe(1);
    await client.close();
  });
});

describe('leads.rescore', () => {
  it('rescores every live lead from its activities, decaying engagement as time passes', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const { lead } = await client.call('leads.create', { lastName: 'Berg', email: 'b@berg.de' });
    await client.call('activities.log', { entityType: 'lead', entityId: lead.id, kind: 'meeting', subject: 'demo' });
    const fresh = (await client.call('leads.get', { id: lead.id })).score;
    expect(await client.call('leads.rescore', {})).toEqual({ rescored: 0 });
    clock.advance(60 * DAY);
    expect(await client.call('leads.rescore', {})).toEqual({ rescored: 1 });
    const decayed = await client.call('leads.get', { id: lead.id });
    expect(decayed.score).toBeLessThan(fresh);
    expect(decayed.scoreFactors.find((f) => f.key === 'engagement:meeting')!.points).toBeLessThan(15);
    await client.close();
  });
});
