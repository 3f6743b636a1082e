// `npm run web`: builds the renderer if needed, starts the tenant server (unless SERVER_URL is set) and the browser host, prints the URL.
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ensureRendererBuilt, rendererDirOf } from './renderer-build';
import { releaseStartupLeftovers } from './startup-leftovers';
import { loadWebConfig, WebConfigError } from './web-config';
import type { WebConfig } from './web-config';
import { startWebApp } from './web-app';
import type { RunningWebApp } from './web-app';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function readConfig(): WebConfig {
  try {
    return loadWebConfig();
  } catch (err) {
    if (!(err instanceof WebConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  // Fail now, with a remedy, rather than at the first profile opened in the browser.
  new Database(':memory:').close();
  let app: RunningWebApp | null = null;
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    setTimeout(() => process.exit(1), 30_000).unref();
    void (app?.close() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await ensureRendererBuilt(ROOT);
  app = await startWebApp({ config, rootDir: ROOT, rendererDir: rendererDirOf(ROOT) });
  if (stopping) return void (await app.close());
  // Started: what loading left behind the quiet host would otherwise keep for good.
  releaseStartupLeftovers();
  process.stderr.write(`tenant server: ${app.serverUrl}   profiles: ${config.dataDir}\n`);
  // One line with the full URL, token included, on stdout: what to open (and what scripts can read).
  process.stdout.write(`FieldCRM is ready: ${app.openUrl}\n`);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`npm run web could not start: ${message}\n`);
  process.exit(1);
});
