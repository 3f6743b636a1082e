// The write funnel: one transaction per mutation (nothing written on a refusal), savepoints in bulk, the outbox hook.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../src-shared/api/errors';
import { defineMutator } from '../../../src-shared/mutators/mutator';
import type { Actor } from '../../../src-shared/mutators/mutator';
import { MUTATORS, registerMutators } from '../../../src-shared/mutators/registry';
import { createWritePath } from '../../../src-main/core/write-path';
import type { AppliedMutation, CommittedChange } from '../../../src-main/core/write-path';
import { createIdGenerator } from '../../../src-main/core/ids';
import { bootstrapLocal } from '../../../src-main/store/bootstrap-local';
import { openStore } from '../../../src-main/store/open-store';
import { fixtureRows, T0, TEAM, TENANT, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const actor: Actor = { userId: U.rep1, tenantId: TENANT, role: 'rep', permissions: ['data.import'], teamId: TEAM, managedTeamIds: [] };

/** Creates a lead through the real mutator, then refuses: the refusal must take the lead with it. */
const createThenRefuse = defineMutator({
  name: 'test.createThenRefuse',
  args: z.object({ id: z.string(), crash: z.boolean().default(false) }),
  async run(tx, a, env) {
    await MUTATORS.get('leads.create')!.run(tx, { id: a.id, lastName: 'Doomed', email: 'doomed@x.de' }, env);
    if (a.crash) throw new Error('disk on fire');
    throw new AppError(ErrorCode.CONFLICT, 'changed my mind');
  },
});

function setup(opts: { onApplied?: (sqlite: unknown, m: AppliedMutation) => void } = {}) {
  const store = openStore(join(tempDir(), 'crm.db'));
  bootstrapLocal(store, fixtureRows());
  const committed: CommittedChange[] = [];
  const writes = createWritePath({
    sqlite: store.sqlite,
    mutators: registerMutators(...MUTATORS.values(), createThenRefuse),
    actor: () => actor,
    clock: () => T0,
    newId: createIdGenerator(() => T0),
    onCommitted: (c) => committed.push(c),
    ...(opts.onApplied ? { onApplied: opts.onApplied } : {}),
  });
  const countOf = (table: string) => (store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { store, writes, committed, countOf };
}

describe('write path', () => {
  it.each([
    ['a refusal', false, 'CONFLICT'],
    ['an unexpected error', true, undefined],
  ])('rolls back everything a mutation wrote when it ends in %s', async (_name, crash, code) => {
    const { store, writes, committed, countOf } = setup();
    const err = await writes.applyMutation('test.createThenRefuse', { id: 'l1', crash }).catch((e: unknown) => e);
    expect(err instanceof AppError ? err.code : undefined).toBe(code);
    expect([countOf('leads'), countOf('audit_log'), countOf('lead_dedupe_keys')]).toEqual([0, 0, 0]);
    expect(store.sqlite.inTransaction).toBe(false);
    expect(committed).toEqual([]);
    store.close();
  });

  it('refuses an unknown mutation and invalid args before opening a transaction', async () => {
    const { store, writes } = setup();
    await expect(writes.applyMutation('leads.fly', {})).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    await expect(writes.applyMutation('leads.create', { id: 7 })).rejects.toMatchObject({ code: 'VALIDATION', fields: [{ path: 'id' }] });
    store.close();
  });

  it('serialises concurrent writes and reports each commit with the tables it touched', async () => {
    const { store, writes, committed, countOf } = setup();
    await Promise.all(Array.from({ length: 20 }, (_, i) => writes.applyMutation('leads.create', { id: `l${i}`, lastName: `L${i}` })));
    expect(countOf('leads')).toBe(20);
    expect(committed).toHaveLength(20);
    expect(committed[0]).toEqual({ mutations: ['leads.create'], tables: ['audit_log', 'leads'] });
    store.close();
  });

  it('applies a bulk list in one transaction, each in a savepoint: refused items are reported and leave no trace', async () => {
    const { store, writes, committed, countOf } = setup();
    const outcomes = await writes.applyMutations([
      { name: 'leads.create', args: { id: 'a', lastName: 'A' } },
      { name: 'test.createThenRefuse', args: { id: 'b' } },
      { name: 'leads.create', args: { id: 'c', email: 'bad' } },
      { name: 'leads.create', args: { id: 'd', lastName: 'D' } },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'CONFLICT', 'VALIDATION', 'ok']);
    expect(store.sqlite.prepare('SELECT id FROM leads ORDER BY id').pluck().all()).toEqual(['a', 'd']);
    expect(countOf('audit_log')).toBe(2);
    expect(committed).toEqual([{ mutations: ['leads.create', 'leads.create'], tables: ['audit_log', 'leads'] }]);
    store.close();
  });

  it('skips refusals that wrote nothing without redoing the batch', async () => {
    const { store, writes, committed } = setup();
    const outcomes = await writes.applyMutations([
      { name: 'leads.create', args: { id: 'a', lastName: 'A' } },
      { name: 'leads.create', args: { id: 'a', lastName: 'again' } },
      { name: 'leads.create', args: { id: 'b', title: 'nobody' } },
      { name: 'leads.create', args: { id: 'c', lastName: 'C' } },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'CONFLICT', 'VALIDATION', 'ok']);
    expect(store.sqlite.prepare('SELECT id, last_name FROM leads ORDER BY id').raw().all()).toEqual([['a', 'A'], ['c', 'C']]);
    expect(committed).toHaveLength(1);
    store.close();
  });

  it('applies nothing of an atomic bulk list with one refusal', async () => {
    const { store, writes, countOf } = setup();
    const err = await writes.applyMutations([{ name: 'leads.create', args: { id: 'a', lastName: 'A' } }, { name: 'test.createThenRefuse', args: { id: 'b' } }], { atomic: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect(countOf('leads')).toBe(0);
    store.close();
  });

  it('calls the outbox hook inside the transaction with the parsed args, and rolls back when it fails', async () => {
    const seen: { m: AppliedMutation; inTx: boolean }[] = [];
    let fail = false;
    const { store, writes, countOf } = setup({
      onApplied: (sqlite, m) => {
        seen.push({ m, inTx: (sqlite as { inTransaction: boolean }).inTransaction });
        if (fail) throw new Error('outbox full');
      },
    });
    await writes.applyMutation('leads.create', { id: 'a', lastName: 'A', email: ' A@B.DE ' });
    expect(seen).toEqual([{ m: { name: 'leads.create', args: expect.objectContaining({ id: 'a', email: 'A@B.DE' }), now: T0 }, inTx: true }]);
    fail = true;
    await expect(writes.applyMutation('leads.create', { id: 'b', lastName: 'B' })).rejects.toThrow('outbox full');
    expect(countOf('leads')).toBe(1);
    store.close();
  });
});
