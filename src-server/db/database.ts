// Opens the tenant database (embedded PGlite or PostgreSQL), checks and applies the shipped migrations.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as schema from './schema/all-tables';
import { assertMigratable, DEFAULT_MIGRATIONS_FOLDER, MIGRATIONS_SCHEMA, MIGRATIONS_TABLE, shippedMigrations } from './migrations';
import type { MigrationRef } from './migrations';
import { lockDataDir } from './data-dir-lock';

export type Schema = typeof schema;
/**
 * The typed handle every query is written against; both drivers produce one, so query code is the same on both.
 * A transaction (`db.transaction(async (tx) => …)`) is one too. On PGlite there is a single connection: inside a
 * transaction use `tx`, never the outer `db`, or the query waits for the transaction that waits for it.
 */
export type AppDb = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  /** `dataDir: null` keeps the database in memory; `fromDump` starts it from a `dumpDataDir()` tarball (tests). */
  | { kind: 'pglite'; dataDir: string | null; fromDump?: Blob }
  | { kind: 'postgres'; url: string };

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: AppDb;
  readonly pglite?: PGlite;
  readonly pool?: pg.Pool;
  /** The migrations this server ships, for the readiness check. */
  readonly shipped: MigrationRef[];
  readonly closed: boolean;
  /** Closes the connection(s); an open PGlite keeps the process alive until then. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  migrationsFolder?: string;
  /** Logs errors of idle PostgreSQL connections (which would otherwise crash the process). */
  onPoolError?: (err: Error) => void;
  /** PostgreSQL pool size. */
  maxConnections?: number;
}

// A constant key for pg_advisory_lock, so server processes starting together migrate one at a time.
const MIGRATION_LOCK_KEY = 7_402_114_001;

export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<Database> {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  const shipped = shippedMigrations(migrationsFolder);
  const migrationConfig = { migrationsFolder, migrationsSchema: MIGRATIONS_SCHEMA, migrationsTable: MIGRATIONS_TABLE };
  return target.kind === 'pglite'
    ? openPglite(target.dataDir, target.fromDump, shipped, migrationConfig)
    : openPostgres(target.url, shipped, migrationConfig, options);
}

async function openPglite(dataDir: string | null, fromDump: Blob | undefined, shipped: MigrationRef[], migrationConfig: Parameters<typeof migratePglite>[1]): Promise<Database> {
  const release = dataDir === null ? () => {} : lockDataDir(dataDir);
  let pglite: PGlite | undefined;
  try {
    const pgdata = dataDir === null ? undefined : join(dataDir, 'pgdata');
    if (pgdata) mkdirSync(pgdata, { recursive: true });
    pglite = new PGlite({ ...(pgdata ? { dataDir: pgdata } : {}), ...(fromDump ? { loadDataDir: fromDump } : {}) });
    await pglite.waitReady;
    const db = drizzlePglite(pglite, { schema });
    await assertMigratable(db, shipped);
    await migratePglite(db, migrationConfig);
    return handle('pglite', db, shipped, async () => {
      try {
        await pglite!.close();
      } finally {
        release();
      }
    }, { pglite });
  } catch (err) {
    await pglite?.close().catch(() => {});
    release();
    throw err;
  }
}

async function openPostgres(url: string, shipped: MigrationRef[], migrationConfig: Parameters<typeof migrateNodePg>[1], options: OpenDatabaseOptions): Promise<Database> {
  // JIT compilation only slows the short queries this server runs (it cost capture 20–30 ms a query on fresh statistics).
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, options: '-c jit=off' });
  pool.on('error', (err) => options.onPoolError?.(err));
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const single = drizzleNodePg(client, { schema });
      await assertMigratable(single, shipped);
      await migrateNodePg(single, migrationConfig);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
      client.release();
    }
    return handle('postgres', drizzleNodePg(pool, { schema }), shipped, () => pool.end(), { pool });
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
}

function handle(kind: Database['kind'], db: AppDb, shipped: MigrationRef[], closeOnce: () => Promise<void>, extra: { pglite?: PGlite; pool?: pg.Pool }): Database {
  let closing: Promise<void> | null = null;
  return {
    kind,
    db,
    shipped,
    ...extra,
    get closed() {
      return closing !== null;
    },
    close() {
      closing ??= closeOnce();
      return closing;
    },
  };
}
