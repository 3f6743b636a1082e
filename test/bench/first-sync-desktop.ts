// The first-sync benchmark's desktop, in a process of its own as a desktop's core is (Electron's utility process, the
// web host): its event loop and heap are the desktop's alone, not shared with the benchmarks' harness. argv[2] is
// JSON (FirstSyncArgs); it syncs once into the empty store and sends FirstSyncResult.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SessionResponse } from '../../src-shared/http/auth.http';
import { REPLICATED_TABLES } from '../../src-shared/sync/replicated-tables';
import { openBenchDesktop, part } from './sync-bench-desktop';

export interface FirstSyncArgs {
  dir: string;
  url: string;
  now: number;
  session: SessionResponse;
}

export interface FirstSyncResult {
  rows: number;
  seconds: number;
  /** The event loop's longest stall during the sync, in ms. */
  longestStallMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as FirstSyncArgs;
const desktop = openBenchDesktop(args.dir, args.url, args.now, args.session);
try {
  const stall = monitorEventLoopDelay({ resolution: 5 });
  stall.enable();
  const t = performance.now();
  await part('first', () => desktop.sync.syncNow());
  const seconds = (performance.now() - t) / 1000;
  stall.disable();
  const rows = REPLICATED_TABLES.reduce((n, table) => n + (desktop.core.store.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n, 0);
  process.send!({ rows, seconds, longestStallMs: stall.max / 1e6 } satisfies FirstSyncResult);
} finally {
  await desktop.close();
}
