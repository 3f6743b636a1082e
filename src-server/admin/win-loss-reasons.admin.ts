// Admin routes of win/loss reasons: the reasons a deal is closed with; one deals were closed with is deactivated, not deleted.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../src-shared/domain/visibility';
import { DeleteQuery, WinLossReasonCreate, WinLossReasonPatch } from '../../src-shared/http/admin.http';
import type { ItemList, WinLossReasonRecord } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { deals, winLossReasons } from '../db/schema/deals.table';
import { parseInput } from '../http/parse-input';
import { adminWrite } from './admin-write';
import { checkExpected, conflict, counted, notFound, requirePermission } from './admin-checks';
import { countWhere } from './tenant-refs';

type ReasonRow = typeof winLossReasons.$inferSelect;

const snapshot = ({ version: _v, tenantId: _t, ...reason }: ReasonRow) => reason;

async function reasonOf(db: AppDb, tenantId: string, id: string): Promise<ReasonRow> {
  const [row] = await db.select().from(winLossReasons).where(and(eq(winLossReasons.id, id), eq(winLossReasons.tenantId, tenantId)));
  if (!row) throw notFound('win/loss reason');
  return row;
}

export const winLossReasonAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    return viewer;
  };

  app.get('/win-loss-reasons', async (request): Promise<ItemList<WinLossReasonRecord>> => {
    const viewer = editor(request);
    return { items: await ctx.db.select().from(winLossReasons).where(eq(winLossReasons.tenantId, viewer.tenantId)).orderBy(asc(winLossReasons.kind), asc(winLossReasons.label), asc(winLossReasons.id)) };
  });

  app.get('/win-loss-reasons/:id', async (request): Promise<WinLossReasonRecord> =>
    reasonOf(ctx.db, editor(request).tenantId, parseInput(IdParams, request.params, 'params').id),
  );

  app.post('/win-loss-reasons', async (request, reply): Promise<WinLossReasonRecord> => {
    const viewer = editor(request);
    const input = parseInput(WinLossReasonCreate, request.body, 'body');
    const created = await adminWrite(ctx, viewer, async (w) => {
      const [row] = await w.tx.insert(winLossReasons).values({ ...input, id: ctx.newId(), tenantId: w.tenantId, active: true, version: w.version }).returning();
      await w.audit({ entityType: 'config', configType: 'winLossReason', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      return row!;
    });
    reply.code(201);
    return created;
  });

  app.patch('/win-loss-reasons/:id', async (request): Promise<WinLossReasonRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion, ...changes } = parseInput(WinLossReasonPatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await reasonOf(w.tx, w.tenantId, id);
      checkExpected('win/loss reason', 'expectedVersion', expectedVersion, row.version);
      const [updated] = await w.tx.update(winLossReasons).set({ ...changes, version: w.version }).where(eq(winLossReasons.id, id)).returning();
      await w.audit({ entityType: 'config', configType: 'winLossReason', entityId: id, action: 'update', ...changedFields(row, updated!, ['label', 'active']) });
      return updated!;
    });
  });

  app.delete('/win-loss-reasons/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await reasonOf(w.tx, w.tenantId, id);
      checkExpected('win/loss reason', 'expectedVersion', expectedVersion, row.version);
      const used = await countWhere(w.tx, deals, and(eq(deals.tenantId, w.tenantId), eq(deals.wonLostReasonId, id)));
      if (used > 0) throw conflict(`${counted(used, 'deal was', 'deals were')} closed with this reason; deactivate it instead (active: false)`, { deals: used });
      await w.tx.delete(winLossReasons).where(eq(winLossReasons.id, id));
      await w.audit({ entityType: 'config', configType: 'winLossReason', entityId: id, action: 'delete', before: snapshot(row), after: null });
    });
    reply.code(204);
  });
};
