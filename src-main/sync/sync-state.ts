// The sync client's persistent state (cursor, unfinished pull, next mutation id, …) in the store's sync_state table.
import type Database from 'better-sqlite3';
import type { ErrorBody } from '../../src-shared/api/errors';
import type { Adopt, MutationResult, PullCursor, PullPosition, VersionMismatch } from '../../src-shared/sync/sync-protocol';
import { prepared } from '../store/statement-cache';
import type { BulkLoad } from './bulk-load';
import { runOp } from './bulk-thread';
import type { BulkOp } from './bulk-thread';

export interface SyncStateShape {
  /** The last finished pull. */
  cursor: PullCursor;
  /** A pull under way: resumed from here after a restart. */
  pull: { position: PullPosition };
  /** The device's client id the numbering below belongs to. */
  clientId: string;
  /** The next mutation id to give; ids are never reused, even after the outbox empties. */
  nextMutationId: number;
  /** Refusals up to this id have been rolled back and reported. */
  resultsAcked: number;
  /** The server's highest processed id of this client, as last learned. */
  lastMutationId: number;
  /** Set while the server cannot serve this desktop's versions: no writes, outbox kept. */
  readOnly: { message: string; details: VersionMismatch | null };
  /** Parents that arrived new in a pull and still need their children. */
  adopt: Adopt;
  /** A full resync under way: the tables that held rows when it started (the only ones that can hold stale rows). */
  reset: { tables: string[] };
  /** A large first sync's deferred indexes and match keys, built once it has finished (see bulk-load.ts). */
  bulk: BulkLoad;
  /** The latest refusals, newest last, for the UI. */
  refusals: (MutationResult & { at: number })[];
  lastSyncAt: number;
  /** The server's last error that stopped a sync round, for the UI. */
  lastError: ErrorBody;
}

export type SyncStateKey = keyof SyncStateShape;

const SET = 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

/** SyncState.set as a statement for another connection (a bulk load's thread) to run. */
export const setOp = <K extends SyncStateKey>(key: K, value: SyncStateShape[K]): BulkOp => ({ sql: SET, args: [key, JSON.stringify(value)] });

export class SyncState {
  constructor(private readonly sqlite: Database.Database) {}

  get<K extends SyncStateKey>(key: K): SyncStateShape[K] | undefined {
    const row = prepared(this.sqlite, 'SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as SyncStateShape[K]) : undefined;
  }

  set<K extends SyncStateKey>(key: K, value: SyncStateShape[K]): void {
    runOp(this.sqlite, setOp(key, value));
  }

  delete(key: SyncStateKey): void {
    prepared(this.sqlite, 'DELETE FROM sync_state WHERE key = ?').run(key);
  }
}
