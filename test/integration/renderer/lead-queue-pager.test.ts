// The lead queue's pager and CSV paging against a real client core (SQLite file): sparse pages, jumps, refresh, export.
import { describe, expect, it, vi } from 'vitest';
import type { Lead } from '../../../src-shared/domain/leads.schema';
import { QueuePager, fetchAllRows } from '../../../src-renderer/leads/lead-queue.pager';
import type { FetchPage, PageInput } from '../../../src-renderer/leads/lead-queue.pager';
import { openAs, T0, TEAM, TENANT, TestClock, U } from '../client/fixture';
import { useTempDirs } from '../client/temp-dir';

const tempDir = useTempDirs();
const N = 1_050;
const PAGE = 100;

function lead(i: number): Lead {
  return {
    id: `lead-${String(i).padStart(5, '0')}`, tenantId: TENANT, firstName: `First${i}`, lastName: `Last${i}`, email: `p${i}@example.com`, phone: null,
    companyName: i % 2 ? 'Globex' : 'Initech', title: null, country: 'DE', region: null, source: 'web', medium: null, campaign: null, referrer: null,
    formKey: null, status: i % 3 ? 'NEW' : 'QUALIFIED', disqualifyReason: null, score: i % 101, scoreFactors: [], winProbability: null, ownerId: U.rep1,
    teamId: TEAM, possibleDuplicateOf: null, convertedContactId: null, convertedCompanyId: null, convertedDealId: null, lastActivityAt: null,
    archived: false, createdAt: T0 - i * 1000, updatedAt: T0 - i * 1000,
  };
}

/** A manager's store with N leads, and the queue's fetch recording each page input it sends. */
function setUp() {
  const client = openAs(tempDir(), U.manager, new TestClock());
  client.bootstrap({ leads: Array.from({ length: N }, (_, i) => lead(i)) });
  const sent: PageInput[] = [];
  const fetchPage: FetchPage = (input) => {
    sent.push(input);
    return client.call('leads.queue', input);
  };
  return { client, sent, fetchPage };
}

const idle = (pager: QueuePager) => vi.waitFor(() => expect(pager.loading).toBe(false), { timeout: 5000, interval: 5 });

async function allIds(fetchPage: FetchPage): Promise<string[]> {
  return (await fetchAllRows(fetchPage, { sort: 'score', dir: 'desc' }, () => undefined)).map((r) => r.id);
}

describe('QueuePager', () => {
  it('loads the first page with the total, then the pages the list shows: by cursor after a loaded page, by offset after a jump', async () => {
    const { client, sent, fetchPage } = setUp();
    const reference = await allIds(fetchPage);
    sent.length = 0;
    const pager = new QueuePager(fetchPage, { pageSize: PAGE });
    await pager.setQuery({ sort: 'score', dir: 'desc' });
    expect(pager.total).toBe(N);
    expect(pager.rowAt(0)?.id).toBe(reference[0]);
    expect(pager.rowAt(PAGE)).toBeUndefined();
    expect(sent).toEqual([{ sort: 'score', dir: 'desc', limit: PAGE, withTotal: true }]);

    pager.ensure(150, 180);
    await idle(pager);
    expect(sent[1]).toMatchObject({ cursor: expect.any(String) });
    expect(sent[1]!.withTotal).toBeUndefined();
    pager.ensure(750, 830);
    await idle(pager);
    expect(sent.slice(2).map((s) => s.offset ?? 'cursor')).toEqual([700, 'cursor']);
    for (const i of [0, 99, 150, 199, 700, 799, 800, 830]) expect(pager.rowAt(i)?.id).toBe(reference[i]);
    expect(pager.rowAt(300)).toBeUndefined();
    // The last, short page: nothing is asked past the end.
    pager.ensure(1_000, 1_200);
    await idle(pager);
    expect(pager.rowAt(N - 1)?.id).toBe(reference[N - 1]);
    expect(sent.filter((s) => (s.offset ?? 0) > N)).toEqual([]);
    await client.close();
  });

  it('refreshes the pages in view after a write, with the new total, and drops the rest', async () => {
    const { client, fetchPage } = setUp();
    const pager = new QueuePager(fetchPage, { pageSize: PAGE });
    await pager.setQuery({ status: ['NEW'], sort: 'score', dir: 'desc' });
    const before = pager.total!;
    pager.ensure(400, 450);
    await idle(pager);
    const target = pager.rowAt(420)!;
    await client.call('leads.qualify', { id: target.id });
    await pager.refresh();
    await idle(pager);
    expect(pager.total).toBe(before - 1);
    // Still around row 420 (the view was not thrown back to the top), and the qualified lead has left it.
    expect(pager.rowAt(420)).toBeDefined();
    expect(pager.indexOf(target.id)).toBe(-1);
    expect(pager.rowAt(0)).toBeUndefined();
    await client.close();
  });

  it('shows only the latest query when filters change faster than answers come', async () => {
    const { client, fetchPage } = setUp();
    const pager = new QueuePager(fetchPage, { pageSize: PAGE });
    const first = pager.setQuery({ search: 'globex', sort: 'score', dir: 'desc' });
    const second = pager.setQuery({ status: ['QUALIFIED'], sort: 'name', dir: 'asc' });
    await Promise.all([first, second]);
    expect(pager.total).toBe(Math.ceil(N / 3));
    expect(pager.rowAt(0)?.status).toBe('QUALIFIED');
    const names = Array.from({ length: PAGE }, (_, i) => pager.rowAt(i)!.lastName);
    expect(names).toEqual([...names].sort());
    await client.close();
  });

  it('keeps a bounded number of pages, dropping the farthest from the view', async () => {
    const { client, fetchPage } = setUp();
    const pager = new QueuePager(fetchPage, { pageSize: PAGE, maxPages: 3 });
    await pager.setQuery({ sort: 'createdAt', dir: 'desc' });
    for (const at of [100, 200, 300, 400]) {
      pager.ensure(at, at + 10);
      await idle(pager);
    }
    expect(pager.loaded()).toHaveLength(3 * PAGE);
    expect(pager.rowAt(0)).toBeUndefined();
    expect(pager.rowAt(400)?.id).toBe(lead(400).id);
    await client.close();
  });

  it('reports a failed load once and keeps the rows it had', async () => {
    const { client, fetchPage } = setUp();
    const errors: unknown[] = [];
    const pager = new QueuePager(fetchPage, { pageSize: PAGE, onError: (e) => errors.push(e) });
    await pager.setQuery({ sort: 'score', dir: 'desc' });
    await pager.setQuery({ scoreMin: 500, sort: 'score', dir: 'desc' });
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toMatch(/scoreMin/);
    expect(pager.rowAt(0)).toBeDefined();
    expect(pager.loading).toBe(false);
    await client.close();
  });
});

describe('fetchAllRows', () => {
  it('pages along the cursor to every match, in order, with progress up to the total', async () => {
    const { client, fetchPage, sent } = setUp();
    const progress: [number, number][] = [];
    const rows = await fetchAllRows(fetchPage, { search: 'initech', sort: 'name', dir: 'asc' }, (done, total) => progress.push([done, total]), undefined, 200);
    expect(rows).toHaveLength(Math.ceil(N / 2));
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.companyName === 'Initech')).toBe(true);
    expect(progress).toEqual([[200, 525], [400, 525], [525, 525]]);
    expect(sent.filter((s) => s.withTotal)).toHaveLength(1);
    await client.close();
  });

  it('stops when aborted', async () => {
    const { client, fetchPage } = setUp();
    const abort = new AbortController();
    const run = fetchAllRows(fetchPage, { sort: 'score', dir: 'desc' }, () => abort.abort(), abort.signal, 100);
    await expect(run).rejects.toThrow(/abort/i);
    await client.close();
  });
});
