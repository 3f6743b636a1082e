// Two server instances on one PostgreSQL: a change pushed through one reaches, by poke and pull, a desktop live on the other.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildServer } from '../../../src-server/app/build-server';
import { createContext } from '../../../src-server/app/server-context';
import { openDatabase } from '../../../src-server/db/database';
import { createTestEnv, testConfig } from '../../helpers/server-db';
import type { TestEnv } from '../../helpers/server-db';
import { useTempDirs } from '../client/temp-dir';
import { signedIn, syncTenant } from './sync-fixtures';
import { eventually, openDesktop, replicaSnapshot, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();
let first: TestEnv;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  first = await createTestEnv('postgres');
  stops.push(() => first.dispose());
});
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

it('pokes a desktop connected to the other instance through LISTEN/NOTIFY, and it pulls the change', async () => {
  const t = await syncTenant(first, 9501, 'sync-fanout');
  const database = await openDatabase({ kind: 'postgres', url: first.database.pool!.options.connectionString! });
  const ctx = createContext({ config: testConfig('postgres'), database, log: pino({ level: 'silent' }), signingKey: first.ctx.signingKey, clock: first.clock });
  const app = buildServer(ctx);
  stops.push(async () => {
    await app.close();
    await database.close();
  });
  const secondUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const manager = await signedIn(app, 'manager@demo.test', t.slug);
  const writer = openDesktop(first, await serverUrl(first), tempDir(), t.admin);
  const watcher = openDesktop(first, secondUrl, tempDir(), manager, { live: true, syncOnWrite: true });
  try {
    await writer.sync.syncNow();
    await eventually('the watcher is live and synced', () => watcher.sync.status().live && watcher.sync.status().lastSyncAt !== null);
    // Given to a rep of the manager's team: the manager gets no notification, only the tenant's poke.
    const { lead } = await writer.core.call('leads.create', { lastName: 'Across', email: 'across@example.com', ownerId: t.rep1.userId });
    await writer.sync.syncNow();
    await eventually('the watcher’s replica holds the lead', () => replicaSnapshot(watcher.core)['leads']![lead.id] !== undefined);
    expect(replicaSnapshot(watcher.core)['leads']![lead.id]).toMatchObject({ lastName: 'Across', ownerId: t.rep1.userId });
  } finally {
    await writer.close();
    await watcher.close();
  }
});
