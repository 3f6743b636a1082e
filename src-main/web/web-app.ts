// `npm run web` as a function: a tenant server (configured, or the embedded demo one), the client-core host, and the web server.
import { join } from 'node:path';
import type { DemoWorkspace } from '../../src-shared/api/host.api';
import { createClientHost } from '../host/client-host';
import { demoWorkspace } from '../host/demo-workspace';
import type { OpenProfileCore } from '../host/profile-core';
import { createFileTokenStore } from '../host/token-store';
import { startEmbeddedServer } from './embedded-server';
import type { WebConfig } from './web-config';
import { startWebServer } from './web-server';

export interface WebAppOptions {
  config: WebConfig;
  /** The repository root: where the embedded server's code is. */
  rootDir: string;
  /** The built renderer to serve. */
  rendererDir: string;
  /** The environment the embedded tenant server starts with. */
  env?: Record<string, string | undefined>;
  /** Overrides the demo workspace offered on the sign-in screen (by default: offered with the embedded server). */
  demo?: DemoWorkspace | null;
  token?: string;
  /** Replaces how profiles' cores are opened (tests). */
  openCore?: OpenProfileCore;
  log?: (line: string) => void;
}

export interface RunningWebApp {
  readonly url: string;
  readonly openUrl: string;
  readonly serverUrl: string;
  close(): Promise<void>;
}

export async function startWebApp(options: WebAppOptions): Promise<RunningWebApp> {
  const { config } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tenant = config.serverUrl
    ? { url: config.serverUrl, stop: async () => {} }
    : await startEmbeddedServer({ rootDir: options.rootDir, port: config.serverPort, env: options.env ?? process.env, log });
  try {
    const host = createClientHost({
      kind: 'web',
      rootDir: config.dataDir,
      // Plain files readable by this user only: a browser host has no OS keychain to lean on.
      tokens: createFileTokenStore(join(config.dataDir, 'tokens')),
      serverUrl: tenant.url,
      demo: options.demo !== undefined ? options.demo : config.serverUrl ? null : demoWorkspace(tenant.url),
      ...(options.openCore ? { openCore: options.openCore } : {}),
      logError: (message, err) => log(`${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    });
    const web = await startWebServer({ host, rendererDir: options.rendererDir, port: config.port, ...(options.token ? { token: options.token } : {}) }).catch(async (err: unknown) => {
      await host.close();
      throw err;
    });
    let closing: Promise<void> | null = null;
    return {
      url: web.url,
      openUrl: web.openUrl,
      serverUrl: tenant.url,
      close: () =>
        (closing ??= (async () => {
          await web.close();
          await host.close();
          await tenant.stop();
        })()),
    };
  } catch (err) {
    await tenant.stop();
    throw err;
  }
}
