// The per-field merge: disjoint edits land, same-field edits follow server order or become conflicts by risk.
import { describe, expect, it } from 'vitest';
import { MERGE_RULES, baseOf, mergeMutation } from '../../../src-shared/sync/merge-rules';

const row = { id: 'd1', name: 'Deal', nextStep: 'Call', amountMinor: 100, stageId: 's1', ownerId: 'u1', expectedCloseDate: '2026-03-01' };
const current = (changes: Record<string, unknown>) => (id: string) => (id === 'd1' ? { ...row, ...changes } : undefined);

describe('mergeMutation on deals.update', () => {
  const rule = MERGE_RULES['deals.update']!;
  const seen = { d1: { name: 'Deal', nextStep: 'Call', amountMinor: 100 } };

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['server unchanged: every field lands', {}, { name: 'A', nextStep: 'B', amountMinor: 200 }, []],
    ['server changed another field: the edit lands', { probability: 50 }, { name: 'A' }, []],
    ['server changed the same low-risk field: this later edit wins', { nextStep: 'Email' }, { nextStep: 'B' }, []],
    ['server set the same value: no conflict', { amountMinor: 200 }, { amountMinor: 200 }, []],
    ['server changed the amount too: a conflict, the amount is held back', { amountMinor: 150 }, { name: 'A', amountMinor: 200 }, ['amountMinor']],
  ])('%s', (_name, server, patch, conflicts) => {
    const out = mergeMutation(rule, { id: 'd1', patch }, seen, current(server));
    expect(out.conflicts.map((c) => c.field)).toEqual(conflicts);
    const kept = Object.fromEntries(Object.entries(patch).filter(([k]) => !conflicts.includes(k)));
    expect(out.args).toEqual({ id: 'd1', patch: kept });
  });

  it('reports the three values of a conflict', () => {
    const out = mergeMutation(rule, { id: 'd1', patch: { amountMinor: 200 } }, seen, current({ amountMinor: 150 }));
    expect(out.conflicts).toEqual([{ id: 'd1', field: 'amountMinor', base: 100, server: 150, client: 200 }]);
  });

  it('merges nothing without a base (server order)', () => {
    const args = { id: 'd1', patch: { amountMinor: 200 } };
    expect(mergeMutation(rule, args, undefined, current({ amountMinor: 150 }))).toEqual({ args, conflicts: [] });
  });
});

describe('mergeMutation on moves and assignments', () => {
  it('drops a move whose stage changed meanwhile', () => {
    const out = mergeMutation(MERGE_RULES['deals.move']!, { id: 'd1', toStageId: 's3', approvalRequestId: 'r' }, { d1: { stageId: 's1' } }, current({ stageId: 's2' }));
    expect(out.args).toBeNull();
    expect(out.conflicts).toEqual([{ id: 'd1', field: 'stageId', base: 's1', server: 's2', client: 's3' }]);
  });

  it('keeps the other leads of an assignment when one of them was reassigned meanwhile', () => {
    const leads: Record<string, Record<string, unknown>> = { a: { id: 'a', ownerId: 'u1' }, b: { id: 'b', ownerId: 'u9' } };
    const out = mergeMutation(MERGE_RULES['leads.assign']!, { ids: ['a', 'b'], ownerId: 'u2' }, { a: { ownerId: 'u1' }, b: { ownerId: 'u1' } }, (id) => leads[id]);
    expect(out.args).toEqual({ ids: ['a'], ownerId: 'u2' });
    expect(out.conflicts.map((c) => c.id)).toEqual(['b']);
  });
});

describe('baseOf', () => {
  it('records what the user saw of the fields the mutation sets', () => {
    expect(baseOf(MERGE_RULES['deals.update']!, { id: 'd1', patch: { name: 'X', amountMinor: 5 } }, current({}))).toEqual({ d1: { name: 'Deal', amountMinor: 100 } });
    expect(baseOf(MERGE_RULES['deals.move']!, { id: 'd1', toStageId: 's2' }, current({}))).toEqual({ d1: { stageId: 's1' } });
    expect(baseOf(MERGE_RULES['deals.update']!, { id: 'gone', patch: { name: 'X' } }, current({}))).toBeUndefined();
  });
});
