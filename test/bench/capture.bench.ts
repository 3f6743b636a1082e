// Benchmark: lead capture over HTTP on loopback against a fresh PostgreSQL, next to raw single-row `pg` inserts.
import { Worker } from 'node:worker_threads';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { pino } from 'pino';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src-server/db/database';
import type { Database } from '../../src-server/db/database';
import { queryRows } from '../../src-server/db/query-rows';
import { loadConfig } from '../../src-server/config/server-config';
import { createContext } from '../../src-server/app/server-context';
import { buildServer } from '../../src-server/app/build-server';
import { API_PREFIX } from '../../src-server/app/server-areas';
import { captureArea } from '../../src-server/capture/capture.routes';
import { tenants } from '../../src-server/db/schema/accounts.table';
import { scoringConfigs } from '../../src-server/db/schema/automation.table';
import { forms } from '../../src-server/db/schema/forms.table';
import { DEFAULT_SCORING_CONFIG } from '../../src-shared/domain/lead-scoring';
import { seededRandom } from '../../src-shared/demo/seeded-random';
import { percentile } from './bench-harness';
import type { Benchmark, Figure } from './bench-harness';

/** Requests measured (after a warm-up), concurrent keep-alive clients, and the share of posts repeating a person. */
const REQUESTS = Number(process.env.CAPTURE_BENCH_REQUESTS ?? 20_000);
const WARMUP = Math.min(2_000, Math.ceil(REQUESTS / 10));
const CLIENTS = Number(process.env.CAPTURE_BENCH_CLIENTS ?? 32);
const DUPLICATE_SHARE = 0.1;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const TENANT = 'bench-tenant';
const FORM_KEY = 'bench';
const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hugo', 'Ida', 'Jonas', 'Lena', 'Max', 'Nora', 'Omar', 'Paula',
  'Quentin', 'Rosa', 'Sven', 'Tara', 'Ugo', 'Vera', 'Wim', 'Xenia', 'Yusuf', 'Zoe', 'Aylin', 'Bruno', 'Chiara', 'Dario', 'Elif'];
// Surnames from syllables: tens of thousands of them, so name blocks are as small as in real data.
const SYLLABLES = ['ber', 'man', 'schu', 'lin', 'kra', 'wei', 'hof', 'ten', 'ros', 'dal', 'mar', 'vo', 'gen', 'ul', 'bach', 'stein', 'ri', 'ko',
  'nes', 'tal', 'fer', 'au', 'brun', 'del', 'sor', 'pe', 'lu', 'mo', 'ka', 'zin'];
const TITLES = ['Head of Sales', 'CTO', 'Buyer', 'Office Manager', 'Founder', 'Engineer'];

interface Person {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  company: string;
  title: string;
  message: string;
  utm_source: string;
  utm_campaign: string;
}

/** Deterministic submissions; about one in ten repeats an earlier person, so the duplicate check finds matches. */
function people(n: number, seed: number): Person[] {
  const r = seededRandom(seed);
  const surname = () => {
    const s = Array.from({ length: r.int(2, 3) }, () => r.pick(SYLLABLES)).join('');
    return s[0]!.toUpperCase() + s.slice(1);
  };
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 100 && r.chance(DUPLICATE_SHARE)) {
      out.push({ ...out[r.int(0, i - 1)]!, message: `Follow-up ${i}` });
      continue;
    }
    const first = r.pick(FIRST);
    const last = surname();
    const company = `Company ${r.int(1, 5000)}`;
    out.push({
      first_name: first, last_name: last, email: `${first.toLowerCase()}.${last.toLowerCase()}.${i}@company${i % 5000}.example`,
      phone: `+49 30 ${String(1_000_000 + i)}`, company, title: r.pick(TITLES), message: `Please call me about offer ${i}`,
      utm_source: r.pick(['newsletter', 'ads', 'partner', 'organic']), utm_campaign: `campaign-${r.int(1, 20)}`,
    });
  }
  return out;
}

/** Runs `count` jobs over `concurrency` workers; returns each job's latency (ms) and the wall time (ms). */
async function drive(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<{ latencies: Float64Array; wallMs: number }> {
  const latencies = new Float64Array(count);
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      await job(i);
      latencies[i] = performance.now() - t;
    }
  }));
  return { latencies, wallMs: performance.now() - start };
}

/*
 * The clients run in a worker thread, as outside clients would: in the server's thread their work would delay the
 * server's own event loop and be counted as capture latency. Each is one keep-alive connection writing ready-made
 * HTTP/1.1 requests and reading the answers (status line, Content-Length), like wrk or autocannon: a general HTTP
 * client would spend as much CPU as the server on a machine with two cores.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const { port, path, bodies, keys, concurrency } = workerData;
const latencies = new Float64Array(bodies.length);
const statuses = {};
let next = 0;
const HEAD_END = Buffer.from('\\r\\n\\r\\n');
const requestBytes = (i) => {
  const body = Buffer.from(bodies[i]);
  const head = 'POST ' + path + ' HTTP/1.1\\r\\nHost: 127.0.0.1:' + port + '\\r\\nContent-Type: application/json\\r\\nContent-Length: ' + body.length +
    '\\r\\nIdempotency-Key: ' + keys[i] + '\\r\\n\\r\\n';
  return Buffer.concat([Buffer.from(head), body]);
};
const client = () => new Promise((resolve, reject) => {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  let buf = Buffer.alloc(0);
  let current = -1;
  let started = 0;
  const send = () => {
    if (next >= bodies.length) { socket.end(); return resolve(); }
    current = next++;
    started = performance.now();
    socket.write(requestBytes(current));
  };
  socket.on('connect', send);
  socket.on('error', reject);
  socket.on('data', (chunk) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    const end = buf.indexOf(HEAD_END);
    if (end < 0) return;
    const head = buf.subarray(0, end).toString('latin1');
    const m = /\\r\\ncontent-length: *(\\d+)/i.exec(head);
    if (!m) return reject(new Error('answer without Content-Length: ' + head));
    const total = end + 4 + Number(m[1]);
    if (buf.length < total) return;
    const status = head.slice(9, 12);
    statuses[status] = (statuses[status] || 0) + 1;
    latencies[current] = performance.now() - started;
    buf = buf.subarray(total);
    send();
  });
});
const start = performance.now();
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  parentPort.postMessage({ latencies, wallMs: performance.now() - start, statuses });
}, (err) => { throw err; });
`;

interface LoadResult {
  latencies: Float64Array;
  wallMs: number;
  statuses: Record<string, number>;
}

function loadFromWorker(port: number, path: string, bodies: string[], keys: string[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { port, path, bodies, keys, concurrency: CLIENTS } });
    worker.once('message', (m: LoadResult) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

const TICK_MS = 10;
/** CPU time of this process's main thread and of its other threads (the load worker, libuv, GC), from /proc. */
function threadCpuMs(): { main: number; others: number } {
  const ticks = (path: string) => {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  };
  let main = 0;
  let others = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    const ms = ticks(`/proc/self/task/${tid}/stat`);
    if (Number(tid) === process.pid) main = ms;
    else others += ms;
  }
  return { main, others };
}

/** CPU time of the PostgreSQL backends serving this database (same machine), from /proc. */
async function backendCpuMs(database: Database): Promise<number> {
  const pids = await queryRows<{ pid: number }>(database.db, sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  let ms = 0;
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // Another machine, or the backend has gone: no figure from it.
    }
  }
  return ms;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function createFreshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `crm_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(ADMIN_URL, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function seed(database: Database, now: number): Promise<void> {
  const db = database.db;
  await db.insert(tenants).values({
    id: TENANT, name: 'Bench', slug: 'bench', createdAt: now, version: 0,
    settings: { currency: 'EUR', qualification: { requiredFields: [], minScore: 0 }, leadRetentionDays: 180, duplicatePolicy: 'flag', distributionFallback: { kind: 'unassigned' } },
  });
  await db.insert(scoringConfigs).values({ ...DEFAULT_SCORING_CONFIG(TENANT), version: 0 });
  await db.insert(forms).values({
    id: 'bench-form', tenantId: TENANT, key: FORM_KEY, name: 'Bench form', active: true, createdAt: now, allowedOrigins: [],
    fieldMap: { first_name: 'firstName', last_name: 'lastName', email: 'email', phone: 'phone', company: 'companyName', title: 'title', message: 'message' },
    defaults: { source: 'website', medium: 'form', campaign: null }, hmacSecret: null, honeypotField: 'website', thankYouUrl: null, submissionIdField: null,
  });
}

/** The same number of lead rows as single-row INSERTs through a pg Pool, one per request, at the same concurrency. */
async function rawInsertBaseline(url: string, subs: readonly Person[], now: number): Promise<{ latencies: Float64Array; wallMs: number }> {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  try {
    const text = `INSERT INTO leads (id, tenant_id, first_name, last_name, email, phone, company_name, title, source, campaign, form_key, status, score,
      score_factors, archived, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'NEW', 0, '[]', false, $12, $12)`;
    return await drive(subs.length, CLIENTS, async (i) => {
      const p = subs[i]!;
      await pool.query({ name: 'raw-lead-insert', text, values: [`raw-${i}`, 'raw-tenant', p.first_name, p.last_name, p.email, p.phone, p.company, p.title, p.utm_source, p.utm_campaign, FORM_KEY, now] });
    });
  } finally {
    await pool.end();
  }
}

export const captureBenchmark: Benchmark = {
  group: 'capture',
  async run(report: (f: Figure) => void, log: (m: string) => void) {
    const fresh = await createFreshDatabase();
    const database = await openDatabase({ kind: 'postgres', url: fresh.url });
    const now = Date.now();
    const ctx = createContext({
      config: { ...loadConfig({}), database: { kind: 'postgres', url: fresh.url }, logLevel: 'silent', seedDemo: false },
      database, log: pino({ level: 'silent' }), signingKey: randomBytes(32),
    });
    const unlimited = { max: 1_000_000_000, windowMs: 60_000 };
    const app = buildServer(ctx, { areas: [{ name: 'capture', prefix: `${API_PREFIX}/capture`, plugin: captureArea({ perForm: unlimited, perClient: unlimited }) }] });
    try {
      await seed(database, now);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as { port: number }).port;
      const path = `${API_PREFIX}/capture/${FORM_KEY}`;
      const subs = people(WARMUP + REQUESTS, 7);
      const bodies = subs.map((p) => JSON.stringify(p));
      const keys = subs.map((_, i) => `bench-${i}`);
      const load = async (from: number, to: number) => {
        const result = await loadFromWorker(port, path, bodies.slice(from, to), keys.slice(from, to));
        const other = Object.entries(result.statuses).filter(([status]) => status !== '201');
        if (other.length > 0) throw new Error(`capture answered other than 201: ${JSON.stringify(Object.fromEntries(other))}`);
        return result;
      };

      log(`capture: warm-up ${WARMUP} posts, then ${REQUESTS} posts over ${CLIENTS} keep-alive clients (idempotency keys, duplicate check on)`);
      await load(0, WARMUP);
      const cpu0 = { node: threadCpuMs(), db: await backendCpuMs(database) };
      const { latencies, wallMs } = await load(WARMUP, WARMUP + REQUESTS);
      const cpu1 = { node: threadCpuMs(), db: await backendCpuMs(database) };
      const perPost = (k: 'server' | 'client' | 'db', a: number, b: number) => `${k} ${Math.round(((b - a) * 1000) / REQUESTS)} µs`;
      log(`capture: CPU per post: ${perPost('server', cpu0.node.main, cpu1.node.main)}, ${perPost('client', cpu0.node.others, cpu1.node.others)} (other threads), ${perPost('db', cpu0.db, cpu1.db)} (PostgreSQL backends); wall ${Math.round(wallMs)} ms`);
      const [counts] = await queryRows<{ leads: number; flagged: number; submissions: number }>(database.db, sql`
        SELECT (SELECT count(*) FROM leads WHERE tenant_id = ${TENANT})::int AS leads,
               (SELECT count(*) FROM leads WHERE tenant_id = ${TENANT} AND possible_duplicate_of IS NOT NULL)::int AS flagged,
               (SELECT count(*) FROM capture_submissions WHERE tenant_id = ${TENANT})::int AS submissions`);
      if (counts!.leads !== WARMUP + REQUESTS || counts!.submissions !== WARMUP + REQUESTS) throw new Error(`expected one lead per post, found ${JSON.stringify(counts)}`);
      log(`capture: ${counts!.leads} leads stored, ${counts!.flagged} flagged as possible duplicates`);

      // Retries of already-captured posts: answered from the submission record, nothing written.
      const replays = await load(WARMUP, WARMUP + Math.min(2_000, REQUESTS));

      const raw = await rawInsertBaseline(fresh.url, subs.slice(WARMUP), now);

      const ms = Array.from(latencies);
      const rawMs = Array.from(raw.latencies);
      const rate = (REQUESTS / wallMs) * 1000;
      const rawRate = (REQUESTS / raw.wallMs) * 1000;
      const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
      const spread = (xs: number[]) => [50, 90, 99, 99.9].map((p) => `p${p} ${round(percentile(xs, p))}`).join(', ');
      log(`capture: ${round(rate, 0)} leads/s; latency ms ${spread(ms)}, max ${round(Math.max(...ms))}`);
      log(`raw pg inserts: ${round(rawRate, 0)} rows/s; latency ms ${spread(rawMs)}`);
      log(`capture retries (replayed from the submission record): latency ms ${spread(Array.from(replays.latencies))}`);
      report({ id: 'capture.throughput', value: round(rate, 0), unit: 'leads/s', bar: 1000, better: 'higher', baseline: round(rawRate, 0), ratio: round(rate / rawRate, 2) });
      report({ id: 'capture.p99', value: round(percentile(ms, 99), 2), unit: 'ms', bar: 50, better: 'lower', baseline: round(percentile(rawMs, 99), 2), ratio: round(percentile(ms, 99) / percentile(rawMs, 99), 2) });
    } finally {
      await app.close();
      await database.close();
      await fresh.drop();
    }
  },
};
