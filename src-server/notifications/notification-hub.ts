// Real-time fan-out of stored events (notifications, sync pokes) to every server process through PostgreSQL NOTIFY.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDb, Database } from '../db/database';
import { PokeThrottle } from './poke-throttle';

/**
 * The one NOTIFY channel. A trigger on `notifications` (see drizzle/server) publishes every inserted row on it, so a
 * notification written by any code path, in any process, reaches the sockets of its user once its transaction
 * commits, and never when it rolls back. A trigger on `tenant_versions` publishes a poke for every new change
 * version the same way, so every committed change (capture, job, admin write, push) pokes the tenant's desktops.
 */
export const HUB_CHANNEL = 'crm_events';

export const HubEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notification'), tenantId: z.string(), userId: z.string(), id: z.string() }),
  z.object({ type: z.literal('poke'), tenantId: z.string(), version: z.number().int().min(0) }),
]);
export type HubEvent = z.infer<typeof HubEvent>;

export type HubListener = (event: HubEvent) => void;

export interface HubLog {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface NotificationHub {
  /** Receives every event published on this database by any process, after its transaction committed. */
  subscribe(listener: HubListener): () => void;
  /** Publishes an event; given a transaction, it is delivered when (and only if) that transaction commits. */
  publish(db: AppDb, event: HubEvent): Promise<void>;
  close(): Promise<void>;
}

/** NOTIFY payloads are limited to 8000 bytes, so events carry ids and the receiver loads the row. */
export async function publishHubEvent(db: AppDb, event: HubEvent): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${HUB_CHANNEL}, ${JSON.stringify(event)})`);
}

class Listeners {
  private readonly set = new Set<HubListener>();
  // Pokes go out through the throttle: a tenant's burst of commits becomes a few pokes, not one per commit.
  private readonly pokes = new PokeThrottle((tenantId, version) => this.dispatch({ type: 'poke', tenantId, version }));
  constructor(private readonly log: HubLog) {}

  add(listener: HubListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  deliver(payload: string): void {
    let event: HubEvent;
    try {
      event = HubEvent.parse(JSON.parse(payload));
    } catch (err) {
      this.log.warn({ err, payload: payload.slice(0, 200) }, 'ignoring a malformed hub event');
      return;
    }
    if (event.type === 'poke') this.pokes.poke(event.tenantId, event.version);
    else this.dispatch(event);
  }

  close(): void {
    this.pokes.close();
  }

  private dispatch(event: HubEvent): void {
    for (const listener of this.set) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err }, 'hub listener failed');
      }
    }
  }
}

/**
 * The embedded database's hub: PGlite runs in this process and hands NOTIFY payloads to in-process callbacks, so
 * there is no connection to hold or lose.
 */
export async function createPgliteHub(pglite: PGlite, log: HubLog): Promise<NotificationHub> {
  const listeners = new Listeners(log);
  const unlisten = await pglite.listen(HUB_CHANNEL, (payload) => listeners.deliver(payload));
  let closed = false;
  return {
    subscribe: (listener) => listeners.add(listener),
    publish: publishHubEvent,
    async close() {
      if (closed) return;
      closed = true;
      listeners.close();
      if (!pglite.closed) await unlisten();
    },
  };
}

export interface PostgresHubOptions {
  /** First reconnect delay after the listening connection is lost; doubles up to 30 s, with jitter. */
  reconnectDelayMs?: number;
}

/**
 * The PostgreSQL hub: one pooled connection per process held in LISTEN, so events published by any server process
 * on the same database reach this one. A lost connection is re-established with backoff; events published while it
 * was down are not replayed (clients re-read on reconnect: the list endpoint and the sync pull are the record).
 */
export async function createPostgresHub(pool: pg.Pool, log: HubLog, options: PostgresHubOptions = {}): Promise<NotificationHub> {
  const listeners = new Listeners(log);
  const baseDelay = options.reconnectDelayMs ?? 500;
  let client: pg.PoolClient | null = null;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let attempt = 0;

  const onNotification = (msg: pg.Notification) => {
    if (msg.channel === HUB_CHANNEL && msg.payload !== undefined) listeners.deliver(msg.payload);
  };

  const connect = async (): Promise<void> => {
    const c = await pool.connect();
    c.on('notification', onNotification);
    c.on('error', (err) => {
      log.warn({ err }, 'notification hub connection lost; reconnecting');
      drop(c, err);
      scheduleReconnect();
    });
    try {
      await c.query(`LISTEN ${HUB_CHANNEL}`);
    } catch (err) {
      drop(c, err as Error);
      throw err;
    }
    client = c;
    attempt = 0;
  };

  const drop = (c: pg.PoolClient, err?: Error) => {
    c.removeListener('notification', onNotification);
    if (client === c) client = null;
    // Destroyed rather than returned: a pooled connection must not keep LISTENing for its next borrower.
    try {
      c.release(err ?? true);
    } catch {
      // already released
    }
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    const delay = Math.min(30_000, baseDelay * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (closed) return;
      connect().catch((err) => {
        log.warn({ err }, 'notification hub could not reconnect');
        scheduleReconnect();
      });
    }, delay);
  };

  await connect();
  return {
    subscribe: (listener) => listeners.add(listener),
    publish: publishHubEvent,
    async close() {
      closed = true;
      listeners.close();
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      if (c) {
        await c.query(`UNLISTEN ${HUB_CHANNEL}`).catch(() => {});
        drop(c, new Error('hub closed'));
      }
    },
  };
}

/** The hub that fits the database: in-process for PGlite, LISTEN/NOTIFY across processes for PostgreSQL. */
export function createNotificationHub(database: Database, log: HubLog): Promise<NotificationHub> {
  if (database.kind === 'pglite' && database.pglite) return createPgliteHub(database.pglite, log);
  if (database.kind === 'postgres' && database.pool) return createPostgresHub(database.pool, log);
  throw new Error(`database of kind ${database.kind} has no ${database.kind === 'pglite' ? 'PGlite instance' : 'pool'}`);
}
