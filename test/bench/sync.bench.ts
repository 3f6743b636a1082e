// Sync benchmarks: first sync into an empty replica (rows/s against raw SQLite inserts of the same rows, and the
// longest event-loop stall), a push of 1,000 offline mutations, and one change's round trip, against a server in
// another process on PostgreSQL. SYNC_BENCH_SIZE=small runs a tenth of the data.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SessionResponse } from '../../src-shared/http/auth.http';
import { REPLICATED_TABLES } from '../../src-shared/sync/replicated-tables';
import { openStore } from '../../src-main/store/open-store';
import { openSyncedClient } from '../../src-main/sync/synced-client';
import { createTokenSession } from '../../src-main/sync/token-session';
import { median, type Benchmark } from './bench-harness';

const FULL = { leads: 100_000, deals: 20_000, activities: 200_000 };
const size = process.env.SYNC_BENCH_SIZE === 'small' ? { leads: 10_000, deals: 2_000, activities: 20_000 } : FULL;

/** Copies every replicated row into a fresh store with plain prepared statements in one transaction: the baseline. */
function rawInsertRate(from: string, to: string): number {
  const src = openStore(from);
  const dst = openStore(to);
  try {
    let rows = 0;
    const t = performance.now();
    dst.sqlite.transaction(() => {
      for (const table of REPLICATED_TABLES) {
        const data = src.sqlite.prepare(`SELECT * FROM "${table}"`).raw(true).all() as unknown[][];
        if (data.length === 0) continue;
        const insert = dst.sqlite.prepare(`INSERT INTO "${table}" VALUES (${data[0]!.map(() => '?').join(', ')})`);
        for (const r of data) insert.run(...r);
        rows += data.length;
      }
    })();
    return rows / ((performance.now() - t) / 1000);
  } finally {
    src.close();
    dst.close();
  }
}

export const syncBenchmark: Benchmark = {
  group: 'sync',
  async run(report, log) {
    log(`seeding ${size.leads} leads, ${size.deals} deals, ${size.activities} activities on PostgreSQL (another process)…`);
    const server = fork(new URL('./sync-bench-server.ts', import.meta.url).pathname, [size.leads, size.deals, size.activities].map(String), { execArgv: ['--import', 'tsx'] });
    const { url, now } = await new Promise<{ url: string; now: number }>((resolve, reject) => {
      server.once('message', (m) => resolve(m as { url: string; now: number }));
      server.once('exit', (code) => reject(new Error(`the benchmark server exited (${code})`)));
    });
    const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
    let t = 0;
    try {
      const res = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.test', password: 'demo1234', tenant: 'bench' }) });
      const session = SessionResponse.parse(await res.json());
      const clock = () => now;
      const desktop = openSyncedClient({
        dbPath: join(dir, 'crm.db'), identity: { tenantId: session.user.tenantId, userId: session.user.id }, clock,
        serverUrl: url, auth: createTokenSession({ baseUrl: url, session, clock }), live: false, start: false, sync: { syncOnWrite: false },
      });
      try {
        const stall = monitorEventLoopDelay({ resolution: 5 });
        stall.enable();
        t = performance.now();
        await desktop.sync.syncNow();
        const seconds = (performance.now() - t) / 1000;
        stall.disable();
        const rows = REPLICATED_TABLES.reduce((n, table) => n + (desktop.core.store.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n, 0);
        log(`first sync: ${rows} rows in ${seconds.toFixed(1)} s`);
        await desktop.close(); // the baseline reads the store file
        const baseline = rawInsertRate(join(dir, 'crm.db'), join(dir, 'raw.db'));
        const rate = rows / seconds;
        report({ id: 'sync.firstSync.rowsPerSecond', value: rate, unit: 'rows/s', bar: 30_000, better: 'higher', baseline, ratio: rate / baseline });
        report({ id: 'sync.firstSync.longestStall', value: stall.max / 1e6, unit: 'ms', bar: 50, better: 'lower' });
      } finally {
        await desktop.close();
      }
      const again = openSyncedClient({
        dbPath: join(dir, 'crm.db'), identity: { tenantId: session.user.tenantId, userId: session.user.id }, clock,
        serverUrl: url, auth: createTokenSession({ baseUrl: url, session, clock }), live: false, start: false, sync: { syncOnWrite: false },
      });
      try {
        await again.sync.syncNow();
        for (let i = 0; i < 1000; i++) await again.core.call('leads.create', { lastName: `Offline ${i}`, email: `offline${i}@example.com` });
        t = performance.now();
        await again.sync.syncNow();
        report({ id: 'sync.push1000.ms', value: performance.now() - t, unit: 'ms', bar: 5000, better: 'lower' });
        const rounds: number[] = [];
        for (let i = 0; i < 20; i++) {
          await again.core.call('leads.update', { id: (await again.core.call('leads.create', { lastName: `Change ${i}` })).lead.id, patch: { title: 'x' } });
          t = performance.now();
          await again.sync.syncNow();
          rounds.push(performance.now() - t);
        }
        report({ id: 'sync.oneChangeRoundTrip.median', value: median(rounds), unit: 'ms', bar: 100, better: 'lower' });
      } finally {
        await again.close();
      }
    } finally {
      server.send('stop');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
