// Admin routes of teams: name and manager; a team anything still refers to cannot be deleted.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../src-shared/domain/visibility';
import { DeleteQuery, TeamCreate, TeamPatch } from '../../src-shared/http/admin.http';
import type { ItemList, TeamRecord } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { teams, tenants, users } from '../db/schema/accounts.table';
import { deals, pipelines } from '../db/schema/deals.table';
import { leads } from '../db/schema/leads.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { checkExpected, conflict, counted, notFound, refuseFields, requirePermission } from './admin-checks';
import { activeUserProblems, countWhere, refsOf } from './tenant-refs';

type TeamRow = typeof teams.$inferSelect;

const snapshot = ({ version: _v, tenantId: _t, ...team }: TeamRow) => team;

async function teamOf(db: AppDb, tenantId: string, id: string): Promise<TeamRow> {
  const [row] = await db.select().from(teams).where(and(eq(teams.id, id), eq(teams.tenantId, tenantId)));
  if (!row) throw notFound('team');
  return row;
}

/** What still refers to the team, as "3 users, 12 leads"; empty when nothing does. */
async function dependants(w: AdminTx, id: string): Promise<{ counts: Record<string, number>; text: string[] }> {
  const t = w.tenantId;
  const counts = {
    users: await countWhere(w.tx, users, and(eq(users.tenantId, t), eq(users.teamId, id))),
    leads: await countWhere(w.tx, leads, and(eq(leads.tenantId, t), eq(leads.teamId, id))),
    deals: await countWhere(w.tx, deals, and(eq(deals.tenantId, t), eq(deals.teamId, id))),
    // Dropping a team from a pipeline's view list could widen the list to every team; an admin must decide.
    pipelines: await countWhere(w.tx, pipelines, and(eq(pipelines.tenantId, t), sql`${pipelines.access}->'viewTeamIds' ? ${id}`)),
    distributionFallback: await countWhere(w.tx, tenants, and(eq(tenants.id, t), sql`${tenants.settings}->'distributionFallback'->>'teamId' = ${id}`)),
  };
  const names: Record<keyof typeof counts, [string, string]> = {
    users: ['user', 'users'], leads: ['lead', 'leads'], deals: ['deal', 'deals'], pipelines: ['pipeline', 'pipelines'],
    distributionFallback: ['the distribution fallback', 'the distribution fallback'],
  };
  const text = (Object.keys(counts) as (keyof typeof counts)[])
    .filter((k) => counts[k] > 0)
    .map((k) => (k === 'distributionFallback' ? names[k][0] : counted(counts[k], ...names[k])));
  return { counts, text };
}

export const teamAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const manager = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'users.manage');
    return viewer;
  };

  app.get('/teams', async (request): Promise<ItemList<TeamRecord>> => {
    const viewer = manager(request);
    return { items: await ctx.db.select().from(teams).where(eq(teams.tenantId, viewer.tenantId)).orderBy(asc(teams.name), asc(teams.id)) };
  });

  app.get('/teams/:id', async (request): Promise<TeamRecord> => teamOf(ctx.db, manager(request).tenantId, parseInput(IdParams, request.params, 'params').id));

  app.post('/teams', async (request, reply): Promise<TeamRecord> => {
    const viewer = manager(request);
    const input = parseInput(TeamCreate, request.body, 'body');
    const created = await adminWrite(ctx, viewer, async (w) => {
      refuseFields(await activeUserProblems(w.tx, w.tenantId, refsOf([['managerId', input.managerId]])));
      const [row] = await w.tx.insert(teams).values({ ...input, id: ctx.newId(), tenantId: w.tenantId, version: w.version }).returning();
      await w.audit({ entityType: 'team', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      return row!;
    });
    reply.code(201);
    return created;
  });

  app.patch('/teams/:id', async (request): Promise<TeamRecord> => {
    const viewer = manager(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion, ...changes } = parseInput(TeamPatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await teamOf(w.tx, w.tenantId, id);
      checkExpected('team', 'expectedVersion', expectedVersion, row.version);
      refuseFields(await activeUserProblems(w.tx, w.tenantId, refsOf([['managerId', changes.managerId]])));
      const [updated] = await w.tx.update(teams).set({ ...changes, version: w.version }).where(eq(teams.id, id)).returning();
      await w.audit({ entityType: 'team', entityId: id, action: 'update', ...changedFields(row, updated!, ['name', 'managerId']) });
      return updated!;
    });
  });

  app.delete('/teams/:id', async (request, reply) => {
    const viewer = manager(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await teamOf(w.tx, w.tenantId, id);
      checkExpected('team', 'expectedVersion', expectedVersion, row.version);
      const { counts, text } = await dependants(w, id);
      if (text.length > 0) throw conflict(`the team ${row.name} is still referred to by ${text.join(', ')}; move them first`, counts);
      await w.tx.delete(teams).where(eq(teams.id, id));
      await w.audit({ entityType: 'team', entityId: id, action: 'delete', before: snapshot(row), after: null });
    });
    reply.code(204);
  });
};
