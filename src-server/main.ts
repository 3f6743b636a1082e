// `npm run server`: reads the configuration, starts the tenant server, and shuts it down gracefully on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config/server-config';
import type { ServerConfig } from './config/server-config';
import { createLogger } from './app/logger';
import { startServer } from './app/start-server';
import type { RunningServer } from './app/start-server';

/** In-flight requests get this long to finish after a signal before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 30_000;

function readConfig(): ServerConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  let server: RunningServer | null = null;
  let stopRequested = false;
  const stop = (running: RunningServer) => {
    setTimeout(() => {
      log.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    running.stop().then(
      () => log.info('stopped'),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  // Installed before starting, so a signal that arrives while the server starts still stops it gracefully.
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    stopRequested = true;
    if (server) stop(server);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  server = await startServer(config, { log });
  log.info({ url: server.url }, 'started');
  if (stopRequested) stop(server);
}

main().catch((err: unknown) => {
  process.stderr.write(`the server could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
