// What every server area receives: configuration, the database, the logger, the clock and the id source.
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { ServerConfig } from '../config/server-config';
import type { AppDb, Database } from '../db/database';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ServerContext {
  readonly config: ServerConfig;
  /** The open database handle (kind, readiness, close). */
  readonly database: Database;
  /** Shorthand for `database.db`. */
  readonly db: AppDb;
  readonly log: Logger;
  readonly clock: Clock;
  /** A new time-ordered id (UUIDv7) for rows the server creates. */
  newId(): string;
  /** The key access tokens are signed with. */
  readonly signingKey: Uint8Array;
}

export interface ContextParts {
  config: ServerConfig;
  database: Database;
  log: Logger;
  signingKey: Uint8Array;
  clock?: Clock;
  newId?: () => string;
}

export function createContext(parts: ContextParts): ServerContext {
  return {
    config: parts.config,
    database: parts.database,
    db: parts.database.db,
    log: parts.log,
    clock: parts.clock ?? systemClock,
    newId: parts.newId ?? (() => uuidv7()),
    signingKey: parts.signingKey,
  };
}
