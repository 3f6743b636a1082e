// Two server processes on one PostgreSQL: a lead captured and distributed by one (`npm run server` in its own process,
// with the job workers) reaches, by LISTEN/NOTIFY poke and pull, a rep's desktop connected to the other.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { API_PREFIX } from '../../../src-server/app/server-areas';
import { createTestEnv } from '../../helpers/server-db';
import type { TestEnv } from '../../helpers/server-db';
import { as } from '../server/api-client';
import { useTempDirs } from '../client/temp-dir';
import { syncTenant } from './sync-fixtures';
import { eventually, openDesktop, replicaSnapshot, serverUrl } from './desktop-fixtures';
import { leadByEmail, postForm } from './live-fixtures';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const tempDir = useTempDirs();
let env: TestEnv;
let other: { child: ChildProcess; url: string; jobsUp: Promise<void>; output: () => string } | null = null;

/** `npm run server` on the test's database, in a process of its own; resolves once it listens. */
async function startServerProcess(databaseUrl: string): Promise<NonNullable<typeof other>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: 'false', JOBS_ENABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onLine: (entry: { msg?: string }) => void = () => {};
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const lines = out.split('\n');
    for (const line of lines.slice(0, -1)) {
      try {
        onLine(JSON.parse(line) as { msg?: string });
      } catch {
        // not a log line
      }
    }
    out = lines.at(-1)!;
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  let listening!: (url: string) => void;
  let jobsStarted!: () => void;
  const url = new Promise<string>((resolve, reject) => {
    listening = resolve;
    child.on('exit', (code) => reject(new Error(`the second server exited (${code}):\n${log}`)));
  });
  const jobsUp = new Promise<void>((resolve) => (jobsStarted = resolve));
  onLine = (entry) => {
    const m = /^Server listening at (http:\/\/\S+)$/.exec(String(entry.msg));
    if (m) listening(m[1]!);
    if (entry.msg === 'background jobs started') jobsStarted();
  };
  return { child, url: await url, jobsUp, output: () => log };
}

beforeAll(async () => {
  env = await createTestEnv('postgres');
}, 120_000);
afterAll(async () => {
  if (other && other.child.exitCode === null) {
    const exited = new Promise((r) => other!.child.once('exit', r));
    other.child.kill('SIGTERM');
    await exited;
  }
  await env?.dispose();
});

it('pokes a rep connected to this process when another process captures and assigns a lead to them', async () => {
  const t = await syncTenant(env, 9901, 'live-processes');
  const rule = await as(env.app, t.admin.token).post(`${API_PREFIX}/admin/distribution-rules`, { name: 'All to rep1', method: 'roundRobin', memberIds: [t.rep1.userId] });
  expect(rule.status).toBe(201);
  // This process runs no job workers: the other one captures, distributes and notifies.
  other = await startServerProcess(env.url!);
  await other.jobsUp;
  const rep1 = openDesktop(env, await serverUrl(env), tempDir(), t.rep1, { live: true });
  // The rep's manager gets no notification of the assignment: only the tenant's pokes bring the lead to them.
  const manager = openDesktop(env, await serverUrl(env), tempDir(), t.manager, { live: true });
  try {
    await eventually('both desktops are live and synced', () => [rep1, manager].every((d) => d.sync.status().live && d.sync.status().lastSyncAt !== null));
    const email = 'across.processes@example.com';
    await postForm(other.url, `${t.slug}-form`, { first_name: 'Ada', last_name: 'Across', email });
    await eventually('the lead reaches the rep’s replica, assigned to them', () => leadByEmail(replicaSnapshot(rep1.core)['leads']!, email)?.['ownerId'] === t.rep1.userId, 10_000);
    const lead = leadByEmail(replicaSnapshot(rep1.core)['leads']!, email)!;
    await eventually('the assignment notification arrives too', () => Object.values(replicaSnapshot(rep1.core)['notifications']!).some((n) => n['kind'] === 'assignment' && n['entityId'] === lead['id']));
    await eventually('the lead reaches the manager’s replica', () => leadByEmail(replicaSnapshot(manager.core)['leads']!, email)?.['ownerId'] === t.rep1.userId, 10_000);
  } finally {
    await rep1.close();
    await manager.close();
  }
}, 180_000);
