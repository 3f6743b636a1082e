// Version compatibility, the page chunking of the applier, and the reconnect backoff.
import { describe, expect, it } from 'vitest';
import { versionsCompatible } from '../../../src-shared/sync/sync-protocol';
import { chunkChanges } from '../../../src-main/sync/sync-client';
import { reconnectDelay } from '../../../src-main/sync/poke-socket';

describe('versionsCompatible', () => {
  const server = { protocolVersion: 3, minProtocolVersion: 2, schemaVersion: 5 };
  it.each([
    [{ protocolVersion: 3, schemaVersion: 5 }, true],
    [{ protocolVersion: 2, schemaVersion: 5 }, true],
    [{ protocolVersion: 1, schemaVersion: 5 }, false],
    [{ protocolVersion: 4, schemaVersion: 5 }, false],
    [{ protocolVersion: 3, schemaVersion: 4 }, false],
  ])('%j → %s', (client, ok) => expect(versionsCompatible(server, client)).toBe(ok));
});

describe('chunkChanges', () => {
  it('splits rows into chunks of the given size, keeping table order and each table’s deletes in its first part', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [i]);
    const chunks = chunkChanges([
      { table: 'leads', fields: ['id'], rows: rows(5), deletes: ['x'] },
      { table: 'deals', fields: ['id'], rows: rows(2), deletes: [] },
    ], 3);
    expect(chunks.map((c) => c.map((t) => `${t.table}:${t.rows.length}/${t.deletes.length}`))).toEqual([['leads:3/1'], ['leads:2/0', 'deals:1/0'], ['deals:1/0']]);
  });

  it('gives one (empty) chunk for an empty page, so the page still completes', () => {
    expect(chunkChanges([], 10)).toEqual([[]]);
  });
});

describe('reconnectDelay', () => {
  it.each([
    [0, 0, 50], [0, 1, 100], [3, 0, 400], [3, 1, 800], [20, 1, 30_000],
  ])('attempt %i with random %d → %i ms', (attempt, random, ms) => expect(reconnectDelay(attempt, 100, 30_000, () => random)).toBe(ms));
});
