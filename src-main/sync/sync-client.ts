// The desktop's sync engine: pushes the outbox in order, pulls in pages, applies and rebases, and keeps a status.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { ErrorBody } from '../../src-shared/api/errors';
import { PROTOCOL_VERSION, SCHEMA_VERSION, THIS_VERSION, VersionMismatch, versionsCompatible } from '../../src-shared/sync/sync-protocol';
import type { Adopt, MutationResult, PullPosition, PullResponse, TableChanges } from '../../src-shared/sync/sync-protocol';
import { REPLICATED_TABLES } from '../../src-shared/sync/replicated-tables';
import type { ClientCore } from '../core/client-core';
import { loadActor } from '../core/identity';
import { createIdGenerator } from '../core/ids';
import { prepared } from '../store/statement-cache';
import { openBulkConnection } from './bulk-connection';
import type { BulkConnection } from './bulk-connection';
import { afterPart, BulkBuilder, createKeyStaging, deferIndexes, partNames, readyPart, splitPart, stageAllMatchKeys } from './bulk-load';
import type { BulkLoad, BulkPart } from './bulk-load';
import { RECENT_MAX_DELAY_MS, RECENT_MS, reconnectDelay } from './poke-socket';
import { PagesAhead } from './pages-ahead';
import { rebase } from './rebase';
import { ReplicaWriter } from './replica-writer';
import type { ApplyContext } from './replica-writer';
import type { BulkOp } from './bulk-thread';
import type { AttachedStore, SyncHooks } from './sync-hooks';
import type { SyncEvents, SyncPhase, SyncStatus } from './sync-status';
import { NetworkError, rowRunsOf, ServerError } from './sync-transport';
import type { JsonRun } from './json-slicer';
import type { SyncTransport } from './sync-transport';
import { toSyncMutation } from './outbox';
import { setOp } from './sync-state';
import type { SyncState } from './sync-state';
import { startWalCheckpointer } from './wal-checkpointer';

export interface SyncClientOptions {
  core: ClientCore;
  /** The hooks the core was opened with (see openSyncedClient). */
  hooks: SyncHooks;
  transport: SyncTransport;
  clientId: string;
  clock?: () => number;
  /** Ids for the incidental rows of replayed mutations (default: time-ordered random ids). */
  newId?: () => string;
  /** Rows per pull page. */
  pageLimit?: number;
  /** Mutations per push request. */
  pushBatch?: number;
  /** Rows applied per slice; a transaction takes slices until its time budget is spent. */
  chunkRows?: number;
  /** Milliseconds a transaction of a pull's apply may run before it commits and yields the event loop. */
  applyBudgetMs?: number;
  /** Retry after a failed round: first delay and ceiling (doubling, with jitter). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** The ceiling while the last successful round is recent (see reconnectDelay). */
  retryRecentMaxMs?: number;
  retryRecentMs?: number;
  random?: () => number;
  /** A full resync of at least this many rows into empty tables defers their indexes and match keys (see bulk-load.ts). */
  bulkLoadRows?: number;
  /** Checkpoint the store's WAL from a worker thread (default true; see wal-checkpointer.ts). */
  walCheckpointer?: boolean;
  /** Sync after each local write (default true); otherwise only on syncNow and pokes. */
  syncOnWrite?: boolean;
  logError?: (message: string, err: unknown) => void;
}

export interface SyncClient {
  status(): SyncStatus;
  on<E extends keyof SyncEvents>(event: E, listener: (payload: SyncEvents[E]) => void): () => void;
  /** Runs a round now (push, then pull until in step); rejects with what stopped it. */
  syncNow(): Promise<SyncStatus>;
  /** Asks for a round soon (a poke, a local write); coalesced with one under way. */
  requestSync(): void;
  /** "Work offline": stops syncing until resume(); local writes go on into the outbox. */
  pause(): void;
  resume(): void;
  /** Tells the status whether the poke socket is connected. */
  setLive(live: boolean): void;
  close(): Promise<void>;
}

const MAX_REFUSALS_KEPT = 50;
const ADOPT_SLICE = 2000;
const emptyAdopt = (): Adopt => ({ leads: [], deals: [], approval_requests: [] });
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/**
 * Rows of a bulk page's share, at most: one transaction of the bulk thread, which the store's other writes wait for
 * (a few tens of milliseconds).
 */
const SHARE_ROWS = 2_500;
/** Pages fetched ahead of their apply, at most: enough to cover the longest index build, in bounded memory. */
const AHEAD = { pages: 16, bytes: 16 * 1024 * 1024, weigh: (page: PullResponse) => page.changes.reduce((n, c) => n + (rowRunsOf(c) ?? []).reduce((m, r) => m + r.bytes.length, 0), 0) };

/** Splits a page's changes into chunks of about `rows` rows, keeping table order (parents first). */
export function chunkChanges(changes: readonly TableChanges[], rows: number): TableChanges[][] {
  const chunks: TableChanges[][] = [];
  let current: TableChanges[] = [];
  let size = 0;
  for (const c of changes) {
    let i = 0;
    do {
      const room = Math.max(1, rows - size);
      const part = { ...c, rows: c.rows.slice(i, i + room), deletes: i === 0 ? c.deletes : [] };
      i += room;
      current.push(part);
      size += part.rows.length + part.deletes.length;
      if (size >= rows) {
        chunks.push(current);
        current = [];
        size = 0;
      }
    } while (i < c.rows.length);
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** A share of a page's work: parsed rows (see chunkChanges), or one run of a table's rows kept as text. */
type Slice = TableChanges[] | { change: TableChanges; run: JsonRun };

/** Like chunkChanges, but the rows a pull kept as text (see rowRunsOf) go a run at a time, never parsed. */
export function textSlices(changes: readonly TableChanges[], rows: number): Slice[] {
  const slices: Slice[] = [];
  for (const c of changes) {
    const runs = rowRunsOf(c);
    if (!runs) {
      slices.push(...chunkChanges([c], rows));
      continue;
    }
    if (c.deletes.length > 0) slices.push([{ table: c.table, fields: c.fields, rows: [], deletes: c.deletes }]);
    for (const run of runs) slices.push({ change: c, run });
  }
  return slices;
}

class ReadOnlyStop extends Error {}

export function createSyncClient(o: SyncClientOptions): SyncClient {
  const { core, hooks, transport } = o;
  const clock = o.clock ?? Date.now;
  const newId = o.newId ?? createIdGenerator(clock);
  // The protocol's largest pages: a first sync's server makes them a fifth faster than pages of 5,000 (fewer
  // requests, each a round of queries), and one (up to 7 MB) is parsed in slices and written from its bytes.
  const pageLimit = o.pageLimit ?? 10_000;
  const pushBatch = o.pushBatch ?? 200;
  const chunkRows = o.chunkRows ?? 25;
  // With the commit after it (WAL writes), and a slice of a page being parsed, a turn of the loop stays well under
  // 50 ms even with the machine's cores busy (the server, the index builds): slices of the load get less CPU then.
  const applyBudgetMs = o.applyBudgetMs ?? 8;
  // Below this, dropping and building the indexes costs more than keeping them current.
  const bulkLoadRows = o.bulkLoadRows ?? 20_000;
  const random = o.random ?? Math.random;
  const logError = o.logError ?? ((message, err) => console.error(message, err));
  const store: AttachedStore = hooks.attach(core.store.sqlite);
  const { state, outbox, capture } = store;
  const writer = new ReplicaWriter(core.store.sqlite, () => core.identity.userId);
  const checkpointer = o.walCheckpointer === false ? null : startWalCheckpointer(core.store.sqlite, core.store.path);
  const listeners = { status: new Set<(s: SyncStatus) => void>(), refused: new Set<(r: MutationResult) => void>() };

  let phase: SyncPhase = hooks.readOnly ? 'readOnly' : 'idle';
  let live = false;
  let paused = false;
  let closed = false;
  let pending = outbox.count();
  let conflicts = 0;
  let progress: SyncStatus['progress'] = null;
  let lastError: ErrorBody | null = state.get('lastError') ?? null;
  // Kept in memory too: status() must answer without touching the store (e.g. from a socket event after close).
  let lastSyncAt: number | null = state.get('lastSyncAt') ?? null;
  let refusals = state.get('refusals') ?? [];
  let versionsChecked = false;
  let again = false;
  let running: Promise<void> | null = null;
  let roundError: unknown = null;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  /** When a round last succeeded (performance.now()): a server that was just there is retried at short intervals. */
  let lastSuccess: number | null = null;
  // A worker thread rebuilds deferred indexes on its own connection: only a store in a file can be shared so.
  const canDefer = core.store.path !== '' && core.store.path !== ':memory:';
  /** The bulk load under way, as its record in sync_state says. */
  let bulk: BulkLoad | undefined = state.get('bulk');
  let bulkConn: BulkConnection | null = null;
  /** A bulk load's indexes queued to be built during the load (see buildWhenIdle), the build under way, the first that failed. */
  const toBuild: BulkPart[] = [];
  let building: Promise<void> | null = null;
  let buildFailed: unknown = null;
  /** What the queued and finished builds take (see readyPart). */
  const taken = new Set<string>();
  /** The pages of the pull under way. */
  let pulling: PagesAhead | null = null;
  let bulkBuilder: BulkBuilder | null = null;

  /** Reads and writes go through the core's write queue: never inside another job's open transaction. */
  const inQueue = <T>(fn: () => T | Promise<T>, touched: string[] = []) => core.writes.writeDerived(touched, fn as () => T, { foreignKeys: false });

  function status(): SyncStatus {
    return {
      phase, live, pending, lastSyncAt, progress, conflicts, refusals, readOnly: hooks.readOnly, lastError,
    };
  }
  function emit<E extends keyof SyncEvents>(event: E, payload: SyncEvents[E]): void {
    for (const l of listeners[event] as Set<(p: SyncEvents[E]) => void>) {
      try {
        l(payload);
      } catch (err) {
        logError(`a sync ${event} listener failed`, err);
      }
    }
  }
  const changed = () => {
    if (!closed) emit('status', status());
  };
  const setPhase = (p: SyncPhase) => {
    if (phase === p) return;
    phase = p;
    changed();
  };

  async function enterReadOnly(message: string, details: VersionMismatch | null): Promise<never> {
    await inQueue(() => state.set('readOnly', { message, details }));
    hooks.readOnly = message;
    setPhase('readOnly');
    throw new ReadOnlyStop(message);
  }

  async function checkVersions(): Promise<void> {
    const server = await transport.info();
    if (!versionsCompatible(server, { protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION })) {
      const tooOld = PROTOCOL_VERSION < server.minProtocolVersion || SCHEMA_VERSION < server.schemaVersion;
      await enterReadOnly(tooOld ? 'This app is too old for the server: upgrade it to sync again. Your offline changes are kept.' : 'The server is older than this app: sync resumes once it is upgraded. Your offline changes are kept.', { server, client: THIS_VERSION });
    }
    if (hooks.readOnly) {
      await inQueue(() => state.delete('readOnly'));
      hooks.readOnly = null;
    }
    versionsChecked = true;
  }

  /** A store that meets a new client id (a new device registration) starts its numbering over with the server. */
  async function adoptClientId(): Promise<void> {
    await inQueue(() => {
      if (state.get('clientId') === o.clientId) return;
      if (state.get('clientId') !== undefined) {
        outbox.renumberFrom(1);
        for (const key of ['lastMutationId', 'resultsAcked'] as const) state.delete(key);
      }
      state.set('clientId', o.clientId);
    });
  }

  async function pushAll(): Promise<void> {
    // Nothing was written since the outbox last emptied: no transaction just to find that out.
    if (pending === 0) return;
    for (;;) {
      const batch = await inQueue(() => outbox.after(state.get('lastMutationId') ?? 0, pushBatch));
      if (batch.length === 0) return;
      const res = await transport.push({ clientId: o.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, mutations: batch.map((e) => toSyncMutation(o.clientId, e)) });
      await inQueue(() => {
        const issued = (state.get('nextMutationId') ?? 1) - 1;
        // The server's record of this client is behind the outbox (a gap) or ahead of anything this store ever
        // issued (then it skipped our entries as done): either way, renumber the pending entries to follow it.
        if (res.gap || res.lastMutationId > issued) outbox.renumberFrom(res.lastMutationId + 1);
        state.set('lastMutationId', res.lastMutationId);
      });
    }
  }

  /**
   * Applies one page in transactions of at most `applyBudgetMs` each (slices of `chunkRows` rows, parents first),
   * with a turn of the event loop between them. The last transaction of the last page also sweeps a reset, takes in
   * refusals, rebases the pending mutations and stores the cursor: the UI sees the server's changes and the
   * replayed ones as one change. A bulk load's other pages go through its own connection (see bulk-connection.ts).
   */
  async function applyPage(page: PullResponse, sentAdopt: Adopt | null): Promise<MutationResult[]> {
    if (page.reset) {
      const started = await inQueue(() => startReset(page));
      if (started) bulk = started;
    }
    const through = bulk && page.position.reset && page.hasMore ? openBulk() : null;
    const slices: Slice[] = through ? textSlices(page.changes, chunkRows) : chunkChanges(page.changes, chunkRows);
    const cursor = { next: 0 };
    const touchedAll = new Set<string>();
    let refused: MutationResult[] = [];
    for (let first = true; cursor.next < slices.length || first; first = false) {
      if (through) {
        await core.writes.exclusive(async () => {
          const ops = bulkShare(page, slices, cursor, through, touchedAll);
          if (ops) await through.write(ops);
          else through.transaction(() => applySome(page, slices, cursor, through.writer, through.state, touchedAll, null));
        });
      } else {
        const touchedList: string[] = [];
        await inQueue(async () => {
          const touched = new Set<string>();
          capture.set(false);
          const adopt = page.position.reset ? null : emptyAdopt();
          const reset = applySome(page, slices, cursor, writer, state, touched, adopt);
          if (adopt) addAdopt(adopt);
          if (cursor.next >= slices.length && !page.hasMore) {
            refused = finishPull(page, reset, sentAdopt, touched);
            await rebase(core.store.sqlite, writer, outbox, capture, { processedThrough: page.lastMutationId, actor: () => loadActor(core.store, core.identity), newId }, touched);
            pending = outbox.count();
            conflicts = countConflicts();
          }
          touchedList.push(...touched);
        }, touchedList);
      }
      if (cursor.next < slices.length) await yieldToLoop();
    }
    // The bulk connection's commits tell the UI nothing: one change for the page.
    if (touchedAll.size > 0) await inQueue(() => {}, [...touchedAll]);
    return refused;
  }

  /**
   * One transaction's share of a page: slices from `cursor.next` until the time budget is spent; the page's last
   * share stores where the pull is. Returns the tables of a full resync under way.
   */
  function applySome(page: PullResponse, slices: Slice[], cursor: { next: number }, w: ReplicaWriter, st: SyncState, touched: Set<string>, adopt: Adopt | null): string[] | null {
    const deadline = performance.now() + applyBudgetMs;
    const { reset, ctx } = applyContext(w, st, touched, adopt);
    do {
      const slice = slices[cursor.next] ?? [];
      if (Array.isArray(slice)) for (const change of slice) w.apply(change, ctx);
      else w.applyRun(slice.change, slice.run, ctx);
      cursor.next++;
    } while (cursor.next < slices.length && performance.now() < deadline);
    if (cursor.next >= slices.length && page.hasMore) st.set('pull', { position: page.position });
    return reset;
  }

  /** Readies `w` for a transaction's share of a page; the tables of a full resync under way, and the share's context. */
  function applyContext(w: ReplicaWriter, st: SyncState, touched: Set<string>, adopt: Adopt | null): { reset: string[] | null; ctx: ApplyContext } {
    w.loadBaseKeys();
    w.deferMatchKeys = bulk?.matchKeys === true;
    // A load begun by an older version kept no staging table.
    if (w.deferMatchKeys && !bulk!.staged) createKeyStaging(w === writer ? core.store.sqlite : bulkConn!.sqlite);
    const reset = st.get('reset')?.tables ?? null;
    return { reset, ctx: { touched, resetTables: reset ? new Set(reset) : null, adopt } };
  }

  /**
   * A bulk page's next share as statements for the bulk thread: runs of rows from `cursor.next` until the time budget
   * (for working them out) or SHARE_ROWS is spent; the page's last share stores where the pull is. Null when the
   * next slice must be applied on this thread (parsed rows, or runs that must be parsed: see applyRun).
   */
  function bulkShare(page: PullResponse, slices: Slice[], cursor: { next: number }, conn: BulkConnection, touched: Set<string>): BulkOp[] | null {
    const deadline = performance.now() + applyBudgetMs;
    const { ctx } = applyContext(conn.writer, conn.state, touched, null);
    const ops: BulkOp[] = [];
    for (let rows = 0; cursor.next < slices.length && rows < SHARE_ROWS && (ops.length === 0 || performance.now() < deadline);) {
      const slice = slices[cursor.next]!;
      if (Array.isArray(slice)) break;
      const more = conn.writer.runOps(slice.change, slice.run, ctx);
      if (!more) break;
      ops.push(...more);
      rows += slice.run.count;
      cursor.next++;
    }
    if (ops.length === 0 && cursor.next < slices.length) return null;
    if (cursor.next >= slices.length && page.hasMore) ops.push(setOp('pull', { position: page.position }));
    return ops;
  }

  /**
   * A full resync starts: track arrivals in the tables that hold rows now (only they can hold stale ones). A large one
   * into empty tables starts a bulk load, whose record it returns.
   */
  function startReset(page: PullResponse): BulkLoad | null {
    core.store.sqlite.prepare('DELETE FROM sync_seen').run();
    const withRows = REPLICATED_TABLES.filter(hasRows);
    state.set('reset', { tables: withRows });
    if (!canDefer || bulk || page.position.total < bulkLoadRows) return null;
    const started = deferIndexes(core.store.sqlite, REPLICATED_TABLES.filter((t) => !withRows.includes(t)));
    state.set('bulk', started);
    return started;
  }

  const openBulk = () => (bulkConn ??= openBulkConnection(core.store.path, { checkpointer: checkpointer !== null, me: () => core.identity.userId }));

  function hasRows(table: string): boolean {
    return core.store.sqlite.prepare(`SELECT 1 FROM "${table}" LIMIT 1`).get() !== undefined;
  }

  const countConflicts = () => (prepared(core.store.sqlite, `SELECT count(*) AS n FROM conflicts WHERE status = 'open'`).get() as { n: number }).n;

  function addAdopt(add: Adopt): void {
    if (add.leads.length + add.deals.length + add.approval_requests.length === 0) return;
    const cur = state.get('adopt') ?? emptyAdopt();
    state.set('adopt', { leads: [...cur.leads, ...add.leads], deals: [...cur.deals, ...add.deals], approval_requests: [...cur.approval_requests, ...add.approval_requests] });
  }

  /** Inside the last chunk's transaction: the reset's sweep, refusals, adopted parents, and the new cursor. */
  function finishPull(page: PullResponse, resetTables: string[] | null, sentAdopt: Adopt | null, touched: Set<string>): MutationResult[] {
    if (resetTables) {
      writer.sweep(resetTables, touched);
      state.delete('reset');
    }
    const acked = state.get('resultsAcked') ?? 0;
    const refused = page.results.filter((r) => r.mutationId > acked);
    if (refused.length > 0) {
      const now = clock();
      refusals = [...refusals, ...refused.map((r) => ({ ...r, at: now }))].slice(-MAX_REFUSALS_KEPT);
      state.set('refusals', refusals);
    }
    if (sentAdopt) {
      const cur = state.get('adopt') ?? emptyAdopt();
      const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
      const rest = { leads: minus(cur.leads, sentAdopt.leads), deals: minus(cur.deals, sentAdopt.deals), approval_requests: minus(cur.approval_requests, sentAdopt.approval_requests) };
      if (rest.leads.length + rest.deals.length + rest.approval_requests.length > 0) state.set('adopt', rest);
      else state.delete('adopt');
    }
    state.set('resultsAcked', Math.max(acked, page.lastMutationId));
    state.set('lastMutationId', Math.max(state.get('lastMutationId') ?? 0, page.lastMutationId));
    if (page.cursor) state.set('cursor', page.cursor);
    state.delete('pull');
    lastSyncAt = clock();
    state.set('lastSyncAt', lastSyncAt);
    return refused;
  }

  async function pullAll(): Promise<void> {
    const position: PullPosition | undefined = state.get('pull')?.position;
    let adopt: Adopt | null = null;
    const waiting = state.get('adopt');
    if (waiting && !position) adopt = { leads: waiting.leads.slice(0, ADOPT_SLICE), deals: waiting.deals.slice(0, ADOPT_SLICE), approval_requests: waiting.approval_requests.slice(0, ADOPT_SLICE) };
    const sentAdopt = adopt;
    const request = (at: PullPosition | undefined, withAdopt: Adopt | null) => transport.pull({
      clientId: o.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, cursor: state.get('cursor') ?? null,
      ...(at ? { position: at } : {}), resultsAckedThrough: state.get('resultsAcked') ?? 0, ...(withAdopt ? { adopt: withAdopt } : {}), limit: pageLimit,
    });
    const ahead = new PagesAhead(request(position, adopt), (at) => request(at, null), AHEAD);
    pulling = ahead;
    try {
      for (;;) {
        // Nothing to apply yet: the store is idle while the server works, the time for a build.
        buildWhenIdle();
        const page = await ahead.take();
        progress = { done: page.position.done, total: page.position.total };
        changed();
        // Parsing a page took a while: let timers and input run before applying it.
        await yieldToLoop();
        const refused = await applyPage(page, page.hasMore ? null : sentAdopt);
        if (!page.hasMore) {
          for (const r of refused) emit('refused', r);
          progress = null;
          return;
        }
        if (page.position.reset) buildReady(page.position);
      }
    } finally {
      pulling = null;
      ahead.stop();
    }
  }

  /** Queues what a bulk load deferred for the tables a pull has finished as of `position` (see buildWhenIdle). */
  function buildReady(position: PullPosition): void {
    if (!bulk) return;
    const done = (table: string) => {
      const i = (REPLICATED_TABLES as readonly string[]).indexOf(table);
      return i >= 0 && (i < position.table || !position.tables.includes(i));
    };
    const part = readyPart(bulk, done, taken);
    for (const name of partNames(part)) taken.add(name);
    toBuild.push(...splitPart(part));
  }

  /**
   * Builds the next queued index (from a worker, holding the writes) when no fetched page waits to be applied: the
   * builds take the time the store would idle while the server produces pages, and the pages fetched meanwhile wait
   * for one index, not for all of them. Each build looks for the next when it ends.
   */
  function buildWhenIdle(): void {
    if (closed || building || buildFailed || !bulk || (pulling && pulling.waiting() > 0)) return;
    const piece = toBuild.shift();
    if (!piece) return;
    building = core.writes.exclusive(async () => {
      if (!bulk) return;
      const rest = afterPart(bulk, piece);
      await builder().build(piece, rest);
      bulk = rest ?? undefined;
    }).catch((err: unknown) => {
      buildFailed ??= err;
    }).finally(() => {
      building = null;
      buildWhenIdle();
    });
  }

  const builder = () => (bulkBuilder ??= new BulkBuilder(core.store.path));

  /** After a bulk load's last page: what its builds left, the leads' match keys and indexes (from a worker, holding the writes). */
  async function finishBulkLoad(): Promise<void> {
    await closeBulk();
    // What is still queued goes into the last build.
    toBuild.length = 0;
    await building;
    taken.clear();
    if (buildFailed) {
      const err = buildFailed;
      buildFailed = null;
      throw err;
    }
    if (!bulk) return closeBuilder();
    let record = bulk;
    if (record.matchKeys && !record.staged) {
      const staged = { ...record, staged: true };
      await stageAllMatchKeys(core.store.sqlite, (fn) => inQueue(fn), applyBudgetMs, () => state.set('bulk', staged));
      record = bulk = staged;
    }
    const last = record;
    await core.writes.exclusive(() => builder().build({ indexes: last.indexes, keys: last.matchKeys }, null));
    bulk = undefined;
    await closeBuilder();
  }

  async function closeBuilder(): Promise<void> {
    await bulkBuilder?.close();
    bulkBuilder = null;
  }

  async function closeBulk(): Promise<void> {
    const conn = bulkConn;
    bulkConn = null;
    await conn?.close();
  }

  async function round(): Promise<void> {
    setPhase('syncing');
    if (!versionsChecked) {
      await checkVersions();
      await adoptClientId();
    }
    await pushAll();
    await pullAll();
    if (bulk || bulkConn) await finishBulkLoad();
    // Parents that arrived new bring their children in follow-up pulls.
    for (let i = 0; i < 5 && state.get('adopt'); i++) await pullAll();
  }

  function errorBody(err: unknown): ErrorBody {
    if (err instanceof ServerError) return err.body;
    if (err instanceof AppError) return err.toBody();
    if (err instanceof NetworkError) return { code: ErrorCode.INTERNAL, message: err.message };
    return { code: ErrorCode.INTERNAL, message: 'sync failed' };
  }

  async function loop(): Promise<void> {
    while (again && !paused && !closed) {
      again = false;
      roundError = null;
      try {
        await round();
        failures = 0;
        lastSuccess = performance.now();
        if (lastError) {
          lastError = null;
          await inQueue(() => state.delete('lastError'));
        }
        setPhase('idle');
      } catch (err) {
        roundError = err;
        progress = null;
        if (err instanceof ServerError && err.body.code === ErrorCode.READ_ONLY) {
          const details = VersionMismatch.safeParse(err.body.details);
          await enterReadOnly(err.body.message, details.success ? details.data : null).catch(() => {});
        }
        if (err instanceof ReadOnlyStop || phase === 'readOnly') return;
        if (!(err instanceof NetworkError)) logError('sync round failed', err);
        lastError = errorBody(err);
        await inQueue(() => state.set('lastError', lastError!)).catch(() => {});
        setPhase(err instanceof NetworkError ? 'offline' : 'idle');
        scheduleRetry();
        return;
      }
    }
  }

  const recentlySynced = () => lastSuccess !== null && performance.now() - lastSuccess < (o.retryRecentMs ?? RECENT_MS);

  function scheduleRetry(): void {
    if (retryTimer || closed || paused) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      requestSync();
    }, reconnectDelay(failures++, o.retryBaseMs ?? 500, o.retryMaxMs ?? 30_000, random, recentlySynced() ? (o.retryRecentMaxMs ?? RECENT_MAX_DELAY_MS) : undefined));
    retryTimer.unref();
  }

  function requestSync(): void {
    if (closed) return;
    again = true;
    if (paused || (phase === 'readOnly' && versionsChecked)) return;
    running ??= loop().finally(() => {
      running = null;
      if (again && !paused && !closed) requestSync();
    });
  }

  const syncOnWrite = o.syncOnWrite !== false;
  hooks.onAppended = () => {
    pending++;
    // After the commit: the outbox entry must be visible to the round's first read.
    setImmediate(() => {
      changed();
      if (syncOnWrite) requestSync();
    });
  };
  void inQueue(countConflicts).then((n) => (conflicts = n), () => {});

  return {
    status,
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    async syncNow() {
      if (paused) throw new AppError(ErrorCode.CONFLICT, 'sync is paused ("work offline"); resume it first');
      if (phase === 'readOnly') versionsChecked = false;
      // Let a round under way finish, then run one of our own and report how it went.
      while (running) await running.catch(() => {});
      again = true;
      const mine = loop();
      running = mine.finally(() => {
        running = null;
        if (again && !paused && !closed) requestSync();
      });
      await mine;
      if (roundError) throw roundError;
      return status();
    },
    requestSync,
    pause() {
      paused = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      setPhase('paused');
    },
    resume() {
      if (!paused) return;
      paused = false;
      setPhase(hooks.readOnly ? 'readOnly' : 'idle');
      requestSync();
    },
    setLive(value) {
      if (live === value || closed) return;
      live = value;
      changed();
      // Connected: catch up. Dropped: try at once, so a server that went away shows as offline now, not at the next write.
      requestSync();
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      hooks.onAppended = null;
      await running?.catch(() => {});
      await closeBulk();
      // A build under way finishes (its worker holds the store's write lock until it commits).
      await building;
      await closeBuilder();
      await checkpointer?.stop();
    },
  };
}
