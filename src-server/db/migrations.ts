// The server's shipped migrations and the ones a database has applied: the prefix rule and the readiness check.
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDb } from './database';
import { queryRows } from './query-rows';

/** Where the server migrations live in a source checkout. */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/server', import.meta.url));
export const MIGRATIONS_SCHEMA = 'drizzle';
export const MIGRATIONS_TABLE = '__drizzle_migrations';

export interface MigrationRef {
  /** The journal tag (e.g. `0000_init`), or `unknown` for a migration this server does not ship. */
  tag: string;
  hash: string;
  createdAt: number;
}

/** Thrown at start when the database was migrated by another version of the server. */
export class IncompatibleDatabaseError extends Error {
  constructor(readonly applied: MigrationRef[], readonly shipped: MigrationRef[]) {
    const list = (ms: MigrationRef[]) => (ms.length ? ms.map((m) => `${m.tag}@${m.createdAt}#${m.hash.slice(0, 8)}`).join(', ') : '(none)');
    super(`this database was migrated by another version of the server: its applied migrations [${list(applied)}] are not a prefix of the shipped ones [${list(shipped)}]`);
    this.name = 'IncompatibleDatabaseError';
  }
}

export function shippedMigrations(migrationsFolder: string): MigrationRef[] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return readMigrationFiles({ migrationsFolder }).map((m, i) => ({ tag: journal.entries[i]?.tag ?? `#${i}`, hash: m.hash, createdAt: m.folderMillis }));
}

export async function appliedMigrations(db: AppDb, shipped: MigrationRef[]): Promise<MigrationRef[]> {
  const [exists] = await queryRows<{ t: string | null }>(db, sql`SELECT to_regclass(${`${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`})::text AS t`);
  if (exists?.t == null) return [];
  const rows = await queryRows<{ hash: string; createdAt: string }>(db, sql.raw(`SELECT hash, created_at::text AS "createdAt" FROM ${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE} ORDER BY created_at, id`));
  const tags = new Map(shipped.map((m) => [m.hash, m.tag]));
  return rows.map((r) => ({ tag: tags.get(r.hash) ?? 'unknown', hash: r.hash, createdAt: Number(r.createdAt) }));
}

const isPrefix = (applied: MigrationRef[], shipped: MigrationRef[]) =>
  applied.length <= shipped.length && applied.every((a, i) => a.hash === shipped[i]?.hash && a.createdAt === shipped[i]?.createdAt);

/** Throws IncompatibleDatabaseError unless every applied migration is the shipped one at the same position. */
export async function assertMigratable(db: AppDb, shipped: MigrationRef[]): Promise<void> {
  const applied = await appliedMigrations(db, shipped);
  if (!isPrefix(applied, shipped)) throw new IncompatibleDatabaseError(applied, shipped);
}

export interface MigrationStatus {
  applied: number;
  shipped: number;
  current: boolean;
}

export async function migrationStatus(db: AppDb, shipped: MigrationRef[]): Promise<MigrationStatus> {
  const applied = await appliedMigrations(db, shipped);
  return { applied: applied.length, shipped: shipped.length, current: applied.length === shipped.length && isPrefix(applied, shipped) };
}
