// One simulated scenario: five desktops (admin, manager, a rep on two devices, another rep) with their own SQLite
// files doing random work against the real server under faults, then quiescence and the invariants of BRIEF.md.
// A scenario is self-contained: its tenant, ids and clocks derive from it, so it replays the same way on any server.
import fc from 'fast-check';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { AppError } from '../../src-shared/api/errors';
import { PROTOCOL_VERSION, SCHEMA_VERSION, SYNC_PATHS } from '../../src-shared/sync/sync-protocol';
import type { PullResponse } from '../../src-shared/sync/sync-protocol';
import { REPLICATED_TABLES, replicatedKeyOf } from '../../src-shared/sync/replicated-tables';
import type { ClientCore } from '../../src-main/core/client-core';
import { openSyncedClient } from '../../src-main/sync/synced-client';
import type { SyncedClient } from '../../src-main/sync/synced-client';
import { replicaCodec } from '../../src-main/sync/replica-codecs';
import { openStore } from '../../src-main/store/open-store';
import { FAULTS, SimTransport } from './sim-transport';
import type { Delivery, Fault } from './sim-transport';
import { accessToken, createCounts, moveToOtherTeam, registerDevice, seedSimTenant, tenantVersion, toggleRepTeamView } from './sim-server';
import type { SimDevice, SimServer, SimUser } from './sim-server';

const MINUTE_MS = 60_000;
const FIELDS = ['title', 'phone', 'companyName'] as const;
const DEAL_FIELDS = ['name', 'amountMinor', 'nextStep', 'expectedCloseDate'] as const;

export type Op =
  | { type: 'createLead'; owner: number; name: number }
  | { type: 'updateLead'; pick: number; field: (typeof FIELDS)[number]; value: number }
  | { type: 'assignLead'; pick: number; owner: number }
  | { type: 'qualifyLead'; pick: number }
  | { type: 'logActivity'; pick: number }
  | { type: 'createDeal'; pipeline: number }
  | { type: 'updateDeal'; pick: number; field: (typeof DEAL_FIELDS)[number]; value: number }
  | { type: 'moveDeal'; pick: number; stage: number; amount: number }
  | { type: 'decideApproval'; pick: number; approve: boolean }
  | { type: 'resolveConflict'; pick: number; keepClient: boolean };

export type Step =
  | { kind: 'write'; desktop: number; op: Op }
  /** A sync round with `fault` armed for its request after the first `at` ones (a push, or a pull page). */
  | { kind: 'sync'; desktop: number; fault: Fault; at: number }
  | { kind: 'kill'; desktop: number }
  | { kind: 'revoke'; what: 'toggleRepTeamView' | 'moveRep2Team' }
  | { kind: 'advance'; minutes: number };

export interface Scenario {
  /** The tenant's seed: its data and ids. */
  world: number;
  /** Each desktop's clock offset from the server's, in minutes (hours of skew). */
  skews: number[];
  steps: Step[];
}

const DESKTOPS = 5;
/** Fault-free rounds after which every desktop must be in step with the server (more: a resync loop). */
const QUIESCENCE_ROUNDS = 5;
// Small picks, so desktops often touch the same records (where merges and conflicts happen).
const pick = fc.nat({ max: 3 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('createLead' as const), owner: fc.nat({ max: 4 }), name: pick }),
  fc.record({ type: fc.constant('updateLead' as const), pick, field: fc.constantFrom(...FIELDS), value: pick }),
  fc.record({ type: fc.constant('assignLead' as const), pick, owner: fc.nat({ max: 3 }) }),
  fc.record({ type: fc.constant('qualifyLead' as const), pick }),
  fc.record({ type: fc.constant('logActivity' as const), pick }),
  fc.record({ type: fc.constant('createDeal' as const), pipeline: fc.nat({ max: 1 }) }),
  fc.record({ type: fc.constant('updateDeal' as const), pick, field: fc.constantFrom(...DEAL_FIELDS), value: pick }),
  fc.record({ type: fc.constant('moveDeal' as const), pick, stage: fc.nat({ max: 5 }), amount: fc.nat({ max: 80_000 }) }),
  fc.record({ type: fc.constant('decideApproval' as const), pick, approve: fc.boolean() }),
  fc.record({ type: fc.constant('resolveConflict' as const), pick, keepClient: fc.boolean() }),
);

const desktop = fc.nat({ max: DESKTOPS - 1 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('write' as const), desktop, op: opArb }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('sync' as const), desktop, fault: fc.constantFrom(...FAULTS), at: fc.nat({ max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill' as const), desktop }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), what: fc.constantFrom('toggleRepTeamView' as const, 'moveRep2Team' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 240 }) }) },
);

export function scenarioArb(maxSteps: number): fc.Arbitrary<Scenario> {
  return fc.record({
    world: fc.integer({ min: 1, max: 0x7fff_ffff }),
    skews: fc.array(fc.integer({ min: -6 * 60, max: 6 * 60 }), { minLength: DESKTOPS, maxLength: DESKTOPS }),
    steps: fc.array(stepArb, { minLength: Math.ceil(maxSteps / 2), maxLength: maxSteps }),
  });
}

interface Desk {
  index: number;
  device: SimDevice;
  dir: string;
  transport: SimTransport;
  client: SyncedClient;
  /** Mutation ids the server refused (from the sync client's events). */
  refused: Set<number>;
  /** Leads this desktop created locally, by the mutation id that created them. */
  created: Map<string, number>;
  /** Records every desktop prefers to work on (rep 1's, which most of them see), so edits collide. */
  focus: { leads: string[]; deals: string[] };
}

/** Every replicated row by table and key, without the sync version (the shape both sides are compared in). */
type Snapshot = Record<string, Record<string, Record<string, unknown>>>;

function replicaSnapshot(core: ClientCore): Snapshot {
  const out: Snapshot = {};
  for (const table of REPLICATED_TABLES) {
    const codec = replicaCodec(table);
    const rows = core.store.sqlite.prepare(`SELECT ${codec.selectList} FROM "${table}"`).raw(true).all() as unknown[][];
    out[table] = Object.fromEntries(rows.map((raw) => {
      const e = codec.fromRaw(raw) as Record<string, unknown>;
      return [String(e[replicatedKeyOf(table)]), e];
    }));
  }
  return out;
}

/** The server's data filtered to a device's user: a fresh full pull as that device. */
async function serverView(server: SimServer, device: SimDevice): Promise<Snapshot> {
  const out: Snapshot = Object.fromEntries(REPLICATED_TABLES.map((t) => [t, {}]));
  let position: PullResponse['position'] | undefined;
  for (;;) {
    const res = await server.app.inject({
      method: 'POST', url: SYNC_PATHS.pull, headers: { authorization: `Bearer ${await accessToken(server, device)}` },
      payload: { clientId: device.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, cursor: null, ...(position ? { position } : {}) },
    });
    const page = JSON.parse(res.body) as PullResponse;
    for (const c of page.changes) {
      for (const values of c.rows) {
        const row = Object.fromEntries(c.fields.map((f, i) => [f, values[i]]).filter(([f]) => f !== 'version'));
        out[c.table]![String(row[replicatedKeyOf(c.table as never)])] = row;
      }
    }
    if (!page.hasMore) return out;
    position = page.position;
  }
}

function describeDiff(a: Snapshot, b: Snapshot): string {
  const lines: string[] = [];
  for (const table of REPLICATED_TABLES) {
    const x = a[table] ?? {};
    const y = b[table] ?? {};
    for (const id of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (JSON.stringify(x[id]) === JSON.stringify(y[id])) continue;
      if (!x[id]) lines.push(`${table} ${id}: missing on the replica`);
      else if (!y[id]) lines.push(`${table} ${id}: on the replica, not in the server's view`);
      else {
        const fields = Object.keys({ ...x[id], ...y[id] }).filter((f) => JSON.stringify(x[id]![f]) !== JSON.stringify(y[id]![f]));
        lines.push(`${table} ${id}: ${fields.map((f) => `${f} replica=${JSON.stringify(x[id]![f])} server=${JSON.stringify(y[id]![f])}`).join('; ')}`);
      }
      if (lines.length >= 8) return lines.join('\n');
    }
  }
  return lines.join('\n');
}

function rows(core: ClientCore, query: string, ...params: unknown[]): Record<string, unknown>[] {
  return core.store.sqlite.prepare(query).all(...params) as Record<string, unknown>[];
}

/** Nothing pending, no pull or adoption unfinished, and the last pull reached the tenant's `version`. */
function inStep(core: ClientCore, version: number): boolean {
  const state = new Map(rows(core, `SELECT key, value FROM sync_state WHERE key IN ('cursor', 'pull', 'adopt', 'reset')`).map((r) => [String(r['key']), JSON.parse(String(r['value'])) as unknown]));
  return !hasWork(core) && (state.get('cursor') as { version: number } | undefined)?.version === version;
}

/** Something to push, or a pull or adoption to finish. */
function hasWork(core: ClientCore): boolean {
  return rows(core, `SELECT 1 FROM outbox UNION ALL SELECT 1 FROM sync_state WHERE key IN ('pull', 'adopt', 'reset') LIMIT 1`).length > 0;
}

let template: string | null = null;

/** A migrated empty store, made once per process: each desktop starts from a copy rather than migrating its own. */
function templateStore(): string {
  if (template) return template;
  const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-sim-template-'));
  openStore(join(dir, 'crm.db')).close();
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (template = join(dir, 'crm.db'));
}

/** What a run exercised, summed over runs for the report. */
export interface SimStats {
  runs: number;
  writes: number;
  localRefusals: number;
  serverRefusals: number;
  conflicts: number;
  faults: number;
  kills: number;
  revocations: number;
  mutationsProcessed: number;
}

export const STATS: SimStats = { runs: 0, writes: 0, localRefusals: 0, serverRefusals: 0, conflicts: 0, faults: 0, kills: 0, revocations: 0, mutationsProcessed: 0 };

export class SimFailure extends Error {}

/** Runs one scenario on its own tenant of `server` and checks the invariants; throws a SimFailure naming the breach. */
export async function runScenario(server: SimServer, scenario: Scenario): Promise<void> {
  // Every id of the run carries the world's tag: unique on the server, and the same each time the scenario runs.
  const tag = scenario.world.toString(36).padStart(6, '0');
  server.beginRun(tag);
  const seeded = await seedSimTenant(server, scenario.world);
  const tenantId = seeded.tenantId;
  const byEmail = (e: string) => seeded.dataset.users.find((u) => u.email === e)!;
  const people = ['admin@demo.test', 'manager@demo.test', 'rep1@demo.test', 'rep1@demo.test', 'rep2@demo.test'].map(byEmail);
  const users: SimUser[] = people.map((u) => ({ userId: u.id, tenantId, role: u.role }));
  const deliveries: Delivery[] = [];
  const desks: Desk[] = [];
  let ids = 0;
  const rep1 = users[2]!.userId;
  const focus = {
    leads: seeded.dataset.leads.filter((l) => l.ownerId === rep1 && !l.archived).map((l) => l.id).sort().slice(0, 3),
    deals: seeded.dataset.deals.filter((x) => x.ownerId === rep1 && x.status === 'open').map((x) => x.id).sort().slice(0, 3),
  };

  const open = (index: number, device: SimDevice, dir: string, transport: SimTransport): SyncedClient =>
    openSyncedClient({
      dbPath: join(dir, 'crm.db'),
      identity: { tenantId, userId: device.user.userId },
      clock: () => server.clock.now() + scenario.skews[index]! * MINUTE_MS,
      newId: () => `x${tag}d${index}n${(++ids).toString(36)}`,
      logError: () => {},
      serverUrl: 'http://sim.invalid',
      auth: { clientId: device.clientId, accessToken: () => accessToken(server, device), refresh: () => accessToken(server, device) },
      transport,
      live: false,
      start: false,
      // No checkpointer thread per desktop: SQLite's own checkpoints do, and a run opens a dozen stores.
      sync: { syncOnWrite: false, retryBaseMs: 3_600_000, retryMaxMs: 3_600_000, newId: () => `x${tag}d${index}r${(++ids).toString(36)}`, pageLimit: 40, chunkRows: 25, walCheckpointer: false },
    });

  try {
    for (let i = 0; i < DESKTOPS; i++) {
      const device = await registerDevice(server, users[i]!, `sim${tag}-dev${i}`);
      const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-sim-'));
      copyFileSync(templateStore(), join(dir, 'crm.db'));
      let n = 0;
      const transport = new SimTransport(server, () => accessToken(server, device), deliveries, (k) => (n = (n * 31 + 7 + i) % 9973) % k);
      const desk: Desk = { index: i, device, dir, transport, client: open(i, device, dir, transport), refused: new Set(), created: new Map(), focus };
      desk.client.sync.on('refused', (r) => desk.refused.add(r.mutationId));
      desks.push(desk);
      await desk.client.sync.syncNow();
    }

    for (const step of scenario.steps) await runStep(server, desks, users, seeded.dataset.teams.map((t) => t.id), tenantId, step, open);
    for (const d of desks) {
      d.transport.arm('none');
      STATS.faults += d.transport.fired;
    }

    // Quiescence, without faults: desktops with something to push (or a pull to finish) sync first, then those whose
    // cursor is behind the tenant's version pull, until every one is in step.
    for (let round = 1; ; round++) {
      const version = await tenantVersion(server, tenantId);
      const working = desks.filter((d) => hasWork(d.client.core));
      const behind = working.length > 0 ? working : desks.filter((d) => !inStep(d.client.core, version));
      if (behind.length === 0) break;
      if (round > 2 * QUIESCENCE_ROUNDS) throw new SimFailure(`desktops ${behind.map((d) => d.index).join(', ')} still out of step after ${QUIESCENCE_ROUNDS} fault-free sync rounds (a resync loop)`);
      for (const d of behind) await d.client.sync.syncNow();
    }

    const counts = await createCounts(server, tenantId);
    const conflicts = await server.ctx.db.execute(sql`SELECT count(*)::int AS n FROM conflicts WHERE tenant_id = ${tenantId}`);
    STATS.conflicts += (conflicts as unknown as { rows: { n: number }[] }).rows[0]!.n;
    for (const d of desks) STATS.serverRefusals += d.refused.size;
    for (const [entity, n] of counts) if (n > 1) throw new SimFailure(`${entity} was created ${n} times (a mutation applied twice)`);
    const applied = new Map<string, number>();
    for (const d of deliveries) {
      for (const o of d.outcomes) {
        if (o.status === 'skipped') continue;
        const key = `${d.clientId}#${o.mutationId}`;
        applied.set(key, (applied.get(key) ?? 0) + 1);
        if (applied.get(key)! > 1) throw new SimFailure(`mutation ${key} was processed twice`);
      }
    }
    // The server's view depends on the user, not the device: one full pull per user.
    const views = new Map<string, Snapshot>();
    for (const d of desks) {
      const status = d.client.sync.status();
      if (status.pending !== 0) throw new SimFailure(`desktop ${d.index} still has ${status.pending} pending mutations after quiescence`);
      const local = rows(d.client.core, `SELECT value FROM sync_state WHERE key = 'nextMutationId'`)[0];
      const issued = local ? Number(JSON.parse(String(local['value']))) - 1 : 0;
      const server_ = await server.ctx.db.execute(sql`SELECT last_mutation_id::int AS last FROM sync_clients WHERE client_id = ${d.device.clientId}`);
      const last = (server_ as unknown as { rows: { last: number }[] }).rows[0]?.last ?? 0;
      if (last !== issued) throw new SimFailure(`desktop ${d.index} issued ${issued} mutations but the server processed ${last}`);
      STATS.mutationsProcessed += last;
      for (const [leadId, mutationId] of d.created) {
        if (d.refused.has(mutationId)) continue;
        const found = await server.ctx.db.execute(sql`SELECT 1 FROM leads WHERE id = ${leadId}`);
        if ((found as unknown as { rows: unknown[] }).rows.length === 0) throw new SimFailure(`lead ${leadId} created on desktop ${d.index} (mutation ${mutationId}) is neither on the server nor refused`);
      }
      const replica = replicaSnapshot(d.client.core);
      const userId = d.device.user.userId;
      const view = views.get(userId) ?? await serverView(server, d.device);
      views.set(userId, view);
      if (JSON.stringify(sorted(replica)) !== JSON.stringify(sorted(view))) {
        throw new SimFailure(`desktop ${d.index} (${d.device.user.role}) differs from the server's view of it:\n${describeDiff(replica, view)}`);
      }
    }
    STATS.runs++;
  } finally {
    for (const d of desks) {
      await d.client.close().catch(() => {});
      rmSync(d.dir, { recursive: true, force: true });
    }
  }
}

function sorted(s: Snapshot): Snapshot {
  const out: Snapshot = {};
  for (const t of Object.keys(s).sort()) {
    out[t] = {};
    for (const id of Object.keys(s[t]!).sort()) out[t]![id] = Object.fromEntries(Object.entries(s[t]![id]!).sort(([a], [b]) => a.localeCompare(b)));
  }
  return out;
}

async function runStep(server: SimServer, desks: Desk[], users: SimUser[], teamIds: string[], tenantId: string, step: Step, open: (i: number, device: SimDevice, dir: string, t: SimTransport) => SyncedClient): Promise<void> {
  switch (step.kind) {
    case 'advance':
      server.clock.advance(step.minutes * MINUTE_MS);
      return;
    case 'revoke':
      STATS.revocations++;
      if (step.what === 'toggleRepTeamView') await toggleRepTeamView(server, tenantId);
      else await moveToOtherTeam(server, tenantId, users[4]!.userId, teamIds);
      return;
    case 'kill': {
      // The desktop dies with whatever it has not pushed: its store comes back as the files were on disk (the
      // database and its write-ahead log, no orderly close), and the dead process's connection is abandoned.
      const d = desks[step.desktop]!;
      STATS.kills++;
      const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-sim-'));
      for (const file of ['crm.db', 'crm.db-wal']) if (existsSync(join(d.dir, file))) copyFileSync(join(d.dir, file), join(dir, file));
      await d.client.close();
      rmSync(d.dir, { recursive: true, force: true });
      d.dir = dir;
      d.client = open(d.index, d.device, d.dir, d.transport);
      d.client.sync.on('refused', (r) => d.refused.add(r.mutationId));
      return;
    }
    case 'sync': {
      const d = desks[step.desktop]!;
      d.transport.arm(step.fault, step.at);
      await d.client.sync.syncNow().catch((err: unknown) => {
        if (!(err instanceof Error) || !/request dropped|response lost|server restarted/.test(err.message)) throw err;
      });
      // A round with fewer requests than `at` leaves the fault unfired: it does not carry over.
      d.transport.arm('none');
      return;
    }
    case 'write':
      await write(desks[step.desktop]!, users, step.op);
  }
}

/** Performs `op` on a desktop's local store; a local refusal is a normal outcome (nothing enters the outbox). */
async function write(d: Desk, users: SimUser[], op: Op): Promise<void> {
  const core = d.client.core;
  const nth = <T>(list: T[], k: number): T | undefined => (list.length ? list[k % list.length] : undefined);
  const local = rows(core, 'SELECT id FROM leads ORDER BY id').map((r) => String(r['id']));
  const localDeals = rows(core, 'SELECT id, pipeline_id AS p FROM deals ORDER BY id');
  // The shared focus records when this desktop sees them, else its own.
  const seenFocus = d.focus.leads.filter((id) => local.includes(id));
  const leadIds = seenFocus.length > 0 ? seenFocus : local;
  const focusDeals = localDeals.filter((x) => d.focus.deals.includes(String(x['id'])));
  const deals = focusDeals.length > 0 ? focusDeals : localDeals;
  STATS.writes++;
  try {
    switch (op.type) {
      case 'createLead': {
        const owner = users[op.owner]!.userId;
        const { lead } = await core.call('leads.create', { lastName: `Sim${op.name}`, email: `sim${op.name}@example.com`, ownerId: owner });
        const id = rows(core, 'SELECT max(mutation_id) AS m FROM outbox')[0]!['m'];
        if (typeof id === 'number') d.created.set(lead.id, id);
        return;
      }
      case 'updateLead': {
        const id = nth(leadIds, op.pick);
        if (id) await core.call('leads.update', { id, patch: { [op.field]: op.field === 'phone' ? `+49 30 ${op.value}` : `${op.field} ${op.value}` } });
        return;
      }
      case 'assignLead': {
        const id = nth(leadIds, op.pick);
        if (id) await core.call('leads.assign', { ids: [id], ownerId: users[[0, 1, 2, 4][op.owner]!]!.userId });
        return;
      }
      case 'qualifyLead': {
        const id = nth(leadIds, op.pick);
        if (id) await core.call('leads.qualify', { id });
        return;
      }
      case 'logActivity': {
        const id = nth(leadIds, op.pick);
        if (id) await core.call('activities.log', { entityType: 'lead', entityId: id, kind: 'call', subject: 'Sim call' });
        return;
      }
      case 'createDeal': {
        const pipelines = rows(core, 'SELECT id FROM pipelines ORDER BY position, id');
        const p = nth(pipelines, op.pipeline);
        if (p) await core.call('deals.create', { name: 'Sim deal', pipelineId: String(p['id']) });
        return;
      }
      case 'updateDeal': {
        const deal = nth(deals, op.pick);
        if (!deal) return;
        const value = op.field === 'amountMinor' ? op.value * 100 : op.field === 'expectedCloseDate' ? `2026-0${1 + (op.value % 9)}-15` : `${op.field} ${op.value}`;
        await core.call('deals.update', { id: String(deal['id']), patch: { [op.field]: value } });
        return;
      }
      case 'moveDeal': {
        const deal = nth(deals, op.pick);
        if (!deal) return;
        const stages = rows(core, 'SELECT id FROM stages WHERE pipeline_id = ? ORDER BY position', deal['p']);
        const contact = rows(core, 'SELECT id FROM contacts ORDER BY id LIMIT 1')[0];
        const stage = nth(stages, op.stage);
        if (stage) {
          const reasons = rows(core, 'SELECT id, kind FROM win_loss_reasons ORDER BY id');
          const kind = rows(core, 'SELECT kind FROM stages WHERE id = ?', stage['id'])[0]!['kind'];
          const reason = reasons.find((r) => r['kind'] === kind);
          await core.call('deals.move', {
            id: String(deal['id']), toStageId: String(stage['id']),
            patch: { amountMinor: op.amount * 100, expectedCloseDate: '2026-06-30', ...(contact ? { contactId: String(contact['id']) } : {}) },
            ...(reason ? { reasonId: String(reason['id']) } : {}),
          });
        }
        return;
      }
      case 'decideApproval': {
        const mine = rows(core, `SELECT id FROM approval_requests WHERE status = 'pending' AND approver_id = ? ORDER BY id`, d.device.user.userId);
        const r = nth(mine, op.pick);
        if (r) await core.call('approvals.decide', { requestId: String(r['id']), decision: op.approve ? 'approve' : 'reject' });
        return;
      }
      case 'resolveConflict': {
        const open = rows(core, `SELECT id FROM conflicts WHERE status = 'open' ORDER BY id`);
        const c = nth(open, op.pick);
        if (c) await core.call('conflicts.resolve', { id: String(c['id']), keep: op.keepClient ? 'client' : 'server' });
        return;
      }
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    STATS.localRefusals++;
  }
}
