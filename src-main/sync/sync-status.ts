// What the UI can show about sync, and the events the sync client emits.
import type { ErrorBody } from '../../src-shared/api/errors';
import type { MutationResult } from '../../src-shared/sync/sync-protocol';

export type SyncPhase =
  /** Nothing to do: in step with the server as of `lastSyncAt`. */
  | 'idle'
  | 'syncing'
  /** The last attempt could not reach the server; retrying with backoff. */
  | 'offline'
  /** "Work offline": no sync until resumed; local writes continue into the outbox. */
  | 'paused'
  /** The server cannot serve this app's versions: local writes are refused, the outbox is kept. */
  | 'readOnly';

export interface SyncStatus {
  phase: SyncPhase;
  /** The poke socket is connected (changes of others arrive in real time). */
  live: boolean;
  /** Local mutations not yet confirmed by the server. */
  pending: number;
  lastSyncAt: number | null;
  /** Rows examined of the pull under way (a first sync in pages), or null. */
  progress: { done: number; total: number } | null;
  /** Open conflict records the user can see. */
  conflicts: number;
  /** The latest refusals (newest last). */
  refusals: (MutationResult & { at: number })[];
  /** Why writes are refused, in read-only mode. */
  readOnly: string | null;
  /** What stopped the last round, if it failed. */
  lastError: ErrorBody | null;
}

export interface SyncEvents {
  status: SyncStatus;
  /** The server refused a mutation: its optimistic effect is gone; tell the user why. */
  refused: MutationResult;
}
