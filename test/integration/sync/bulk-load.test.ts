// A large first sync into an empty replica loads without secondary indexes and match keys and builds both at its end,
// also when it was interrupted and resumed after a restart, against the real server on PGlite and PostgreSQL.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { matchKeys } from '../../../src-shared/domain/duplicate-keys';
import { openStore } from '../../../src-main/store/open-store';
import { openSyncedClient } from '../../../src-main/sync/synced-client';
import type { SyncedClient } from '../../../src-main/sync/synced-client';
import { createHttpTransport, NetworkError } from '../../../src-main/sync/sync-transport';
import type { SyncTransport } from '../../../src-main/sync/sync-transport';
import { createTokenSession } from '../../../src-main/sync/token-session';
import { forEachDatabase } from '../../helpers/server-db';
import type { TestEnv } from '../../helpers/server-db';
import { useTempDirs } from '../client/temp-dir';
import { replicaSnapshot, serverSnapshot, serverUrl } from './desktop-fixtures';
import { syncTenant } from './sync-fixtures';
import type { SyncUser } from './sync-fixtures';

const tempDir = useTempDirs();

/** A desktop whose every first sync counts as large (bulkLoadRows 1), in small pages; `wrap` can break its pulls. */
function openDesktop(env: TestEnv, url: string, dir: string, user: SyncUser, wrap?: (t: SyncTransport) => SyncTransport): SyncedClient {
  const auth = createTokenSession({ baseUrl: url, session: user.session, clock: () => env.clock.now() });
  const http = createHttpTransport({ baseUrl: url, auth });
  return openSyncedClient({
    dbPath: join(dir, 'crm.db'), identity: { tenantId: user.session.user.tenantId, userId: user.userId }, clock: () => env.clock.now(), logError: () => {},
    serverUrl: url, auth, live: false, start: false, transport: wrap ? wrap(http) : http, sync: { syncOnWrite: false, pageLimit: 40, bulkLoadRows: 1 },
  });
}

const indexes = (sqlite: Database.Database) => sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`).all();

function freshIndexes(): unknown[] {
  const fresh = openStore(join(tempDir(), 'fresh.db'));
  try {
    return indexes(fresh.sqlite);
  } finally {
    fresh.close();
  }
}

/** Each lead's match keys as the write path computes them, and as the store holds them. */
function keysExpectedAndStored(sqlite: Database.Database): { expected: string[]; stored: string[] } {
  const leads = sqlite.prepare('SELECT id, first_name AS firstName, last_name AS lastName, email, phone, company_name AS companyName FROM leads').all() as { id: string; firstName: string | null; lastName: string | null; email: string | null; phone: string | null; companyName: string | null }[];
  const expected = leads.flatMap((l) => [...new Set(matchKeys(l))].map((k) => `${k} ${l.id}`)).sort();
  const stored = (sqlite.prepare('SELECT key, lead_id FROM lead_dedupe_keys').raw(true).all() as [string, string][]).map(([k, id]) => `${k} ${id}`).sort();
  return { expected, stored };
}

const bulkRecord = (sqlite: Database.Database) => sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'bulk'`).get();

forEachDatabase('bulk first sync', (env) => {
  it('loads an empty replica without its secondary indexes, then has every index and every lead’s match keys', async () => {
    const t = await syncTenant(env(), 9401, 'bulk-first', { leads: 120 });
    const url = await serverUrl(env());
    let missingDuringLoad = false;
    let pulls = 0;
    const desktop = openDesktop(env(), url, tempDir(), t.manager, (http) => ({
      ...http,
      pull: (req) => {
        if (++pulls === 3) missingDuringLoad = !indexes(desktop.core.store.sqlite).some((i) => (i as { name: string }).name === 'leads_queue_owner_idx');
        return http.pull(req);
      },
    }));
    try {
      await desktop.sync.syncNow();
      expect(pulls).toBeGreaterThan(3);
      expect(missingDuringLoad).toBe(true);
      const { sqlite } = desktop.core.store;
      expect(indexes(sqlite)).toEqual(freshIndexes());
      const keys = keysExpectedAndStored(sqlite);
      expect(keys.stored.length).toBeGreaterThan(100);
      expect(keys.stored).toEqual(keys.expected);
      expect(bulkRecord(sqlite)).toBeUndefined();
      expect(replicaSnapshot(desktop.core)).toEqual(await serverSnapshot(env(), t.manager));
    } finally {
      await desktop.close();
    }
  });

  it('finishes an interrupted load after a restart, with a lead created meanwhile keeping its own match keys', async () => {
    const t = await syncTenant(env(), 9402, 'bulk-resume', { leads: 120 });
    const url = await serverUrl(env());
    const dir = tempDir();
    let pulls = 0;
    const first = openDesktop(env(), url, dir, t.admin, (http) => ({
      ...http,
      pull: (req) => (++pulls === 4 ? Promise.reject(new NetworkError('the line dropped')) : http.pull(req)),
    }));
    try {
      await expect(first.sync.syncNow()).rejects.toThrow(NetworkError);
      expect(bulkRecord(first.core.store.sqlite)).toBeDefined();
      // The partial replica stays usable while its indexes wait.
      await first.core.call('leads.create', { firstName: 'Zoë', lastName: 'Bulkley', email: 'zoe@bulkley.example', phone: '+1 555 0100' });
    } finally {
      await first.close();
    }
    const again = openDesktop(env(), url, dir, t.admin);
    try {
      await again.sync.syncNow();
      // The lead pushed at the start of that round arrives with the next pull (its version is past the load's window).
      await again.sync.syncNow();
      const { sqlite } = again.core.store;
      expect(again.sync.status().pending).toBe(0);
      expect(indexes(sqlite)).toEqual(freshIndexes());
      const keys = keysExpectedAndStored(sqlite);
      expect(keys.stored).toEqual(keys.expected);
      expect(keys.stored.some((k) => k.startsWith('e:zoe@bulkley.example '))).toBe(true);
      expect(bulkRecord(sqlite)).toBeUndefined();
      expect(replicaSnapshot(again.core)).toEqual(await serverSnapshot(env(), t.admin));
    } finally {
      await again.close();
    }
  });
});
