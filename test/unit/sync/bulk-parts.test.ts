// What a bulk load has ready to build as a pull finishes tables, what remains after a build, and builds of one index.
import { describe, expect, it } from 'vitest';
import { afterPart, partNames, readyPart, splitPart } from '../../../src-main/sync/bulk-load';
import type { BulkIndex, BulkLoad } from '../../../src-main/sync/bulk-load';

const index = (name: string, table?: string): BulkIndex => ({ name, sql: `CREATE INDEX ${name} ON x (a)`, ...(table ? { table } : {}) });
const load: BulkLoad = {
  indexes: [index('companies_a', 'companies'), index('leads_a', 'leads'), index('leads_b', 'leads'), index('keys_lead', 'lead_dedupe_keys'), index('deals_a', 'deals'), index('old')],
  matchKeys: true,
  staged: true,
};
const names = (indexes: BulkIndex[]) => indexes.map((i) => i.name);

describe('readyPart', () => {
  it.each<[string, string[], BulkLoad, string[], string[], boolean]>([
    ['nothing finished', [], load, [], [], false],
    ['companies finished', ['companies'], load, [], ['companies_a'], false],
    ['leads finished: their indexes, the keys and the keys index', ['companies', 'leads'], load, [], ['companies_a', 'leads_a', 'leads_b', 'keys_lead'], true],
    ['what a build took is not taken again', ['companies', 'leads'], load, ['companies_a', 'lead_dedupe_keys'], ['leads_a', 'leads_b'], false],
    ['keys of a load begun by an older version wait for the end', ['leads'], { ...load, staged: undefined }, [], ['leads_a', 'leads_b'], false],
    ['keys already built', ['leads'], { ...load, matchKeys: false }, [], ['leads_a', 'leads_b'], false],
    ['an index without its table (older record) waits for the end', ['companies', 'leads', 'deals'], load, [], ['companies_a', 'leads_a', 'leads_b', 'keys_lead', 'deals_a'], true],
  ])('%s', (_name, finished, bulk, taken, indexes, keys) => {
    const part = readyPart(bulk, (t) => finished.includes(t), new Set(taken));
    expect(names(part.indexes)).toEqual(indexes);
    expect(part.keys).toBe(keys);
  });
});

describe('afterPart', () => {
  it('drops what was built, and the keys', () => {
    const rest = afterPart(load, { indexes: [load.indexes[1]!], keys: true });
    expect(rest && names(rest.indexes)).toEqual(['companies_a', 'leads_b', 'keys_lead', 'deals_a', 'old']);
    expect(rest?.matchKeys).toBe(false);
  });

  it('is null once everything is built', () => {
    expect(afterPart(load, { indexes: load.indexes, keys: true })).toBeNull();
    expect(afterPart({ ...load, matchKeys: false }, { indexes: load.indexes, keys: false })).toBeNull();
    expect(afterPart(load, { indexes: load.indexes, keys: false })).not.toBeNull();
  });
});

describe('splitPart', () => {
  it('builds the keys with their index, then one index at a time', () => {
    const part = readyPart(load, () => true, new Set());
    expect(splitPart(part).map((p) => [names(p.indexes), p.keys])).toEqual([[['keys_lead'], true], [['companies_a'], false], [['leads_a'], false], [['leads_b'], false], [['deals_a'], false]]);
    expect(partNames(part)).toEqual(['companies_a', 'leads_a', 'leads_b', 'keys_lead', 'deals_a', 'lead_dedupe_keys']);
  });
});
