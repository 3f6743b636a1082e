// Runs the tenant server (`src-server/main.ts`) as a child process for `npm run web`, or reuses one already on its port.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export interface EmbeddedServer {
  readonly url: string;
  /** Whether this process started it (and so stops it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  /** The repository root (where src-server lives). */
  rootDir: string;
  port: number;
  /** Passed through, so DATA_DIR, DATABASE_URL, LOG_LEVEL, SMTP_URL… work as for `npm run server`. */
  env: Record<string, string | undefined>;
  /** Warnings and errors of the server's log go here. */
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const url = `http://127.0.0.1:${options.port}`;
  if (await answersHealth(url)) return { url, started: false, stop: async () => {} };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const child = spawn(process.execPath, ['--import', 'tsx', join(options.rootDir, 'src-server', 'main.ts')], {
    cwd: options.rootDir,
    env: { ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop it once, gracefully, in order.
    detached: true,
  });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    log(`[server] ${line}`);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      resolve(code);
    }));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: { level?: number; msg?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      return log(`[server] ${line}`);
    }
    // pino levels: 40 warn, 50 error, 60 fatal; the seed announcement (info) is worth showing too.
    if ((entry.level ?? 0) >= 40 || entry.msg?.startsWith('seeded the demo tenant')) log(`[server] ${entry.msg ?? line}`);
  });
  // Ready when it answers, whatever its LOG_LEVEL lets it say.
  let waiting = true;
  const started = (async () => {
    while (waiting && !(await answersHealth(url))) await new Promise((r) => setTimeout(r, 250));
  })();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    started.then(() => 'started' as const),
    exited.then((code) => `exited with code ${code}` as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.startTimeoutMs ?? 180_000))),
  ]);
  clearTimeout(timer);
  waiting = false;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  if (outcome !== 'started') {
    await stop();
    throw new Error(`the tenant server did not start (${outcome}) on port ${options.port}${stderrTail.length ? `:\n${stderrTail.join('\n')}` : ''}`);
  }
  return { url, started: true, stop };
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    const body = (await response.json()) as { status?: string };
    return response.ok && body.status === 'ok';
  } catch {
    return false;
  }
}
