// The local store opener: pragmas, migrations, idempotent reopen, refusal of a database from a newer app.
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, DEFAULT_MIGRATIONS_FOLDER } from '../../../src-main/store/open-store';
import { IncompatibleStoreError, shippedMigrations } from '../../../src-main/store/migrations-check';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

/** A copy of the shipped migrations plus one more, as a newer app would ship. */
function newerMigrationsFolder(dir: string): string {
  const folder = join(dir, 'migrations-next');
  cpSync(DEFAULT_MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[] };
  const last = journal.entries[journal.entries.length - 1]!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_from_the_future' });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(join(folder, '9999_from_the_future.sql'), 'CREATE TABLE `future_things` (`id` text PRIMARY KEY NOT NULL);');
  return folder;
}

describe('openStore', () => {
  it('sets WAL, foreign keys, busy timeout and synchronous NORMAL', () => {
    const store = openStore(join(tempDir(), 'crm.db'));
    try {
      expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      store.close();
    }
  });

  it('creates the schema and reopens idempotently, keeping data', () => {
    const path = join(tempDir(), 'crm.db');
    const first = openStore(path);
    first.sqlite.prepare(`INSERT INTO local_meta (key, value) VALUES ('k', '"v"')`).run();
    const applied = first.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get();
    first.close();
    const again = openStore(path);
    try {
      expect(again.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual(applied);
      expect(again.sqlite.prepare(`SELECT value FROM local_meta WHERE key = 'k'`).get()).toEqual({ value: '"v"' });
    } finally {
      again.close();
    }
  });

  it('applies migrations a newer app ships on top of an older database', () => {
    const dir = tempDir();
    const path = join(dir, 'crm.db');
    openStore(path).close();
    const store = openStore(path, { migrationsFolder: newerMigrationsFolder(dir) });
    try {
      expect(store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE name = 'future_things'`).get()).toEqual({ name: 'future_things' });
    } finally {
      store.close();
    }
  });

  it('refuses a database written by a newer app, naming both migration lists, and leaves it untouched', () => {
    const dir = tempDir();
    const path = join(dir, 'crm.db');
    openStore(path, { migrationsFolder: newerMigrationsFolder(dir) }).close();
    let error: unknown;
    try {
      openStore(path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(IncompatibleStoreError);
    const e = error as IncompatibleStoreError;
    const shipped = shippedMigrations(DEFAULT_MIGRATIONS_FOLDER).map((m) => m.tag);
    expect(e.applied.map((m) => m.tag)).toEqual([...shipped, 'unknown']);
    expect(e.shipped.map((m) => m.tag)).toEqual(shipped);
    expect(e.message).toMatch(/0000_init.*unknown.*not a prefix/);
  });

  it('refuses a database whose applied migration was edited since', () => {
    const dir = tempDir();
    const path = join(dir, 'crm.db');
    openStore(path).close();
    const edited = join(dir, 'edited');
    cpSync(DEFAULT_MIGRATIONS_FOLDER, edited, { recursive: true });
    writeFileSync(join(edited, '0000_init.sql'), readFileSync(join(edited, '0000_init.sql'), 'utf8') + '\n-- changed');
    expect(() => openStore(path, { migrationsFolder: edited })).toThrow(IncompatibleStoreError);
  });
});
