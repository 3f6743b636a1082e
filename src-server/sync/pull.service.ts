// POST /sync/pull: the changes of a version window the user may see, paged table by table, with view exits as deletes.
// Served in snapshots that several pulls of a tenant may share (pull-groups.ts).
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ErrorBody } from '../../src-shared/api/errors';
import { CHILDREN, REPLICATED_TABLES } from '../../src-shared/sync/replicated-tables';
import type { ParentTable, ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import { rowVisible } from '../../src-shared/sync/sync-visibility';
import type { Adopt, MutationResult, ParsedPullRequest, PullPosition, PullResponse, TableChanges } from '../../src-shared/sync/sync-protocol';
import type { RequestAuth } from '../auth/authenticate';
import type { AppDb } from '../db/database';
import { mutationResults, syncClients, syncHorizons, syncTombstones } from '../db/schema/sync.table';
import { PreparedStatement } from '../db/prepared-statement';
import { queryRows } from '../db/query-rows';
import { tenantVersions } from '../db/schema/auth.table';
import { pgTableOf, ROW_JSON, selectRows } from './pg-tables';
import type { SnapshotReads } from './snapshot-reads';
import { contextFor, dealsOfChangedRequests, loadViewerView } from './visibility-loader';
import type { ViewerView } from './visibility-loader';

type Row = Record<string, unknown>;
const TOMBSTONE_PHASE = REPLICATED_TABLES.length;
/** Rows in a pull's window above which its pages walk each table's key index rather than its version index. */
const LARGE_WINDOW = 25_000;

/** The change log's horizon and the tenant's latest durable version (what a pull may serve), in one round trip. */
async function horizonAndVersion(tx: AppDb, tenantId: string): Promise<{ horizon: number; target: number }> {
  const [row] = await queryRows<{ horizon: number | null; target: number | null }>(tx, sql`SELECT
    (SELECT ${syncHorizons.version}::float8 FROM ${syncHorizons} WHERE ${syncHorizons.tenantId} = ${tenantId}) AS horizon,
    (SELECT ${tenantVersions.durable}::float8 FROM ${tenantVersions} WHERE ${tenantVersions.tenantId} = ${tenantId}) AS target`);
  return { horizon: Number(row?.horizon ?? 0), target: Number(row?.target ?? 0) };
}

function windowOf(table: ReplicatedTable, tenantId: string, since: number, target: number): SQL {
  const info = pgTableOf(table);
  return and(eq(info.tenant, tenantId), gt(info.version, since), lte(info.version, target))!;
}

/**
 * The counting query, with the window as placeholders: a prepared statement, so each pooled connection plans its 26
 * branches once rather than on every pull (planning them cost more than counting). Tombstones count only when the
 * pull is incremental.
 */
function buildCountQuery(withTombstones: boolean): SQL {
  const qb = new QueryBuilder();
  const tenant = sql.placeholder('tenant');
  const since = sql.placeholder('since');
  const target = sql.placeholder('target');
  const branch = (i: number, table: PgTable, tenantCol: AnyColumn, version: AnyColumn) =>
    qb.select({ i: sql<number>`${sql.raw(String(i))}`.as('i'), n: sql<number>`count(*)::int`.as('n') }).from(table).where(and(eq(tenantCol, tenant), gt(version, since), lte(version, target)));
  const branches = REPLICATED_TABLES.map((name, i) => {
    const info = pgTableOf(name);
    return branch(i, info.table, info.tenant, info.version);
  });
  if (withTombstones) branches.push(branch(TOMBSTONE_PHASE, syncTombstones, syncTombstones.tenantId, syncTombstones.version));
  const [first, ...rest] = branches;
  // Each count names its table: UNION ALL keeps no order (a parallel plan returns its branches as they finish).
  return rest.reduce<ReturnType<typeof branch> | ReturnType<ReturnType<typeof branch>['unionAll']>>((q, b) => q.unionAll(b), first!).getSQL();
}

const COUNT_RESET = new PreparedStatement<{ i: number; n: number }>('sync_count_window_reset', () => buildCountQuery(false));
const COUNT_INCREMENTAL = new PreparedStatement<{ i: number; n: number }>('sync_count_window_incremental', () => buildCountQuery(true));

/** How many rows each table (and, incrementally, the tombstones) has in the window, in one round trip. */
async function countWindow(tx: AppDb, tenantId: string, since: number, target: number, reset: boolean): Promise<number[]> {
  const counts = new Array<number>(TOMBSTONE_PHASE + 1).fill(0);
  // Nothing committed since the cursor (a poke for a change already pulled): nothing to count.
  if (target <= since) return counts;
  const rows = await (reset ? COUNT_RESET : COUNT_INCREMENTAL).rows(tx, { tenant: tenantId, since, target });
  for (const r of rows) counts[Number(r.i)] = Number(r.n);
  return counts;
}

/** Where this pull starts or continues: a new window, a continued one, or a reset when the old one cannot stand. */
async function positionFor(reads: SnapshotReads, view: ViewerView, req: ParsedPullRequest): Promise<{ position: PullPosition; starts: boolean }> {
  const tenantId = view.viewer.tenantId;
  const { horizon, target } = await reads.once(`horizon ${tenantId}`, (tx) => horizonAndVersion(tx, tenantId));
  const p = req.position;
  if (p && p.scope === view.scope && (p.reset || p.since >= horizon)) return { position: p, starts: false };
  const incremental = req.cursor !== null && req.cursor.scope === view.scope && req.cursor.version >= horizon && !p?.reset;
  const since = incremental ? req.cursor!.version : 0;
  const reset = !incremental;
  const counts = await reads.once(`count ${tenantId} ${since} ${target} ${reset}`, (tx) => countWindow(tx, tenantId, since, target, reset));
  const tables = counts.map((n, i) => (n > 0 ? i : -1)).filter((i) => i >= 0);
  const total = counts.reduce((a, b) => a + b, 0);
  return { position: { since, target, table: tables[0] ?? TOMBSTONE_PHASE, afterId: '', done: 0, total, scope: view.scope, reset, tables }, starts: reset };
}

interface Page {
  batches: { table: ReplicatedTable; rows: Row[] }[];
  deletes: Map<ReplicatedTable, string[]>;
  position: PullPosition;
  hasMore: boolean;
}

async function readPage(tx: AppDb, tenantId: string, start: PullPosition, limit: number): Promise<Page> {
  const position = { ...start };
  const batches: Page['batches'] = [];
  const deletes = new Map<ReplicatedTable, string[]>();
  let room = limit;
  // A reset's window holds the whole table, and so may a large incremental one: walk the key index in order. Without
  // statistics (a table just loaded) the planner would take the version index and sort the whole window for every
  // page, which makes a first sync quadratic.
  const walkKeys = position.reset || position.total > LARGE_WINDOW;
  if (walkKeys) await tx.execute(sql`SET LOCAL enable_sort = off`);
  while (room > 0 && position.table < TOMBSTONE_PHASE) {
    const table = REPLICATED_TABLES[position.table]!;
    const info = pgTableOf(table);
    const rows = await selectRows(tx, table, and(windowOf(table, tenantId, position.since, position.target), position.afterId ? gt(info.pk, position.afterId) : undefined)!, sql`ORDER BY ${info.pk} LIMIT ${room}`, true);
    if (rows.length > 0) {
      batches.push({ table, rows });
      position.afterId = String((rows[rows.length - 1] as Row)[table === 'scoring_configs' ? 'tenantId' : 'id']);
      position.done += rows.length;
      room -= rows.length;
    }
    if (room > 0) {
      // On to the next table with rows in the window (or the deletes).
      position.table = position.tables.find((i) => i > position.table) ?? TOMBSTONE_PHASE;
      position.afterId = '';
    }
  }
  if (walkKeys) await tx.execute(sql`SET LOCAL enable_sort = on`);
  if (room > 0 && position.table === TOMBSTONE_PHASE) {
    // Deletes come last and all at once: few, and compacted away below the horizon.
    if (!position.reset && position.tables.includes(TOMBSTONE_PHASE)) {
      const gone = await tx.select({ table: syncTombstones.tableName, id: syncTombstones.rowId }).from(syncTombstones)
        .where(and(eq(syncTombstones.tenantId, tenantId), gt(syncTombstones.version, position.since), lte(syncTombstones.version, position.target)));
      for (const g of gone) {
        const list = deletes.get(g.table as ReplicatedTable) ?? [];
        list.push(g.id);
        deletes.set(g.table as ReplicatedTable, list);
      }
      position.done += gone.length;
    }
    position.table++;
  }
  return { batches, deletes, position, hasMore: position.table <= TOMBSTONE_PHASE };
}

/** The children of newly arrived parents, whatever their versions (they did not change, so no window holds them). */
async function adoptedChildren(tx: AppDb, tenantId: string, adopt: Adopt): Promise<{ table: ReplicatedTable; rows: Row[] }[]> {
  const out: { table: ReplicatedTable; rows: Row[] }[] = [];
  const parents: Record<ParentTable, string[]> = { leads: [...adopt.leads], deals: [...adopt.deals], approval_requests: [...adopt.approval_requests] };
  for (const parent of ['leads', 'deals', 'approval_requests'] as const) {
    const ids = [...new Set(parents[parent])];
    if (ids.length === 0) continue;
    for (const link of CHILDREN[parent]) {
      const info = pgTableOf(link.table);
      const col = info.columns[link.field]!;
      const rows = await selectRows(tx, link.table, and(
        eq(info.tenant, tenantId), sql`${col} = ANY(${sql.param(ids)}::text[])`, link.entityType ? eq(info.columns['entityType']!, link.entityType) : undefined,
      )!);
      if (rows.length === 0) continue;
      out.push({ table: link.table, rows });
      // A deal's approval requests bring their own events and history.
      if (link.table === 'approval_requests') parents.approval_requests.push(...rows.map((r) => String(r['id'])));
    }
  }
  return out;
}

/** A table's changes as a pull sends them: each row as its JSON text (an array of its values in `fields` order). */
export type ServedChanges = Omit<TableChanges, 'rows'> & { rows: string[] };
/** A pull's answer as the server sends it (see pullBody). */
export type ServedPull = Omit<PullResponse, 'changes'> & { changes: ServedChanges[] };

function encode(table: ReplicatedTable, rows: Row[], deletes: string[]): ServedChanges {
  // The row's change version travels too: the replica keeps it (0 there means "made locally, not yet synced").
  const fields = [...pgTableOf(table).fields, 'version'];
  // A page's rows come with their JSON text made by the database; a few others (adopted children, deals routed by
  // their approval) are whole entities.
  const text = (r: Row) => (r[ROW_JSON] as string | undefined) ?? JSON.stringify(fields.map((f) => r[f] ?? null));
  return { table, fields, rows: rows.map(text), deletes };
}

/** The JSON body of a pull's answer: its rows' texts spliced in as they are. */
export function pullBody(res: ServedPull): string {
  const { changes, ...rest } = res;
  const served = changes.map((c) => `{"table":${JSON.stringify(c.table)},"fields":${JSON.stringify(c.fields)},"deletes":${JSON.stringify(c.deletes)},"rows":[${c.rows.join(',')}]}`);
  return `${JSON.stringify(rest).slice(0, -1)},"changes":[${served.join(',')}]}`;
}

export interface ClientProgress {
  last: number;
  results: MutationResult[];
}

const progressKey = (clientId: string, ackedThrough: number) => `${clientId} ${ackedThrough}`;

/**
 * Each client's last processed mutation id and its refusals after `ackedThrough`, in one round trip for them all;
 * keyed by progressKey (a client may ask twice in one snapshot).
 */
export async function clientsProgress(tx: AppDb, clients: readonly { clientId: string; ackedThrough: number }[]): Promise<Map<string, ClientProgress>> {
  const asked = [...new Map(clients.map((c) => [progressKey(c.clientId, c.ackedThrough), c])).values()];
  const rows = await queryRows<{ clientId: string; acked: number; last: number | null; mutationId: number | null; name: string | null; error: ErrorBody | null }>(tx, sql`SELECT
    a.c AS "clientId", a.acked, s.last_mutation_id::float8 AS last, r.mutation_id::float8 AS "mutationId", r.name, r.error
    FROM unnest(${sql.param(asked.map((c) => c.clientId))}::text[], ${sql.param(asked.map((c) => c.ackedThrough))}::float8[]) AS a(c, acked)
    LEFT JOIN ${syncClients} s ON s.client_id = a.c
    LEFT JOIN ${mutationResults} r ON r.client_id = a.c AND r.mutation_id > a.acked
    ORDER BY a.c, a.acked, r.mutation_id`);
  const out = new Map<string, ClientProgress>(asked.map((c) => [progressKey(c.clientId, c.ackedThrough), { last: 0, results: [] }]));
  for (const r of rows) {
    const progress = out.get(progressKey(r.clientId, Number(r.acked)))!;
    progress.last = Number(r.last ?? 0);
    if (r.mutationId !== null) progress.results.push({ mutationId: Number(r.mutationId), name: r.name!, error: r.error! });
  }
  return out;
}

export function progressOf(progress: Map<string, ClientProgress>, clientId: string, ackedThrough: number): ClientProgress {
  return progress.get(progressKey(clientId, ackedThrough))!;
}

/** Drops acknowledged refusals of the clients (they have been rolled back and shown on their replicas). */
export async function forgetResults(db: AppDb, clients: readonly { clientId: string; ackedThrough: number }[]): Promise<void> {
  const acked = clients.filter((c) => c.ackedThrough > 0);
  if (acked.length === 0) return;
  await db.execute(sql`DELETE FROM ${mutationResults} r USING unnest(${sql.param(acked.map((c) => c.clientId))}::text[], ${sql.param(acked.map((c) => c.ackedThrough))}::float8[]) AS a(c, through)
    WHERE r.client_id = a.c AND r.mutation_id <= a.through`);
}

const copyDeletes = (deletes: Map<ReplicatedTable, string[]>) => new Map<ReplicatedTable, string[]>([...deletes].map(([table, ids]) => [table, [...ids]]));

/**
 * One pull inside a snapshot that other pulls may share: what several of them ask alike (the horizon, the window's
 * counts, a page, the viewer's pipelines) is read once.
 */
export async function pullInSnapshot(reads: SnapshotReads, auth: RequestAuth, req: ParsedPullRequest, progress: ClientProgress): Promise<ServedPull> {
  const tenantId = auth.user.tenantId;
  const viewerKey = JSON.stringify(auth.viewer);
  const view = await reads.once(`view ${viewerKey}`, (tx) => loadViewerView(tx, auth.viewer));
  const { position, starts } = await positionFor(reads, view, req);
  // The page does not depend on the viewer: viewers of other scopes share it (each gets its own scope back).
  const pageKey = `page ${tenantId} ${JSON.stringify({ ...position, scope: '' })} ${req.limit}`;
  const shared = await reads.once(pageKey, (tx) => readPage(tx, tenantId, position, req.limit));
  const page = { ...shared, position: { ...shared.position, scope: view.scope }, deletes: copyDeletes(shared.deletes) };
  const tx = reads.tx;
  const adopted = req.adopt ? await adoptedChildren(tx, tenantId, req.adopt) : [];
  // Deals whose approval moved to or away from the viewer enter or leave their view though their rows did not change.
  const routed = page.position.reset ? [] : await dealsOfChangedRequests(tx, view, page.batches);
  const all = [...page.batches, ...adopted, ...routed];
  const ctxV = adopted.length + routed.length === 0
    ? await reads.once(`context ${viewerKey} ${JSON.stringify(position)} ${req.limit}`, () => contextFor(tx, view, all))
    : await contextFor(tx, view, all);
  const upserts = new Map<ReplicatedTable, Row[]>();
  const deletes = page.deletes;
  for (const b of all) {
    for (const row of b.rows) {
      if (rowVisible(b.table, row, ctxV)) {
        const list = upserts.get(b.table) ?? [];
        list.push(row);
        upserts.set(b.table, list);
      } else if (!page.position.reset) {
        // Changed and not (or no longer) visible: a replica that holds it must drop it.
        const list = deletes.get(b.table) ?? [];
        list.push(String(row[b.table === 'scoring_configs' ? 'tenantId' : 'id']));
        deletes.set(b.table, list);
      }
    }
  }
  const changes: ServedChanges[] = [];
  for (const table of REPLICATED_TABLES) {
    const rows = upserts.get(table) ?? [];
    const gone = deletes.get(table) ?? [];
    if (rows.length > 0 || gone.length > 0) changes.push(encode(table, rows, gone));
  }
  return {
    reset: starts,
    position: page.position,
    hasMore: page.hasMore,
    cursor: page.hasMore ? null : { version: page.position.target, scope: view.scope },
    lastMutationId: progress.last,
    results: progress.results,
    changes,
  };
}
