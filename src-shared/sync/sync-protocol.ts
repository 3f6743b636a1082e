// The sync wire protocol: every message between a desktop and its tenant server as a zod schema with its type.
import { z } from 'zod';
import { ErrorBody } from '../api/errors';
import { Id, Instant } from '../domain/common.schema';

/**
 * The protocol version this code speaks. History (one line per change):
 * 1 — push of mutations with per-client ids, paged pull with a fixed version window, results, adopt, pokes.
 */
export const PROTOCOL_VERSION = 1;

/**
 * The oldest client protocol a server still accepts mutations from. Kept one step behind PROTOCOL_VERSION for a
 * release after a change, so desktops that have not upgraded yet can still push their outboxes.
 */
export const MIN_PROTOCOL_VERSION = 1;

/**
 * The oldest protocol version whose mutations the server still applies. Each mutation carries the version it was
 * recorded under (stamped in the outbox), and mutation-versions.ts upgrades older args to the current form. The
 * window: a mutation stays accepted for at least two protocol versions after its own (so MIN_MUTATION_VERSION ≤
 * PROTOCOL_VERSION − 2 once there are that many, and never above MIN_PROTOCOL_VERSION), so an outbox kept through a
 * read-only period still applies after the upgrade. An older mutation is refused, recorded, and synced back.
 */
export const MIN_MUTATION_VERSION = 1;

/**
 * The shape of the replicated tables (their names and fields). A desktop whose schema version differs from the
 * server's cannot apply what it pulls: it goes read-only and keeps its outbox for after the upgrade.
 * History: 1 — entity tables of src-shared/mutators/mutation-tx.ts, audit_log and conflicts.
 */
export const SCHEMA_VERSION = 1;

/** What each side advertises: GET /api/v1/sync/info, and every push and pull request. */
export const VersionInfo = z.object({
  protocolVersion: z.number().int().min(1),
  minProtocolVersion: z.number().int().min(1),
  schemaVersion: z.number().int().min(1),
});
export type VersionInfo = z.infer<typeof VersionInfo>;

/** A mutation as it travels: a named write with its args, numbered per client (1, 2, 3, … with no gaps). */
export const SyncMutation = z.strictObject({
  clientId: Id,
  mutationId: z.number().int().min(1),
  name: z.string().min(1).max(100),
  args: z.unknown(),
  /**
   * The values the client saw, before its change, of the fields the mutation changes, per target row id (see
   * merge-rules.ts). The server merges field by field against them; absent means "no merge, server order".
   */
  base: z.record(Id, z.record(z.string(), z.unknown())).optional(),
  /** The desktop's clock when the user acted: informational only, the server stamps its own time. */
  clientTime: Instant.optional(),
  /** The protocol the mutation was recorded under. */
  protocolVersion: z.number().int().min(1),
});
export type SyncMutation = z.infer<typeof SyncMutation>;

/** Most mutations per push request; the client sends its outbox in batches of this size or less. */
export const MAX_PUSH_BATCH = 500;

export const PushRequest = z.strictObject({
  clientId: Id,
  protocolVersion: z.number().int().min(1),
  schemaVersion: z.number().int().min(1),
  mutations: z.array(SyncMutation).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

/** What happened to one pushed mutation. `skipped`: applied by an earlier delivery, nothing done twice. */
export const MutationOutcome = z.object({
  mutationId: z.number().int().min(1),
  status: z.enum(['applied', 'refused', 'skipped']),
  error: ErrorBody.optional(),
});
export type MutationOutcome = z.infer<typeof MutationOutcome>;

export const PushResponse = z.object({
  /** The last mutation id of this client the server has processed (applied or refused), after this push. */
  lastMutationId: z.number().int().min(0),
  outcomes: z.array(MutationOutcome),
  /** Set when a mutation's id was not the next expected one: nothing from it on was processed. */
  gap: z.object({ expected: z.number().int().min(1), got: z.number().int().min(1) }).optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

/**
 * Where a pull stands. A pull covers the fixed version window (since, target] and walks it table by table in
 * primary-key order, so a page boundary never depends on how many rows share a version. `table`/`afterId` is the
 * last position read; `done`/`total` count rows examined, for progress.
 */
export const PullPosition = z.object({
  since: z.number().int().min(0),
  target: z.number().int().min(0),
  table: z.number().int().min(0),
  afterId: z.string().max(200),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  /** The view scope the pull was started under: a change meanwhile restarts it as a reset. */
  scope: z.string().max(200),
  /** The pull is a full resync (the replica drops, at its end, whatever it did not send). */
  reset: z.boolean(),
  /** The tables (by index) that have rows in the window; the others are not read at all. */
  tables: z.array(z.number().int().min(0)).max(100),
});
export type PullPosition = z.infer<typeof PullPosition>;

/** A finished pull's state: the replica holds everything visible up to `version` under the view `scope`. */
export const PullCursor = z.object({
  version: z.number().int().min(0),
  /** A fingerprint of what the user may see (role, permissions, teams, pipelines); a change forces a reset. */
  scope: z.string().max(200),
});
export type PullCursor = z.infer<typeof PullCursor>;

/** Parent rows newly arrived on a replica, whose children (activities, history, approvals…) it asks for. */
export const Adopt = z.object({
  leads: z.array(Id).max(2000).default([]),
  deals: z.array(Id).max(2000).default([]),
  approval_requests: z.array(Id).max(2000).default([]),
});
export type Adopt = z.infer<typeof Adopt>;

export const PullRequest = z.strictObject({
  clientId: Id,
  protocolVersion: z.number().int().min(1),
  schemaVersion: z.number().int().min(1),
  /** The last finished pull; null on the first sync. */
  cursor: PullCursor.nullable(),
  /** Continues an unfinished pull (the previous page's `position`); omitted to start one. */
  position: PullPosition.optional(),
  /** Refusals up to this mutation id have been taken in; the server may forget them. */
  resultsAckedThrough: z.number().int().min(0).default(0),
  adopt: Adopt.optional(),
  /** Most rows per page; the server may send fewer. */
  limit: z.number().int().min(1).max(10_000).default(5000),
});
export type PullRequest = z.input<typeof PullRequest>;
export type ParsedPullRequest = z.output<typeof PullRequest>;

/** Rows of one table: values in `fields` order (entity field names), and ids to delete. */
export const TableChanges = z.object({
  table: z.string().min(1).max(64),
  fields: z.array(z.string().max(64)).max(100),
  /** Each row an array; its values are checked as they are written (a cell-by-cell schema would cost a first sync dearly). */
  rows: z.array(z.custom<unknown[]>((v) => Array.isArray(v), 'expected a row as an array of values')),
  deletes: z.array(z.string().max(200)),
});
export type TableChanges = z.infer<typeof TableChanges>;

/** A mutation the server refused, with its reason, for the client to roll back and tell the user about. */
export const MutationResult = z.object({
  mutationId: z.number().int().min(1),
  name: z.string(),
  error: ErrorBody,
});
export type MutationResult = z.infer<typeof MutationResult>;

export const PullResponse = z.object({
  /**
   * True on the first page of a full resync (first sync, a changed view scope, or a cursor older than the change
   * log's horizon): the replica starts over keeping track of what this pull sends, and at its end drops the rest.
   */
  reset: z.boolean(),
  /** Where to continue while `hasMore`. */
  position: PullPosition,
  hasMore: z.boolean(),
  /** Set on the last page: the cursor to store once it is applied. */
  cursor: PullCursor.nullable(),
  /** This client's last processed mutation id, read in the same snapshot as the page. */
  lastMutationId: z.number().int().min(0),
  /** Refusals of this client's mutations not yet acknowledged (ids ≤ lastMutationId). */
  results: z.array(MutationResult),
  changes: z.array(TableChanges),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Why a request was refused because the desktop is too old or too new: the READ_ONLY error's details. */
export const VersionMismatch = z.object({
  server: VersionInfo,
  client: z.object({ protocolVersion: z.number().int(), schemaVersion: z.number().int() }),
});
export type VersionMismatch = z.infer<typeof VersionMismatch>;

/** Whether a client advertising these versions may sync with a server of `server`'s versions. */
export function versionsCompatible(server: VersionInfo, client: { protocolVersion: number; schemaVersion: number }): boolean {
  return client.schemaVersion === server.schemaVersion && client.protocolVersion >= server.minProtocolVersion && client.protocolVersion <= server.protocolVersion;
}

export const THIS_VERSION: VersionInfo = { protocolVersion: PROTOCOL_VERSION, minProtocolVersion: MIN_PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION };

/** The HTTP paths of the sync area. */
export const SYNC_PATHS = {
  info: '/api/v1/sync/info',
  push: '/api/v1/sync/push',
  pull: '/api/v1/sync/pull',
} as const;
