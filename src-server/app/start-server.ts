// Starts the whole server (database, seed, HTTP, background services) and stops it gracefully, in order.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server-config';
import { openDatabase } from '../db/database';
import { markDurable } from '../db/tenant-version';
import type { Database } from '../db/database';
import { loadSigningKey } from '../auth/signing-key';
import { DEMO_PASSWORD, seedDemoOnFirstStart } from '../seed/demo-tenant';
import { buildServer } from './build-server';
import { createLogger } from './logger';
import { createContext, systemClock } from './server-context';
import type { Clock, ServerContext } from './server-context';
import { BACKGROUND_SERVICES, HTTP_AREAS } from './server-areas';
import type { BackgroundService, HttpArea } from './server-areas';

export interface StartOptions {
  /** An already open database (tests); otherwise the configured one is opened. Either way `stop` closes it. */
  database?: Database;
  log?: Logger;
  clock?: Clock;
  areas?: readonly HttpArea[];
  services?: readonly BackgroundService[];
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  /** e.g. `http://127.0.0.1:8787` */
  readonly url: string;
  /** Stops accepting, finishes in-flight requests, stops the services, closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = options.database ?? await openDatabase(config.database, { onPoolError: (err) => log.error({ err }, 'idle database connection failed') });
  log.info({ database: database.kind, ...(config.database.kind === 'pglite' ? { dataDir: config.database.dataDir } : {}) }, 'database open and migrated');
  const started: BackgroundService[] = [];
  let app: FastifyInstance | null = null;
  const stopParts = async () => {
    if (app) await app.close();
    for (const service of started.reverse()) {
      await service.stop().catch((err: unknown) => log.error({ err, service: service.name }, 'background service failed to stop'));
    }
    await database.close();
    log.info('database closed');
  };
  try {
    const clock = options.clock ?? systemClock;
    const now = clock.now();
    const signingKey = await loadSigningKey(database.db, config.jwtSecret, now);
    const lagging = await markDurable(database.db);
    if (lagging > 0) log.info({ tenants: lagging }, 'changes of a push batch cut short by the last stop are now served');
    const ctx = createContext({ config, database, log, signingKey, clock });
    if (config.seedDemo) {
      const seeded = await seedDemoOnFirstStart(database.db, now);
      if (seeded?.created) {
        const emails = seeded.dataset.users.map((u) => u.email).join(', ');
        log.info({ tenant: seeded.dataset.tenant.slug, users: emails, password: DEMO_PASSWORD }, `seeded the demo tenant: sign in as ${emails} with password ${DEMO_PASSWORD}`);
      }
    }
    app = buildServer(ctx, { areas: options.areas ?? HTTP_AREAS });
    const url = await app.listen({ port: config.port, host: config.host });
    for (const service of options.services ?? BACKGROUND_SERVICES) {
      await service.start(ctx);
      started.push(service);
    }
    let stopping: Promise<void> | null = null;
    return {
      app,
      ctx,
      url,
      stop: () => (stopping ??= stopParts()),
    };
  } catch (err) {
    await stopParts().catch(() => {});
    throw err;
  }
}
