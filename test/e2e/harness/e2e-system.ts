// Starts the whole system for an end-to-end test: a tenant server (PGlite, demo tenant) and the web host, on free ports with temp data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../../../src-server/config/server-config';
import { startServer } from '../../../src-server/app/start-server';
import type { RunningServer } from '../../../src-server/app/start-server';
import { demoWorkspace } from '../../../src-main/host/demo-workspace';
import { rendererDirOf } from '../../../src-main/web/renderer-build';
import { startWebApp } from '../../../src-main/web/web-app';
import type { RunningWebApp } from '../../../src-main/web/web-app';

export const ROOT_DIR = fileURLToPath(new URL('../../..', import.meta.url));

export interface E2eSystem {
  /** The tenant server's origin; it keeps its port across stop/start. */
  readonly tenantUrl: string;
  readonly web: RunningWebApp;
  /** The page to open, session token included. */
  readonly openUrl: string;
  /** Takes the tenant server down (the desktop goes offline) and brings it back on the same port and data. */
  stopTenant(): Promise<void>;
  startTenant(): Promise<void>;
  close(): Promise<void>;
}

export interface E2eSystemOptions {
  /** Server log level (`TEST_LOG_LEVEL`, default warn). */
  logLevel?: string;
}

export async function startE2eSystem(options: E2eSystemOptions = {}): Promise<E2eSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-e2e-'));
  const logLevel = options.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'warn';
  const serverEnv = (port: number) => ({ DATA_DIR: join(dir, 'server'), PORT: String(port), LOG_LEVEL: logLevel, SEED_DEMO: 'true', XDG_DATA_HOME: dir });
  const launch = (port: number) => startServer(loadConfig(serverEnv(port)), { log: pino({ level: logLevel }) });
  let tenant: RunningServer | null = await launch(0);
  const tenantUrl = tenant.url.replace('localhost', '127.0.0.1');
  const tenantPort = Number(new URL(tenantUrl).port);
  let web: RunningWebApp;
  try {
    web = await startWebApp({
      config: { port: 0, dataDir: join(dir, 'web'), serverUrl: tenantUrl, serverPort: tenantPort },
      rootDir: ROOT_DIR,
      rendererDir: rendererDirOf(ROOT_DIR),
      demo: demoWorkspace(tenantUrl),
      log: (line) => process.stderr.write(`[web] ${line}\n`),
    });
  } catch (err) {
    await tenant.stop();
    throw err;
  }
  return {
    tenantUrl,
    web,
    openUrl: web.openUrl,
    async stopTenant() {
      await tenant?.stop();
      tenant = null;
    },
    async startTenant() {
      tenant ??= await launch(tenantPort);
    },
    async close() {
      await web.close();
      await tenant?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
