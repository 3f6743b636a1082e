// Pages are fetched ahead of their apply in order, up to a depth; a failed fetch shows at its turn and ends fetching.
import { describe, expect, it } from 'vitest';
import { PagesAhead } from '../../../src-main/sync/pages-ahead';
import type { PullPosition, PullResponse } from '../../../src-shared/sync/sync-protocol';

const settle = () => new Promise((resolve) => setImmediate(resolve));
const position = (done: number): PullPosition => ({ since: 0, target: 1, table: 0, afterId: String(done), done, total: 10, scope: 's', reset: true, tables: [] });
const pageAt = (done: number, last: number): PullResponse => ({ reset: done === 1, position: position(done), hasMore: done < last, cursor: null, lastMutationId: 0, results: [], changes: [] });

/** A server of `last` pages that records which positions were asked for; page `failAt` fails. */
function server(last: number, failAt = 0) {
  const asked: number[] = [];
  const next = (after: PullPosition) => {
    const done = after.done + 1;
    asked.push(done);
    return done === failAt ? Promise.reject(new Error(`page ${done} failed`)) : Promise.resolve(pageAt(done, last));
  };
  return { asked, next };
}

describe('PagesAhead', () => {
  it.each([[1], [3], [10]])('with depth %i: every page in order, never more than the depth waiting', async (depth) => {
    const s = server(8);
    const ahead = new PagesAhead(Promise.resolve(pageAt(1, 8)), s.next, { pages: depth, bytes: Infinity, weigh: () => 1 });
    const got: number[] = [];
    for (;;) {
      await settle();
      expect(s.asked.length + 1 - got.length).toBeLessThanOrEqual(depth);
      const page = await ahead.take();
      got.push(page.position.done);
      if (!page.hasMore) break;
    }
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.asked).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('fetches ahead while nothing is taken', async () => {
    const s = server(8);
    new PagesAhead(Promise.resolve(pageAt(1, 8)), s.next, { pages: 4, bytes: Infinity, weigh: () => 1 });
    for (let i = 0; i < 10; i++) await settle();
    expect(s.asked).toEqual([2, 3, 4]);
  });

  it('stops fetching ahead once the pages waiting weigh the bytes allowed', async () => {
    const s = server(8);
    const ahead = new PagesAhead(Promise.resolve(pageAt(1, 8)), s.next, { pages: 10, bytes: 3, weigh: () => 1 });
    for (let i = 0; i < 10; i++) await settle();
    expect(s.asked).toEqual([2, 3]);
    await ahead.take();
    for (let i = 0; i < 10; i++) await settle();
    expect(s.asked).toEqual([2, 3, 4]);
  });

  it('fails at the failed page and asks for nothing after it', async () => {
    const s = server(8, 3);
    const ahead = new PagesAhead(Promise.resolve(pageAt(1, 8)), s.next, { pages: 5, bytes: Infinity, weigh: () => 1 });
    expect((await ahead.take()).position.done).toBe(1);
    expect((await ahead.take()).position.done).toBe(2);
    await expect(ahead.take()).rejects.toThrow('page 3 failed');
    for (let i = 0; i < 5; i++) await settle();
    expect(s.asked).toEqual([2, 3]);
  });

  it('asks for nothing more once stopped', async () => {
    const s = server(8);
    const ahead = new PagesAhead(Promise.resolve(pageAt(1, 8)), s.next, { pages: 2, bytes: Infinity, weigh: () => 1 });
    await ahead.take();
    ahead.stop();
    for (let i = 0; i < 5; i++) await settle();
    expect(s.asked.length).toBeLessThanOrEqual(1);
  });
});
