// Refuses a database whose applied migrations are not a prefix of the ones this app ships (e.g. written by a newer app).
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIGRATIONS_TABLE = '__drizzle_migrations';

export interface MigrationRef {
  /** The journal tag (e.g. `0000_init`), or `unknown` for a migration this app does not ship. */
  tag: string;
  hash: string;
  createdAt: number;
}

/** Thrown by openStore when the database is not one this app can safely migrate. */
export class IncompatibleStoreError extends Error {
  constructor(readonly applied: MigrationRef[], readonly shipped: MigrationRef[]) {
    const list = (ms: MigrationRef[]) => (ms.length ? ms.map((m) => `${m.tag}@${m.createdAt}#${m.hash.slice(0, 8)}`).join(', ') : '(none)');
    super(`this database was written by another version of the app: its applied migrations [${list(applied)}] are not a prefix of the shipped ones [${list(shipped)}]`);
    this.name = 'IncompatibleStoreError';
  }
}

export function shippedMigrations(migrationsFolder: string): MigrationRef[] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  return readMigrationFiles({ migrationsFolder }).map((m, i) => ({ tag: journal.entries[i]?.tag ?? `#${i}`, hash: m.hash, createdAt: m.folderMillis }));
}

export function appliedMigrations(sqlite: Database.Database, shipped: MigrationRef[]): MigrationRef[] {
  const exists = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
  if (!exists) return [];
  const rows = sqlite.prepare(`SELECT hash, created_at AS createdAt FROM ${MIGRATIONS_TABLE} ORDER BY created_at, rowid`).all() as { hash: string; createdAt: number | string }[];
  const tags = new Map(shipped.map((m) => [m.hash, m.tag]));
  return rows.map((r) => ({ tag: tags.get(r.hash) ?? 'unknown', hash: r.hash, createdAt: Number(r.createdAt) }));
}

/** Throws IncompatibleStoreError unless every applied migration is the shipped one at the same position. */
export function assertMigratable(sqlite: Database.Database, migrationsFolder: string): void {
  const shipped = shippedMigrations(migrationsFolder);
  const applied = appliedMigrations(sqlite, shipped);
  const prefix = applied.length <= shipped.length && applied.every((a, i) => a.hash === shipped[i]?.hash && a.createdAt === shipped[i]?.createdAt);
  if (!prefix) throw new IncompatibleStoreError(applied, shipped);
}
