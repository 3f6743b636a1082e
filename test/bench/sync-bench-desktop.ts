// What the sync benchmarks' desktops share, in this process or in one of their own (first-sync-desktop.ts): opening
// a desktop against the benchmark server, and running a part under the CPU profiler.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { SessionResponse } from '../../src-shared/http/auth.http';
import { openSyncedClient } from '../../src-main/sync/synced-client';
import type { SyncedClient } from '../../src-main/sync/synced-client';
import { createHttpTransport } from '../../src-main/sync/sync-transport';
import { createTokenSession } from '../../src-main/sync/token-session';

export interface DesktopOptions {
  live?: boolean;
  syncOnWrite?: boolean;
  /** Called when a pull's answer has arrived (parsed and checked). */
  onPulled?: () => void;
  walCheckpointer?: boolean;
  /** Told of each push and pull request and answer (SYNC_BENCH_TRACE). */
  traced?: (event: string) => void;
}

/** A desktop whose store is `dir`/crm.db, signed in with `session`, its clock fixed at `now`; it syncs when told. */
export function openBenchDesktop(dir: string, url: string, now: number, session: SessionResponse, o: DesktopOptions = {}): SyncedClient {
  const clock = () => now;
  const auth = createTokenSession({ baseUrl: url, session, clock });
  const http = createHttpTransport({ baseUrl: url, auth });
  const traced = o.traced ?? (() => {});
  const transport = { ...http, push: async (req: Parameters<typeof http.push>[0]) => {
    traced('push sent');
    const res = await http.push(req);
    traced('push answered');
    return res;
  }, pull: async (req: Parameters<typeof http.pull>[0]) => {
    traced('pull sent');
    const page = await http.pull(req);
    traced('pull answered');
    o.onPulled?.();
    return page;
  } };
  return openSyncedClient({
    dbPath: join(dir, 'crm.db'), identity: { tenantId: session.user.tenantId, userId: session.user.id }, clock, serverUrl: url, auth, transport,
    live: o.live ?? false, start: false, sync: { syncOnWrite: o.syncOnWrite ?? false, walCheckpointer: o.walCheckpointer ?? true }, logError: () => {},
  });
}

/**
 * Runs one part, under the CPU profiler when SYNC_BENCH_PROFILE is set: writes prefix-part.cpuprofile and the event
 * loop's gaps over 20 ms (prefix-part.gaps.json: [from, to] in ms since the profile started).
 */
export async function part<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const prefix = process.env.SYNC_BENCH_PROFILE;
  if (!prefix) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const t0 = performance.now();
  const gaps: [number, number][] = [];
  let last = t0;
  const probe = setInterval(() => {
    const now = performance.now();
    if (now - last > 20) gaps.push([last - t0, now - t0]);
    last = now;
  }, 2);
  try {
    return await fn();
  } finally {
    clearInterval(probe);
    writeFileSync(`${prefix}-${name}.gaps.json`, JSON.stringify(gaps));
    writeFileSync(`${prefix}-${name}.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
    session.disconnect();
  }
}
