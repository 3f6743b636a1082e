// A dump of a migrated, empty PGlite database, made once per PGlite version and set of migrations: each e2e tenant server starts from it instead of running initdb and the migrations.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src-server/db/database';
import { DEFAULT_MIGRATIONS_FOLDER, shippedMigrations } from '../../../src-server/db/migrations';

/** Where the template is; its name changes with the PGlite version and the migrations, so it is never stale. */
export function pgliteTemplatePath(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string };
  const key = createHash('sha256').update(version).update(shippedMigrations(DEFAULT_MIGRATIONS_FOLDER).map((m) => `${m.hash}@${m.createdAt}`).join()).digest('hex').slice(0, 16);
  return join(tmpdir(), `fieldcrm-e2e-pglite-template-${key}.tar.gz`);
}

/** Makes the template if there is none yet (once, before the tests: it runs initdb and the migrations in this process). */
export async function ensurePgliteTemplate(): Promise<string> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return path;
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    const dump = await database.pglite!.dumpDataDir('gzip');
    // Written aside and renamed, so a test run starting meanwhile never reads half a template.
    const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await database.close();
  }
  return path;
}
