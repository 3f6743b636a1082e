// `npm run server` as a newcomer runs it: first start seeds the demo, restart keeps data, SIGTERM/SIGINT exit cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../../helpers/server-db';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Creating an embedded database runs initdb in WebAssembly: seconds alone, much longer on a busy 2-core machine. */
const FIRST_START_TIMEOUT_MS = 300_000;
const SERVER_ARGS = ['--import', 'tsx', 'src-server/main.ts'];

interface Running {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: () => string;
  url: Promise<string>;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(env: Record<string, string>): Running {
  const child = spawn(process.execPath, SERVER_ARGS, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let buffered = '';
  let resolveUrl!: (u: string) => void;
  let rejectUrl!: (e: Error) => void;
  const url = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve;
    rejectUrl = reject;
  });
  url.catch(() => {}); // a test that expects the exit never awaits the url
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        const m = /^Server listening at (http:\/\/\S+)$/.exec(String(entry.msg));
        if (m) resolveUrl(m[1]!);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => {
    rejectUrl(new Error(`the server exited (${code}) before listening:\n${err}`));
    r(code);
  }));
  return { child, logs, stderr: () => err, url, exit };
}

/** Resolves once the server has logged a line that `match` accepts; fails with what it logged after `ms`. */
async function logged(server: Running, match: (line: Record<string, unknown>) => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !server.logs.some(match);) {
    if (Date.now() > end) throw new Error(`no such line logged within ${ms} ms; the server logged:\n${server.logs.map((l) => JSON.stringify(l)).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits for a step of a server's life, failing with what the server logged if it does not come (instead of a bare timeout). */
async function step<T>(what: string, server: Running, promise: Promise<T>, ms = 100_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms; the server logged:\n${server.logs.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${server.stderr()}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'fieldcrm-server-'));
  dirs.push(d);
  return d;
};

async function signIn(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.test', password: 'demo1234' }) });
  return res.status;
}

const messages = (r: Running) => r.logs.map((l) => String(l.msg));

describe('the server process', () => {
  it('is what `npm run server` runs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.server).toBe(`node ${SERVER_ARGS.join(' ')}`);
  });

  it('with no configuration: creates, migrates and seeds an embedded database, serves on loopback, exits 0 on SIGTERM; a restart keeps the data and does not seed again', async () => {
    const dataDir = tempDir();
    const first = run({ DATA_DIR: dataDir });
    const url = await step('first start', first, first.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(messages(first)).toContain('database open and migrated');
    expect(messages(first).some((m) => m.startsWith('seeded the demo tenant'))).toBe(true);
    expect(await signIn(url)).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    // Every request is logged as JSON with its request id (the line may reach us just after the answer).
    await logged(first, (l) => l.msg === 'request completed' && typeof l.reqId === 'string');
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(true);

    // A second server on the same data directory is refused while the first runs.
    const intruder = run({ DATA_DIR: dataDir });
    expect(await step('second server refused', intruder, intruder.exit)).toBe(1);
    expect(intruder.stderr()).toMatch(/in use by another server process/);

    first.child.kill('SIGTERM');
    expect(await step('exit on SIGTERM', first, first.exit)).toBe(0);
    expect(messages(first)).toEqual(expect.arrayContaining(['database closed', 'stopped']));
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(false);

    const second = run({ DATA_DIR: dataDir });
    const url2 = await step('restart', second, second.url);
    expect(await signIn(url2)).toBe(200);
    expect(messages(second).some((m) => m.startsWith('seeded'))).toBe(false);
    second.child.kill('SIGINT');
    expect(await step('exit on SIGINT', second, second.exit)).toBe(0);
  }, FIRST_START_TIMEOUT_MS);

  it('with DATABASE_URL: migrates that PostgreSQL and serves it (the demo only when asked)', async () => {
    const db = await createTestDatabase('postgres');
    await db.database.close();
    try {
      const server = run({ DATABASE_URL: db.url!, SEED_DEMO: 'true', DATA_DIR: tempDir() });
      const url = await step('start', server, server.url);
      expect(await signIn(url)).toBe(200);
      server.child.kill('SIGTERM');
      expect(await step('exit on SIGTERM', server, server.exit)).toBe(0);
    } finally {
      await db.dispose();
    }
  }, FIRST_START_TIMEOUT_MS);

  it('refuses a bad configuration with a message naming each problem', async () => {
    const server = run({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(await server.exit).toBe(2);
    expect(server.stderr()).toMatch(/PORT/);
    expect(server.stderr()).toMatch(/DATABASE_URL: must be a postgres/);
    expect(server.stderr()).toMatch(/LOG_LEVEL/);
  });
});
