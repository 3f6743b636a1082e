// Runs the e2e tenant server in a child process, so its work (PGlite replaying pushed mutations) never blocks the test's event loop.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TenantStartedMessage } from './tenant-child-main';

const ENTRY = fileURLToPath(new URL('./tenant-child-main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The server's own variables, never inherited from the developer's shell: the harness sets the ones it needs. */
const SERVER_VARIABLES = ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'JWT_SECRET', 'SEED_DEMO', 'LOG_LEVEL', 'SMTP_URL', 'MAIL_FROM', 'JOBS_ENABLED'];

/** Lines of output kept to explain a failure. */
const TAIL_LINES = 100;

export interface TenantProcessOptions {
  /** 0 picks a free port (the first start); a restart passes the port it had. */
  port: number;
  dataDir: string;
  /**
   * At debug (or trace) the server logs at that level and its output is forwarded as it comes; otherwise it logs at
   * info (at least) and its last lines are shown only when it fails, so a failure comes with what led to it.
   */
  logLevel: string;
  /** A dump of a migrated database to start an empty data directory from (see pglite-template.ts). */
  template?: string;
  /** Extra environment (XDG_DATA_HOME…). */
  env?: Record<string, string>;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface TenantProcess {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, then waits for the exit (database closed, data directory unlocked); throws when the stop failed. */
  stop(): Promise<void>;
}

export async function startTenantProcess(options: TenantProcessOptions): Promise<TenantProcess> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of SERVER_VARIABLES) delete env[name];
  if (options.template) env.E2E_PGLITE_TEMPLATE = options.template;
  const verbose = ['debug', 'trace'].includes(options.logLevel);
  Object.assign(env, options.env, { DATA_DIR: options.dataDir, PORT: String(options.port), HOST: '127.0.0.1', LOG_LEVEL: verbose ? options.logLevel : 'info', SEED_DEMO: 'true' });
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const output = captureOutput(child, verbose);
  // Without this a failed spawn would be an unhandled 'error' event; it shows in the failure's output instead.
  child.on('error', (err) => output.add(`spawn failed: ${err.message}`));
  // However the test process ends, the server goes with it (the child also stops when its IPC channel closes).
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let running = false;
  let stopping = false;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (running && !stopping) process.stderr.write(`[tenant] the tenant server ended on its own (${how})${output.tail()}\n`);
      resolve(code === 0 ? '' : how);
    }));
  const stop = async () => {
    if (stopping) return void (await exited);
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.stopTimeoutMs ?? 30_000)))]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the tenant server (pid ${child.pid}) did not stop within ${options.stopTimeoutMs ?? 30_000} ms of SIGTERM and was killed${output.tail()}`);
    }
    if (outcome) throw new Error(`the tenant server (pid ${child.pid}) stopped badly (${outcome})${output.tail()}`);
  };

  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + startTimeoutMs;
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
      child.once('message', (message: TenantStartedMessage) => {
        clearTimeout(timer);
        resolve(message.url.replace('localhost', '127.0.0.1'));
      });
      void exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`exited while starting (${how || 'exit code 0'})`));
      });
    });
    // Listening is not yet ready: /readyz also checks the database and its migrations.
    while (!(await answersReady(url))) {
      if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${startTimeoutMs} ms`);
      if (child.exitCode !== null || child.signalCode !== null) throw new Error('exited while starting');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    await stop().catch(() => {});
    throw new Error(`the tenant server did not start on port ${options.port || '(any)'}: ${(err as Error).message}${output.tail()}`);
  }
  running = true;
  return { url, pid: child.pid!, stop };
}

/** Keeps the last lines of the child's stdout (pino JSON) and stderr; forwards them with a prefix when asked. */
function captureOutput(child: ChildProcess, forward: boolean): { add(line: string): void; tail(): string } {
  const lines: string[] = [];
  const add = (line: string) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
    if (forward) process.stderr.write(`[tenant] ${line}\n`);
  };
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', add);
  return { add, tail: () => (lines.length ? `; its last output:\n${lines.map((l) => `[tenant] ${l}`).join('\n')}` : '') };
}

async function answersReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
