// Runs server integration tests against both databases: embedded PGlite (in memory) and the real PostgreSQL server.
import { afterAll, beforeAll, describe } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../src-server/db/database';
import type { Database } from '../../src-server/db/database';
import { DEFAULT_MIGRATIONS_FOLDER, shippedMigrations } from '../../src-server/db/migrations';
import { loadConfig } from '../../src-server/config/server-config';
import type { ServerConfig } from '../../src-server/config/server-config';
import { createContext } from '../../src-server/app/server-context';
import type { Clock, ServerContext } from '../../src-server/app/server-context';
import { buildServer } from '../../src-server/app/build-server';
import type { BuildServerOptions } from '../../src-server/app/build-server';
import { loadSigningKey } from '../../src-server/auth/signing-key';

export const DATABASE_KINDS = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** The PostgreSQL the tests create their databases on (trust authentication); CI guarantees it is up. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** "Now" at the start of every test file: a fixed instant, so nothing depends on the machine's clock. */
export const TEST_EPOCH = Date.UTC(2026, 0, 15, 9, 0, 0);

/** A clock tests move by hand (e.g. past an access token's expiry). */
export class ManualClock implements Clock {
  constructor(private t: number = TEST_EPOCH) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestDatabase {
  kind: DatabaseKind;
  database: Database;
  /** PostgreSQL only: the URL of the test's own database (e.g. to start a server process on it). */
  url?: string;
  /** Closes the database and, for PostgreSQL, drops it. */
  dispose(): Promise<void>;
}

// Creating a PGlite database runs initdb (~4 s) and the migrations (~2 s); loading a dump of a migrated one takes
// ~1 s. The dump is cached per PGlite version and set of migrations, so it can never be stale.
function pgliteTemplatePath(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string };
  const key = createHash('sha256').update(version).update(shippedMigrations(DEFAULT_MIGRATIONS_FOLDER).map((m) => `${m.hash}@${m.createdAt}`).join()).digest('hex').slice(0, 16);
  return join(tmpdir(), `fieldcrm-pglite-template-${key}.tar.gz`);
}

async function openPgliteTestDatabase(): Promise<Database> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return openDatabase({ kind: 'pglite', dataDir: null, fromDump: new Blob([readFileSync(path)]) });
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  const dump = await database.pglite!.dumpDataDir('gzip');
  // Written aside and renamed, so a parallel test file never reads half a template.
  const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, path);
  return database;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function openPostgresTestDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(err as Error).message}). The server integration tests run against ` +
      'both PGlite and PostgreSQL and do not skip: start PostgreSQL (see .ci/run) or point TEST_DATABASE_URL at one.',
    );
  }
  const name = `crm_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  try {
    const url = withDatabase(TEST_DATABASE_URL, name);
    const database = await openDatabase({ kind: 'postgres', url });
    return { kind: 'postgres', database, url, dispose: async () => { await database.close(); await drop(); } };
  } catch (err) {
    await drop();
    throw err;
  }
}

/** A fresh, migrated database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'postgres') return openPostgresTestDatabase();
  const database = await openPgliteTestDatabase();
  return { kind, database, dispose: () => database.close() };
}

export interface TestEnv extends TestDatabase {
  ctx: ServerContext;
  clock: ManualClock;
  /** The whole HTTP API over `ctx`, ready for `inject` (or `listen({ port: 0 })`). */
  app: FastifyInstance;
}

export function testConfig(kind: DatabaseKind): ServerConfig {
  return { ...loadConfig({}), database: kind === 'pglite' ? { kind, dataDir: '(memory)' } : { kind, url: TEST_DATABASE_URL }, port: 0, logLevel: 'silent', seedDemo: false };
}

/** A server context over a fresh database; logs are silent unless TEST_LOG_LEVEL says otherwise. */
export async function createTestEnv(kind: DatabaseKind, options: BuildServerOptions = {}): Promise<TestEnv> {
  const testDb = await createTestDatabase(kind);
  try {
    const clock = new ManualClock();
    const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const signingKey = await loadSigningKey(testDb.database.db, null, clock.now());
    const ctx = createContext({ config: testConfig(kind), database: testDb.database, log, signingKey, clock });
    const app = buildServer(ctx, options);
    await app.ready();
    return {
      ...testDb,
      ctx,
      clock,
      app,
      dispose: async () => {
        await app.close();
        await testDb.dispose();
      },
    };
  } catch (err) {
    await testDb.dispose();
    throw err;
  }
}

/**
 * Declares `body`'s tests once per database kind, each kind with one fresh database for the whole file (creating
 * one is the slow part). Tests share it: isolate them by tenant (seed a tenant of your own with a distinct seed).
 */
export function forEachDatabase(name: string, body: (env: () => TestEnv) => void, options: BuildServerOptions = {}): void {
  describe.each(DATABASE_KINDS)(`${name} [%s]`, (kind) => {
    let env: TestEnv | null = null;
    beforeAll(async () => {
      env = await createTestEnv(kind, options);
    });
    afterAll(async () => {
      await env?.dispose();
    });
    body(() => {
      if (!env) throw new Error(`the ${kind} test database is not ready (its beforeAll failed; see the error above)`);
      return env;
    });
  });
}
