// The e2e tenant server's own process: starts the server from its environment, tells the harness its URL, stops on SIGTERM or when the harness goes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src-server/config/server-config';
import type { ServerConfig } from '../../../src-server/config/server-config';
import { openDatabase } from '../../../src-server/db/database';
import type { Database } from '../../../src-server/db/database';
import { createLogger } from '../../../src-server/app/logger';
import { startServer } from '../../../src-server/app/start-server';
import type { RunningServer } from '../../../src-server/app/start-server';

/** What the harness hears over the IPC channel once the server listens. */
export interface TenantStartedMessage {
  type: 'started';
  url: string;
}

/**
 * On the first start (an empty data directory) the database is loaded from the migrated template named by
 * `E2E_PGLITE_TEMPLATE`, when there is one: initdb and the migrations cost seconds per test file. Later starts open
 * the data directory as the server always does.
 */
async function fromTemplate(config: ServerConfig): Promise<Database | undefined> {
  const template = process.env.E2E_PGLITE_TEMPLATE;
  if (config.database.kind !== 'pglite' || !template || !existsSync(template)) return undefined;
  if (existsSync(join(config.database.dataDir, 'pgdata', 'PG_VERSION'))) return undefined;
  return openDatabase({ kind: 'pglite', dataDir: config.database.dataDir, fromDump: new Blob([readFileSync(template)]) });
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const starting = fromTemplate(config).then((database) => startServer(config, { log, database }));
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'stopping');
    // A stop asked for while starting waits for the start, so the database is still closed in order. Then the process
    // ends by itself, as `npm run server` does: a process.exit() here can hang for good in tsx's loader thread when the
    // test process (reading our stdout) is gone.
    starting.then((server) => server.stop()).then(
      () => log.info('stopped'),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      },
    ).finally(() => {
      // The IPC channel (refed by the 'disconnect' listener) would keep the process alive.
      process.removeAllListeners('disconnect');
      if (process.connected) process.disconnect();
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The IPC channel closes when the test process ends in any way (even killed): nothing is left running.
  process.on('disconnect', () => stop('the test process went away'));
  const server: RunningServer = await starting;
  if (!stopping) process.send?.({ type: 'started', url: server.url } satisfies TenantStartedMessage);
}

main().catch((err: unknown) => {
  process.stderr.write(`the tenant server could not start: ${err instanceof ConfigError || !(err instanceof Error) ? String(err) : err.stack}\n`);
  process.exit(1);
});
