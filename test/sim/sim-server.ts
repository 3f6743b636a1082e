// The simulation's server: the real app over PGlite or PostgreSQL with a hand-moved clock and deterministic ids,
// restartable, plus direct sessions (no password hashing per run) and admin changes that revoke access.
import type { FastifyInstance } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { buildServer } from '../../src-server/app/build-server';
import { createContext } from '../../src-server/app/server-context';
import type { ServerContext } from '../../src-server/app/server-context';
import { loadSigningKey } from '../../src-server/auth/signing-key';
import { signAccessToken } from '../../src-server/auth/tokens';
import { roles, users } from '../../src-server/db/schema/accounts.table';
import { authSessions, devices } from '../../src-server/db/schema/auth.table';
import { nextVersion } from '../../src-server/db/tenant-version';
import { publishHubEvent } from '../../src-server/notifications/notification-hub';
import { seedDemoTenant } from '../../src-server/seed/demo-tenant';
import type { SeededTenant } from '../../src-server/seed/demo-tenant';
import type { DatabaseKind, TestDatabase } from '../helpers/server-db';
import { ManualClock, createTestDatabase, testConfig } from '../helpers/server-db';

export interface SimServer {
  kind: DatabaseKind;
  clock: ManualClock;
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  /** Stops the app and starts a new one on the same database (what a server restart looks like to clients). */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startSimServer(kind: DatabaseKind): Promise<SimServer> {
  const testDb: TestDatabase = await createTestDatabase(kind);
  const clock = new ManualClock();
  let n = 0;
  const signingKey = await loadSigningKey(testDb.database.db, null, clock.now());
  // Deterministic ids: a run replays the same way from its seed.
  const ctx = createContext({ config: testConfig(kind), database: testDb.database, log: pino({ level: process.env.SIM_LOG_LEVEL ?? 'silent' }), signingKey, clock, newId: () => `srv-${(++n).toString(36).padStart(8, '0')}` });
  let app = buildServer(ctx);
  await app.ready();
  return {
    kind,
    clock,
    get app() {
      return app;
    },
    ctx,
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

export async function seedSimTenant(server: SimServer, seed: number): Promise<SeededTenant> {
  return seedDemoTenant(server.ctx.db, { now: server.clock.now(), seed, slug: `sim-${seed}`, name: `Sim ${seed}`, formKey: null, leads: 12, deals: 6, activities: 12 });
}

/** A signed-in device for `user`, made directly (sign-in's password hashing would dominate a run). */
export async function registerDevice(server: SimServer, user: SimUser, clientId: string): Promise<SimDevice> {
  const now = server.clock.now();
  const sessionId = `${clientId}-session`;
  await server.ctx.db.insert(devices).values({ id: clientId, tenantId: user.tenantId, userId: user.userId, name: clientId, createdAt: now, lastSeenAt: now });
  await server.ctx.db.insert(authSessions).values({ id: sessionId, tenantId: user.tenantId, userId: user.userId, deviceId: clientId, createdAt: now });
  return { user, clientId, sessionId };
}

export async function accessToken(server: SimServer, device: SimDevice): Promise<string> {
  return (await signAccessToken(server.ctx.signingKey, { userId: device.user.userId, tenantId: device.user.tenantId, sessionId: device.sessionId, clientId: device.clientId }, server.clock.now())).token;
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

/** How many times each entity was created, by the audit log (more than one: a mutation applied twice). */
export async function createCounts(server: SimServer, tenantId: string): Promise<Map<string, number>> {
  const result = await server.ctx.db.execute(sql`SELECT entity_type || ':' || entity_id AS k, count(*)::int AS n FROM audit_log WHERE tenant_id = ${tenantId} AND action = 'create' GROUP BY 1`);
  return new Map((result as unknown as { rows: { k: string; n: number }[] }).rows.map((r) => [r.k, r.n]));
}
