// Rows written from their JSON bytes (ReplicaWriter.applyRun, a bulk load's way, here or as statements on a bulk
// load's thread) end up exactly as rows written one by one from parsed values: same values and types, JSON columns'
// text, flags, the arrivals of a reset and the leads' match keys.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TableChanges } from '../../../src-shared/sync/sync-protocol';
import { openStore } from '../../../src-main/store/open-store';
import { createKeyStaging, deferIndexes } from '../../../src-main/sync/bulk-load';
import { openBulkConnection } from '../../../src-main/sync/bulk-connection';
import { replicaCodec } from '../../../src-main/sync/replica-codecs';
import { ReplicaWriter } from '../../../src-main/sync/replica-writer';
import type { JsonRun } from '../../../src-main/sync/json-slicer';
import { useTempDirs } from '../client/temp-dir';

const tempDir = useTempDirs();
const TEXTS = ['Müller', 'O\'Brien "the" [one]', 'back\\slash', 'line\nbreak', '😀 ✓', '', 'null'];

/** `n` rows of `table` with every field, values fitting each column (and a few that test the edges). */
function rowsOf(sqlite: Database.Database, table: 'leads' | 'deals' | 'activities', n: number): TableChanges {
  const codec = replicaCodec(table);
  const info = new Map((sqlite.prepare(`SELECT name, type, "notnull" AS required FROM pragma_table_info('${table}')`).all() as { name: string; type: string; required: number }[]).map((c) => [c.name, c]));
  const fields = [...codec.columns.map((c) => c.key), 'version'];
  const rows = Array.from({ length: n }, (_, i) => fields.map((f) => {
    const col = f === 'version' ? { sql: 'version', kind: 'plain' } : codec.byKey.get(f)!;
    if (col.sql === codec.pk.sql) return `${table}-${String(i).padStart(5, '0')}`;
    const { type, required } = info.get(col.sql)!;
    if (i % 5 === 3 && !required) return null;
    if (col.kind === 'json') return [{ k: TEXTS[i % TEXTS.length], list: [i, i / 4, true, null, { deep: [] }] }, TEXTS[i % TEXTS.length], i / 8, ['a', 1]][i % 4];
    if (col.kind === 'bool') return i % 2 === 0;
    if (type === 'integer') return i * 1000 + 7;
    if (type === 'real') return i / 3;
    return `${TEXTS[i % TEXTS.length]} ${f} ${i}`;
  }));
  return { table, fields, rows, deletes: [] };
}

/** `rows` in runs of `size` rows, as the transport keeps them (bytes, commas between, no brackets). */
function runsOf(change: TableChanges, size: number): JsonRun[] {
  const runs: JsonRun[] = [];
  for (let i = 0; i < change.rows.length; i += size) {
    const part = change.rows.slice(i, i + size);
    runs.push({ bytes: new TextEncoder().encode(JSON.stringify(part).slice(1, -1)), count: part.length });
  }
  return runs;
}

function store(): Database.Database {
  const s = openStore(join(tempDir(), 'crm.db'));
  s.sqlite.pragma('foreign_keys = OFF');
  s.sqlite.transaction(() => {
    deferIndexes(s.sqlite, ['leads', 'deals', 'activities']);
    createKeyStaging(s.sqlite);
  })();
  return s.sqlite;
}

function contents(sqlite: Database.Database, table: string): unknown[] {
  const cols = (sqlite.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => `quote("${c.name}")`);
  return sqlite.prepare(`SELECT ${cols.join(', ')} FROM "${table}" ORDER BY 1`).raw(true).all();
}

describe('ReplicaWriter.applyRun', () => {
  it.each<[string, boolean]>([['match keys staged (a bulk load)', true], ['match keys written', false]])('writes what apply writes, %s', (_name, deferKeys) => {
    const one = store();
    const other = store();
    const changes = (['leads', 'deals', 'activities'] as const).map((t) => rowsOf(one, t, 120));
    const ctx = () => ({ touched: new Set<string>(), resetTables: new Set(['deals']), adopt: null });
    const byRow = new ReplicaWriter(one, () => 'me');
    const byRun = new ReplicaWriter(other, () => 'me');
    byRow.deferMatchKeys = byRun.deferMatchKeys = deferKeys;
    const rowCtx = ctx();
    const runCtx = ctx();
    one.transaction(() => changes.forEach((c) => byRow.apply(c, rowCtx)))();
    other.transaction(() => changes.forEach((c) => runsOf(c, 17).forEach((run) => byRun.applyRun(c, run, runCtx))))();
    for (const table of ['leads', 'deals', 'activities', 'sync_seen', 'lead_dedupe_keys', 'sync_bulk_keys']) {
      expect(contents(other, table), table).toEqual(contents(one, table));
    }
    expect(contents(one, 'leads')).toHaveLength(120);
    expect(contents(one, 'sync_seen')).toHaveLength(120);
    expect(contents(one, deferKeys ? 'sync_bulk_keys' : 'lead_dedupe_keys').length).toBeGreaterThan(100);
    expect([...runCtx.touched].sort()).toEqual([...rowCtx.touched].sort());
  });

  it('writes the same through a bulk load’s thread (its statements run on the thread’s own connection)', async () => {
    const one = store();
    const other = store();
    const changes = (['leads', 'deals', 'activities'] as const).map((t) => rowsOf(one, t, 120));
    const byRow = new ReplicaWriter(one, () => 'me');
    byRow.deferMatchKeys = true;
    const rowCtx = { touched: new Set<string>(), resetTables: new Set(['deals']), adopt: null };
    one.transaction(() => changes.forEach((c) => byRow.apply(c, rowCtx)))();
    const conn = openBulkConnection(other.name, { checkpointer: false, me: () => 'me' });
    try {
      conn.writer.deferMatchKeys = true;
      const runCtx = { touched: new Set<string>(), resetTables: new Set(['deals']), adopt: null };
      // The deals' bytes in shared memory, as a large answer's are: shared with the thread, not copied nor taken over.
      const shared = (run: JsonRun): JsonRun => {
        const bytes = new Uint8Array(new SharedArrayBuffer(run.bytes.length));
        bytes.set(run.bytes);
        return { ...run, bytes };
      };
      const runs = changes.map((c) => (c.table === 'deals' ? runsOf(c, 17).map(shared) : runsOf(c, 17)));
      for (const [i, c] of changes.entries()) await conn.write(runs[i]!.flatMap((run) => conn.writer.runOps(c, run, runCtx)!));
      expect(runs.flat().every((r) => r.bytes.byteLength > 0)).toBe(true);
      for (const table of ['leads', 'deals', 'activities', 'sync_seen', 'sync_bulk_keys']) {
        expect(contents(other, table), table).toEqual(contents(one, table));
      }
      expect(contents(other, 'leads')).toHaveLength(120);
      expect([...runCtx.touched].sort()).toEqual([...rowCtx.touched].sort());
    } finally {
      await conn.close();
    }
  });

  it('refuses through the thread a run with a row that is not an array: nothing of its transaction is written, and the thread goes on', async () => {
    const sqlite = store();
    const conn = openBulkConnection(sqlite.name, { checkpointer: false, me: () => 'me' });
    try {
      const ctx = { touched: new Set<string>(), resetTables: null, adopt: null };
      const good = rowsOf(sqlite, 'deals', 3);
      const goodRun = runsOf(good, 3)[0]!;
      const bad = new TextEncoder().encode(`${JSON.stringify(good.rows[0])},{"not":"a row"}`);
      const ops = [...conn.writer.runOps(good, goodRun, ctx)!, ...conn.writer.runOps(good, { bytes: bad, count: 2 }, ctx)!];
      await expect(conn.write(ops)).rejects.toThrow(/writing a page of the first sync failed: rows of deals arrived that are not arrays/);
      expect(contents(sqlite, 'deals')).toEqual([]);
      await conn.write(conn.writer.runOps(good, goodRun, ctx)!);
      expect(contents(sqlite, 'deals')).toHaveLength(3);
    } finally {
      await conn.close();
    }
  });

  it('refuses a run with a row that is not an array, writing none of it', () => {
    const sqlite = store();
    const writer = new ReplicaWriter(sqlite, () => 'me');
    const change = rowsOf(sqlite, 'deals', 3);
    const bytes = new TextEncoder().encode(`${JSON.stringify(change.rows[0])},{"not":"a row"}`);
    expect(() => sqlite.transaction(() => writer.applyRun(change, { bytes, count: 2 }, { touched: new Set(), resetTables: null, adopt: null }))()).toThrow(/not arrays/);
    expect(contents(sqlite, 'deals')).toEqual([]);
  });
});
