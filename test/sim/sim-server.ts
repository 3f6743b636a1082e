// The simulation's server: the real app over PGlite or PostgreSQL with a hand-moved clock and deterministic ids,
// restartable, plus direct sessions (no password hashing per run) and admin changes that revoke access. One server
// and database serve many runs, each on a tenant of its own.
import type { FastifyInstance } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { buildServer } from '../../src-server/app/build-server';
import { createContext } from '../../src-server/app/server-context';
import type { Clock, ServerContext } from '../../src-server/app/server-context';
import { loadSigningKey } from '../../src-server/auth/signing-key';
import { signAccessToken } from '../../src-server/auth/tokens';
import { roles, users } from '../../src-server/db/schema/accounts.table';
import { authSessions, devices } from '../../src-server/db/schema/auth.table';
import { nextVersion } from '../../src-server/db/tenant-version';
import { publishHubEvent } from '../../src-server/notifications/notification-hub';
import { seedDemoTenant } from '../../src-server/seed/demo-tenant';
import type { SeededTenant } from '../../src-server/seed/demo-tenant';
import type { DatabaseKind, TestDatabase } from '../helpers/server-db';
import { TEST_EPOCH, createTestDatabase, testConfig } from '../helpers/server-db';

/** The server's clock: moved by hand, and set back to the same instant at the start of every run. */
export class SimClock implements Clock {
  private t = TEST_EPOCH;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  reset(): void {
    this.t = TEST_EPOCH;
  }
}

export interface SimServer {
  kind: DatabaseKind;
  clock: SimClock;
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  /** Starts a run: the clock back at its start, server ids numbered afresh under the run's tag. */
  beginRun(tag: string): void;
  /** Stops the app and starts a new one on the same database (what a server restart looks like to clients). */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startSimServer(kind: DatabaseKind): Promise<SimServer> {
  const testDb: TestDatabase = await createTestDatabase(kind);
  const clock = new SimClock();
  let prefix = 'srv-';
  let n = 0;
  const signingKey = await loadSigningKey(testDb.database.db, null, clock.now());
  // Deterministic ids: a run replays the same way from its scenario, whatever ran before it on this server.
  const ctx = createContext({ config: testConfig(kind), database: testDb.database, log: pino({ level: process.env.SIM_LOG_LEVEL ?? 'silent' }), signingKey, clock, newId: () => `${prefix}${(++n).toString(36).padStart(8, '0')}` });
  let app = buildServer(ctx);
  await app.ready();
  return {
    kind,
    clock,
    get app() {
      return app;
    },
    ctx,
    beginRun(tag) {
      clock.reset();
      prefix = `s${tag}-`;
      n = 0;
    },
    async restart() {
      await app.close();
      app = buildServer(ctx);
      await app.ready();
    },
    async dispose() {
      await app.close();
      await testDb.dispose();
    },
  };
}

export interface SimUser {
  userId: string;
  tenantId: string;
  role: 'admin' | 'manager' | 'rep';
}

export interface SimDevice {
  user: SimUser;
  clientId: string;
  sessionId: string;
}

async function rowsOf<T>(server: SimServer, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await server.ctx.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Deletes a tenant and everything it holds. A scenario's tenant derives from the scenario, so a scenario run again on
 * the same server (fast-check's shrinking does) first clears what the earlier run left. Foreign keys are not
 * enforced meanwhile (replication role), so the tables can go in any order.
 */
async function purgeTenant(server: SimServer, tenantId: string): Promise<void> {
  const tables = await rowsOf<{ t: string }>(server, sql`SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`);
  await server.ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(sql`DELETE FROM lead_dedupe_keys WHERE lead_id IN (SELECT id FROM leads WHERE tenant_id = ${tenantId})`);
    for (const { t } of tables) await tx.execute(sql`DELETE FROM ${sql.identifier(t)} WHERE tenant_id = ${tenantId}`);
    await tx.execute(sql`DELETE FROM tenants WHERE id = ${tenantId}`);
  });
}

/** The scenario's tenant, seeded from `world`: the same world gives the same tenant, ids included. */
export async function seedSimTenant(server: SimServer, world: number): Promise<SeededTenant> {
  const options = { now: server.clock.now(), seed: world, slug: `sim-${world}`, name: `Sim ${world}`, formKey: null, leads: 12, deals: 6, activities: 12 };
  const seeded = await seedDemoTenant(server.ctx.db, options);
  if (seeded.created) return seeded;
  await purgeTenant(server, seeded.tenantId);
  return seedDemoTenant(server.ctx.db, options);
}

/** A signed-in device for `user`, made directly (sign-in's password hashing would dominate a run). */
export async function registerDevice(server: SimServer, user: SimUser, clientId: string): Promise<SimDevice> {
  const now = server.clock.now();
  const sessionId = `${clientId}-session`;
  await server.ctx.db.insert(devices).values({ id: clientId, tenantId: user.tenantId, userId: user.userId, name: clientId, createdAt: now, lastSeenAt: now });
  await server.ctx.db.insert(authSessions).values({ id: sessionId, tenantId: user.tenantId, userId: user.userId, deviceId: clientId, createdAt: now });
  return { user, clientId, sessionId };
}

const tokens = new WeakMap<SimDevice, { at: number; token: string }>();

/** The device's access token as of the server's clock (signed again only when the clock has moved). */
export async function accessToken(server: SimServer, device: SimDevice): Promise<string> {
  const now = server.clock.now();
  const cached = tokens.get(device);
  if (cached?.at === now) return cached.token;
  const { token } = await signAccessToken(server.ctx.signingKey, { userId: device.user.userId, tenantId: device.user.tenantId, sessionId: device.sessionId, clientId: device.clientId }, now);
  tokens.set(device, { at: now, token });
  return token;
}

/** Writes as an administrator would, with a change version and a poke: the rows, or the viewer's scope, change. */
async function adminWrite(server: SimServer, tenantId: string, write: (tx: Parameters<Parameters<ServerContext['db']['transaction']>[0]>[0], version: number) => Promise<void>): Promise<void> {
  const version = await server.ctx.db.transaction(async (tx) => {
    const v = await nextVersion(tx, tenantId);
    await write(tx, v);
    return v;
  });
  await publishHubEvent(server.ctx.db, { type: 'poke', tenantId, version });
}

/** Gives or takes the rep role's team visibility: every rep's view scope changes (their replicas reset). */
export async function toggleRepTeamView(server: SimServer, tenantId: string): Promise<void> {
  await adminWrite(server, tenantId, async (tx, version) => {
    const [role] = await tx.select().from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.name, 'rep')));
    const has = role!.permissions.includes('leads.viewTeam');
    const permissions = has ? role!.permissions.filter((p) => p !== 'leads.viewTeam' && p !== 'deals.viewTeam') : [...role!.permissions, 'leads.viewTeam' as const, 'deals.viewTeam' as const];
    await tx.update(roles).set({ permissions, version }).where(eq(roles.id, role!.id));
  });
}

/** Moves a user to another team (or back): their scope, and their manager's, change. */
export async function moveToOtherTeam(server: SimServer, tenantId: string, userId: string, teamIds: readonly string[]): Promise<void> {
  await adminWrite(server, tenantId, async (tx, version) => {
    const [user] = await tx.select({ teamId: users.teamId }).from(users).where(eq(users.id, userId));
    const next = teamIds.find((t) => t !== user!.teamId) ?? null;
    await tx.update(users).set({ teamId: next, version }).where(eq(users.id, userId));
  });
}

/** The tenant's change version: it moves with every processed push and every administrative change. */
export async function tenantVersion(server: SimServer, tenantId: string): Promise<number> {
  const [row] = await rowsOf<{ v: number }>(server, sql`SELECT version::int AS v FROM tenant_versions WHERE tenant_id = ${tenantId}`);
  return row?.v ?? 0;
}

/** How many times each entity was created, by the audit log (more than one: a mutation applied twice). */
export async function createCounts(server: SimServer, tenantId: string): Promise<Map<string, number>> {
  const rows = await rowsOf<{ k: string; n: number }>(server, sql`SELECT entity_type || ':' || entity_id AS k, count(*)::int AS n FROM audit_log WHERE tenant_id = ${tenantId} AND action = 'create' GROUP BY 1`);
  return new Map(rows.map((r) => [r.k, r.n]));
}
