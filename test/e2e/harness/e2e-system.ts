// Starts the whole system for an end-to-end test: a tenant server (PGlite, demo tenant) in a child process and the web host, on free ports with temp data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoWorkspace } from '../../../src-main/host/demo-workspace';
import { rendererDirOf } from '../../../src-main/web/renderer-build';
import { startWebApp } from '../../../src-main/web/web-app';
import type { RunningWebApp } from '../../../src-main/web/web-app';
import { pgliteTemplatePath } from './pglite-template';
import { startTenantProcess } from './tenant-process';
import type { TenantProcess } from './tenant-process';

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
  /** Stops the web host and the tenant server (waiting for its process to exit) and removes the temp data; safe to call twice. */
  close(): Promise<void>;
}

export interface E2eSystemOptions {
  /** `TEST_LOG_LEVEL` (default warn): at debug the server's log is shown as it comes, otherwise only when it fails. */
  logLevel?: string;
}

export async function startE2eSystem(options: E2eSystemOptions = {}): Promise<E2eSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-e2e-'));
  const logLevel = options.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'warn';
  // Its own process, as in production: while it replays thousands of pushed mutations, this process (and Playwright's
  // side of the browser connection) keeps running.
  const template = pgliteTemplatePath();
  const launch = (port: number) => startTenantProcess({ port, dataDir: join(dir, 'server'), logLevel, template, env: { XDG_DATA_HOME: dir } });
  let tenant: TenantProcess | null = null;
  let web: RunningWebApp;
  try {
    tenant = await launch(0);
    web = await startWebApp({
      config: { port: 0, dataDir: join(dir, 'web'), serverUrl: tenant.url, serverPort: Number(new URL(tenant.url).port) },
      rootDir: ROOT_DIR,
      rendererDir: rendererDirOf(ROOT_DIR),
      demo: demoWorkspace(tenant.url),
      log: (line) => process.stderr.write(`[web] ${line}\n`),
    });
  } catch (err) {
    await tenant?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const tenantUrl = tenant.url;
  const closeAll = async () => {
    const running = tenant;
    tenant = null;
    try {
      await web.close();
    } finally {
      try {
        await running?.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
  let closing: Promise<void> | null = null;
  const tenantPort = Number(new URL(tenantUrl).port);
  return {
    tenantUrl,
    web,
    openUrl: web.openUrl,
    async stopTenant() {
      const running = tenant;
      tenant = null;
      await running?.stop();
    },
    async startTenant() {
      tenant ??= await launch(tenantPort);
    },
    close() {
      return (closing ??= closeAll());
    },
  };
}
