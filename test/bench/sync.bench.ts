// Sync benchmarks against a server in another process on PostgreSQL: first sync into an empty replica by a desktop in
// a process of its own (rows/s against raw SQLite inserts of the same rows, and the longest event-loop stall), a push of 1,000 offline mutations, one
// change's round trip, one incremental change applied into the 100k-lead replica, a change fanned out to 20 connected
// desktops, and the time for 20 desktops to be in sync again after the server comes back from an outage.
// SYNC_BENCH_SIZE=small runs a tenth of the data; SYNC_BENCH_ONLY=first,push,incremental,fanout,outage runs some parts;
// SYNC_BENCH_PROFILE=prefix writes a CPU profile of this process per part (prefix-part.cpuprofile) and the event loop's
// gaps over 20 ms during it (prefix-part.gaps.json: [from, to] in ms since the profile started), the server's is
// SYNC_BENCH_SERVER_PROFILE (see sync-bench-server.ts); SYNC_BENCH_TRACE=1 prints every tenth fan-out round's timeline
// (each desktop's push and pull requests and answers, and when the change was in each store).
import { fork } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionResponse } from '../../src-shared/http/auth.http';
import { PROTOCOL_VERSION, SCHEMA_VERSION } from '../../src-shared/sync/sync-protocol';
import { REPLICATED_TABLES } from '../../src-shared/sync/replicated-tables';
import { openStore } from '../../src-main/store/open-store';
import { prepared } from '../../src-main/store/statement-cache';
import type { SyncedClient } from '../../src-main/sync/synced-client';
import { createTestDatabase } from '../helpers/server-db';
import { median, percentile, type Benchmark, type Figure } from './bench-harness';
import type { BenchServerArgs, BenchServerReady } from './sync-bench-server';
import type { FirstSyncArgs, FirstSyncResult } from './first-sync-desktop';
import { openBenchDesktop, part } from './sync-bench-desktop';
import type { DesktopOptions } from './sync-bench-desktop';

const FULL = { leads: 100_000, deals: 20_000, activities: 200_000 };
const size = process.env.SYNC_BENCH_SIZE === 'small' ? { leads: 10_000, deals: 2_000, activities: 20_000 } : FULL;
const only = process.env.SYNC_BENCH_ONLY ? new Set(process.env.SYNC_BENCH_ONLY.split(',')) : null;
const runs = (part: 'first' | 'push' | 'incremental' | 'fanout' | 'outage') => !only || only.has(part);

/** Desktops connected at once in the fan-out and outage benchmarks. */
const CLIENTS = 20;
const FANOUT_ROUNDS = 50;
/**
 * The connected desktops share this process and one disk: their WAL checkpoint threads (two fsyncs per store and
 * second) would hold up each other's commits, which desktops on machines of their own never meet. They use SQLite's
 * own checkpoints (every 1,000 pages) instead; SYNC_BENCH_CHECKPOINTERS=1 keeps the threads.
 */
const CHECKPOINTERS = process.env.SYNC_BENCH_CHECKPOINTERS === '1';
/** How long the server stays down in the outage benchmark: long enough for the reconnect backoff to grow. */
const OUTAGE_MS = 10_000;

interface Server {
  proc: ChildProcess;
  url: string;
  now: number;
}

function startServer(args: BenchServerArgs): Promise<Server> {
  const proc = fork(new URL('./sync-bench-server.ts', import.meta.url).pathname, [JSON.stringify(args)], { execArgv: ['--import', 'tsx'] });
  return new Promise<Server>((resolve, reject) => {
    proc.once('message', (m) => resolve({ proc, ...(m as BenchServerReady) }));
    proc.once('exit', (code) => reject(new Error(`the benchmark server exited (${code})`)));
  });
}

async function stopServer(server: Server, how: 'stop' | 'kill'): Promise<void> {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => server.proc.once('exit', resolve));
  if (how === 'kill') server.proc.kill('SIGKILL');
  else server.proc.send('stop');
  await exited;
}

/**
 * Signs in a new device. `from` is the loopback address it connects from: desktops of one user on separate machines
 * each get their own allowance of the server's sign-in rate limit (per address and email).
 */
function signIn(url: string, email: string, tenant: string, from = '127.0.0.1'): Promise<SessionResponse> {
  const body = JSON.stringify({ email, password: 'demo1234', tenant });
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL('/api/v1/auth/sign-in', url), { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`sign-in of ${email} at ${tenant} failed: ${res.statusCode}`));
        else resolve(SessionResponse.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A fan-out round's timeline (SYNC_BENCH_TRACE): milliseconds since the round's write, and what happened. */
const timeline = { since: 0, events: [] as string[] };
const traced = (event: string) => {
  if (timeline.since > 0) timeline.events.push(`${(performance.now() - timeline.since).toFixed(1)} ${event}`);
};
let desktopsOpened = 0;

function openDesktop(dir: string, url: string, now: number, session: SessionResponse, o: DesktopOptions = {}): SyncedClient {
  const tag = `desktop ${++desktopsOpened}`;
  return openBenchDesktop(dir, url, now, session, { ...o, traced: (event) => traced(`${tag} ${event}`) });
}

/** The first sync of `session`'s desktop into an empty store at `dir`, in a process of its own (first-sync-desktop.ts). */
function firstSyncApart(args: FirstSyncArgs): Promise<FirstSyncResult> {
  const proc = fork(new URL('./first-sync-desktop.ts', import.meta.url).pathname, [JSON.stringify(args)], { execArgv: ['--import', 'tsx'] });
  return new Promise<FirstSyncResult>((resolve, reject) => {
    let result: FirstSyncResult | null = null;
    proc.once('message', (m) => (result = m as FirstSyncResult));
    proc.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the first-sync desktop exited (${code}) ${result ? 'after' : 'before'} its result`))));
  });
}

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every few milliseconds; resolves with the time it first held, or fails after `ms`. */
async function until(what: string, check: () => boolean, ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (check()) return performance.now();
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(2);
  }
}

/** Whether `desktop`'s store holds `title` on lead `id`. */
function hasTitle(desktop: SyncedClient, id: string, title: string): boolean {
  const row = prepared(desktop.core.store.sqlite, 'SELECT title FROM leads WHERE id = ?').get(id) as { title: string | null } | undefined;
  return row?.title === title;
}

/**
 * Pushes mutations from a device of its own, straight to the server: a change made elsewhere, for a replica to pull.
 */
function serverWriter(url: string, session: SessionResponse): (name: string, args: unknown) => Promise<void> {
  let next = 1;
  return async (name, args) => {
    const res = await fetch(`${url}/api/v1/sync/push`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ clientId: session.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, mutations: [{ clientId: session.clientId, mutationId: next++, name, args, protocolVersion: PROTOCOL_VERSION }] }),
    });
    if (!res.ok) throw new Error(`push of ${name} failed: ${res.status} ${await res.text()}`);
  };
}

/**
 * Median milliseconds from a pull's answer arriving to the commit of the change it brought (the apply), over `n`
 * changes to leads of `replica` made on the server.
 */
async function incrementalApply(replica: SyncedClient, pulled: { at: number }, write: (name: string, args: unknown) => Promise<void>, n: number): Promise<number> {
  const ids = (replica.core.store.sqlite.prepare('SELECT id FROM leads ORDER BY id LIMIT ?').all(n) as { id: string }[]).map((r) => r.id);
  let committedAt = 0;
  const off = replica.core.on('changed', (c) => {
    if (c.tables.includes('leads')) committedAt = performance.now();
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      await write('leads.update', { id: ids[i]!, patch: { title: `Server change ${i}` } });
      committedAt = 0;
      await replica.sync.syncNow();
      if (!hasTitle(replica, ids[i]!, `Server change ${i}`) || committedAt === 0) throw new Error('the change did not arrive');
      times.push(committedAt - pulled.at);
    }
    return median(times.slice(3));
  } finally {
    off();
  }
}

/** The large tenant: first sync, push of 1,000 offline mutations, one change's round trip, incremental apply. */
async function largeTenant(url: string, now: number, dir: string, report: (f: Figure) => void, log: (m: string) => void, smallApply: number | null): Promise<void> {
  const session = await signIn(url, 'admin@demo.test', 'bench');
  if (runs('first')) {
    const { rows, seconds, longestStallMs } = await firstSyncApart({ dir, url, now, session });
    log(`first sync: ${rows} rows in ${seconds.toFixed(1)} s (a desktop in a process of its own)`);
    const baseline = rawInsertRate(join(dir, 'crm.db'), join(dir, 'raw.db'));
    const rate = rows / seconds;
    report({ id: 'sync.firstSync.rowsPerSecond', value: rate, unit: 'rows/s', bar: 30_000, better: 'higher', baseline, ratio: rate / baseline });
    report({ id: 'sync.firstSync.longestStall', value: longestStallMs, unit: 'ms', bar: 50, better: 'lower' });
  }
  if (!runs('push') && !runs('incremental')) return;
  const pulled = { at: 0 };
  const again = openDesktop(dir, url, now, session, { onPulled: () => (pulled.at = performance.now()) });
  try {
    await again.sync.syncNow();
    if (runs('push')) {
      for (let i = 0; i < 1000; i++) await again.core.call('leads.create', { lastName: `Offline ${i}`, email: `offline${i}@example.com` });
      const t = performance.now();
      await again.sync.syncNow();
      report({ id: 'sync.push1000.ms', value: performance.now() - t, unit: 'ms', bar: 5000, better: 'lower' });
      const rounds: number[] = [];
      for (let i = 0; i < 20; i++) {
        await again.core.call('leads.update', { id: (await again.core.call('leads.create', { lastName: `Change ${i}` })).lead.id, patch: { title: 'x' } });
        const t0 = performance.now();
        await again.sync.syncNow();
        rounds.push(performance.now() - t0);
      }
      report({ id: 'sync.oneChangeRoundTrip.median', value: median(rounds), unit: 'ms', bar: 100, better: 'lower' });
    }
    if (runs('incremental')) {
      const leads = (again.core.store.sqlite.prepare('SELECT count(*) AS n FROM leads').get() as { n: number }).n;
      const write = serverWriter(url, await signIn(url, 'manager@demo.test', 'bench'));
      const ms = await incrementalApply(again, pulled, write, 33);
      log(`incremental apply into a replica of ${leads} leads: median ${ms.toFixed(2)} ms${smallApply === null ? '' : ` (${smallApply.toFixed(2)} ms into the demo-sized replica)`}`);
      report({ id: 'sync.incrementalApply.median', value: ms, unit: 'ms', bar: 5, better: 'lower', ...(smallApply === null ? {} : { baseline: smallApply, ratio: ms / smallApply }) });
    }
  } finally {
    await again.close();
  }
}

/**
 * Opens `n` live desktops of the demo-sized tenant (admins and managers in turn), each after its first sync, into
 * `into` as it goes (so a failure midway still closes and removes what was opened).
 */
async function liveDesktops(url: string, now: number, n: number, into: { desktops: SyncedClient[]; dirs: string[] }): Promise<void> {
  const { desktops, dirs } = into;
  for (let i = 0; i < n; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-sync-live-'));
    dirs.push(dir);
    const desktop = openDesktop(dir, url, now, await signIn(url, i % 2 === 0 ? 'admin@demo.test' : 'manager@demo.test', 'live', `127.0.0.${10 + i}`), { live: true, syncOnWrite: true, walCheckpointer: CHECKPOINTERS });
    desktops.push(desktop);
    await desktop.sync.syncNow();
  }
  await until('every desktop’s poke socket', () => desktops.every((d) => d.sync.status().live), 30_000);
}

/** Milliseconds from a lead update on `writer` until every one of `receivers` holds it, per round. */
async function fanOut(writer: SyncedClient, receivers: SyncedClient[], leadId: string, rounds: number, tag: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const title = `${tag} ${i}`;
    const arrived = new Array<number>(receivers.length).fill(0);
    const offs = receivers.map((r, k) => r.core.on('changed', (c) => {
      if (arrived[k] === 0 && c.tables.includes('leads') && hasTitle(r, leadId, title)) arrived[k] = performance.now();
    }));
    const trace = process.env.SYNC_BENCH_TRACE === '1' && i % 10 === 5;
    try {
      const t = performance.now();
      if (trace) timeline.since = t;
      await writer.core.call('leads.update', { id: leadId, patch: { title } });
      await until(`${title} on every desktop`, () => arrived.every((a) => a > 0), 30_000);
      times.push(Math.max(...arrived) - t);
      if (trace) console.log(`  ${tag} round ${i}, in each store after (ms): ${arrived.map((a) => Math.round(a - t)).sort((a, b) => a - b).join(' ')}\n    ${timeline.events.join('\n    ')}`);
    } finally {
      timeline.since = 0;
      timeline.events = [];
      for (const off of offs) off();
    }
    // Let the round's last pulls and the writer's own settle before the next change.
    await until('quiet desktops', () => [writer, ...receivers].every((d) => d.sync.status().phase === 'idle' && d.sync.status().pending === 0), 30_000);
    await sleep(20);
  }
  return times;
}

/** Every desktop updates its own lead, then: the milliseconds until all hold every update with nothing pending. */
function allInSync(desktops: SyncedClient[], leads: string[], tag: string): () => boolean {
  return () => desktops.every((d) => d.sync.status().pending === 0 && leads.every((id, k) => hasTitle(d, id, `${tag} ${k}`)));
}

export const syncBenchmark: Benchmark = {
  group: 'sync',
  async run(report, log) {
    const database = await createTestDatabase('postgres');
    const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
    const live: { desktops: SyncedClient[]; dirs: string[] } = { desktops: [], dirs: [] };
    const big = runs('first') || runs('push') || runs('incremental');
    log(`seeding ${big ? `${size.leads} leads, ${size.deals} deals, ${size.activities} activities and ` : ''}a demo-sized tenant on PostgreSQL (another process)…`);
    let server = await startServer({ db: database.url!, port: 0, seed: { bench: big ? size : null } });
    try {
      let smallApply: number | null = null;
      if (runs('incremental')) {
        const session = await signIn(server.url, 'admin@demo.test', 'live');
        const pulled = { at: 0 };
        const smallDir = mkdtempSync(join(tmpdir(), 'bench-sync-small-'));
        live.dirs.push(smallDir);
        const small = openDesktop(smallDir, server.url, server.now, session, { onPulled: () => (pulled.at = performance.now()) });
        try {
          await small.sync.syncNow();
          smallApply = await incrementalApply(small, pulled, serverWriter(server.url, await signIn(server.url, 'manager@demo.test', 'live')), 33);
        } finally {
          await small.close();
        }
      }
      if (big) await largeTenant(server.url, server.now, dir, report, log, smallApply);
      if (!runs('fanout') && !runs('outage')) return;

      log(`opening ${CLIENTS + 1} connected desktops…`);
      await liveDesktops(server.url, server.now, CLIENTS + 1, live);
      const [writer, ...receivers] = live.desktops as [SyncedClient, ...SyncedClient[]];
      // Leads every desktop sees: the manager's (admins see all).
      const leads = (receivers[0]!.core.store.sqlite.prepare('SELECT id FROM leads ORDER BY id LIMIT ?').all(CLIENTS) as { id: string }[]).map((r) => r.id);
      if (runs('fanout')) {
        // Baseline: one other desktop syncing (the rest work offline meanwhile).
        for (const r of receivers.slice(1)) r.sync.pause();
        const one = await fanOut(writer, receivers.slice(0, 1), leads[0]!, FANOUT_ROUNDS, 'One');
        for (const r of receivers.slice(1)) r.sync.resume();
        await until('the resumed desktops in step', () => receivers.every((d) => d.sync.status().phase === 'idle' && hasTitle(d, leads[0]!, `One ${FANOUT_ROUNDS - 1}`)), 30_000);
        const all = await part('fanout', () => fanOut(writer, receivers, leads[0]!, FANOUT_ROUNDS, 'Fan'));
        log(`change visible in all ${receivers.length} other stores: p50 ${median(all).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms (one other: p95 ${percentile(one, 95).toFixed(1)} ms)`);
        report({ id: 'sync.fanout20.allUpdated.p50', value: median(all), unit: 'ms', bar: 100, better: 'lower', baseline: median(one), ratio: median(all) / median(one) });
        report({ id: 'sync.fanout20.allUpdated.p95', value: percentile(all, 95), unit: 'ms', bar: 100, better: 'lower', baseline: percentile(one, 95), ratio: percentile(all, 95) / percentile(one, 95) });
      }
      if (runs('outage')) {
        const clients = receivers;
        // Baseline: the same kind of changes, synced with the server up.
        let t = performance.now();
        await Promise.all(clients.map((d, k) => d.core.call('leads.update', { id: leads[k]!, patch: { title: `Online ${k}` } })));
        const online = (await until('every online change everywhere', allInSync(clients, leads, 'Online'), 60_000)) - t;
        // The writer leaves: exactly CLIENTS desktops live through the outage.
        live.desktops.shift();
        await writer.close();
        await stopServer(server, 'kill');
        await until('every desktop offline', () => clients.every((d) => !d.sync.status().live), 10_000);
        await Promise.all(clients.map((d, k) => d.core.call('leads.update', { id: leads[k]!, patch: { title: `Outage ${k}` } })));
        log(`server down for ${OUTAGE_MS / 1000} s with ${clients.length} desktops holding a change each…`);
        await sleep(OUTAGE_MS);
        server = await startServer({ db: database.url!, port: Number(new URL(server.url).port) });
        t = performance.now();
        const recovered = (await part('outage', () => until('every outage change everywhere', allInSync(clients, leads, 'Outage'), 120_000))) - t;
        log(`back in sync ${(recovered / 1000).toFixed(2)} s after the server returned (online: ${(online / 1000).toFixed(2)} s)`);
        report({ id: 'sync.outageRecovery20.ms', value: recovered, unit: 'ms', bar: 5000, better: 'lower', baseline: online, ratio: recovered / online });
      }
    } finally {
      await Promise.all(live.desktops.map((d) => d.close()));
      await stopServer(server, 'stop');
      await database.dispose();
      for (const d of [dir, ...live.dirs]) rmSync(d, { recursive: true, force: true });
    }
  },
};
