// Desktop sync test helpers: a listening test server, synced client cores on real SQLite files, replica snapshots.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { REPLICATED_TABLES, replicatedKeyOf } from '../../../src-shared/sync/replicated-tables';
import type { ClientCore } from '../../../src-main/core/client-core';
import { replicaCodec } from '../../../src-main/sync/replica-codecs';
import { openSyncedClient } from '../../../src-main/sync/synced-client';
import type { OpenSyncedClientOptions, SyncedClient } from '../../../src-main/sync/synced-client';
import { createTokenSession } from '../../../src-main/sync/token-session';
import type { TestEnv } from '../../helpers/server-db';
import { MapReplica } from './sync-fixtures';
import type { SyncUser } from './sync-fixtures';

const listening = new WeakMap<FastifyInstance, Promise<string>>();

/** The test app listening on a loopback port (once per app). */
export function serverUrl(env: TestEnv): Promise<string> {
  let url = listening.get(env.app);
  if (!url) {
    url = env.app.listen({ port: 0, host: '127.0.0.1' });
    listening.set(env.app, url);
  }
  return url;
}

export interface DesktopOptions {
  live?: boolean;
  syncOnWrite?: boolean;
  transport?: OpenSyncedClientOptions['transport'];
  pageLimit?: number;
  chunkRows?: number;
}

/** A synced desktop for `user` on `dir`'s store (same dir = the same desktop reopened). */
export function openDesktop(env: TestEnv, url: string, dir: string, user: SyncUser, opts: DesktopOptions = {}): SyncedClient {
  return openSyncedClient({
    dbPath: join(dir, 'crm.db'),
    identity: { tenantId: user.session.user.tenantId, userId: user.userId },
    clock: () => env.clock.now(),
    logError: () => {},
    serverUrl: url,
    auth: createTokenSession({ baseUrl: url, session: user.session, clock: () => env.clock.now() }),
    live: opts.live ?? false,
    ...(opts.transport ? { transport: opts.transport } : {}),
    sync: { syncOnWrite: opts.syncOnWrite ?? false, retryBaseMs: 50, retryMaxMs: 200, ...(opts.pageLimit ? { pageLimit: opts.pageLimit } : {}), ...(opts.chunkRows ? { chunkRows: opts.chunkRows } : {}) },
  });
}

type Snapshot = Record<string, Record<string, Record<string, unknown>>>;

/** Every replicated row of a desktop store, by table and key, as entities (plus their server version). */
export function replicaSnapshot(core: ClientCore): Snapshot {
  const out: Snapshot = {};
  for (const table of REPLICATED_TABLES) {
    const codec = replicaCodec(table);
    const rows = core.store.sqlite.prepare(`SELECT ${codec.selectList} FROM "${table}"`).raw(true).all() as unknown[][];
    out[table] = Object.fromEntries(rows.map((raw) => {
      const entity = codec.fromRaw(raw) as Record<string, unknown>;
      return [String(entity[replicatedKeyOf(table)]), entity];
    }));
  }
  return out;
}

/** What the server holds for `user`'s view, fetched as a fresh full pull, in the same shape. */
export async function serverSnapshot(env: TestEnv, user: SyncUser): Promise<Snapshot> {
  const replica = new MapReplica();
  await replica.sync(env.app, user);
  const out: Snapshot = {};
  for (const table of REPLICATED_TABLES) {
    out[table] = Object.fromEntries([...(replica.tables.get(table)?.entries() ?? [])].map(([id, row]) => {
      const { version: _v, ...entity } = row;
      return [id, entity];
    }));
  }
  return out;
}

/** Waits (polling) until `check` holds, or fails with `what` after `ms`. */
export async function eventually(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const until = performance.now() + ms;
  while (!check()) {
    if (performance.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
