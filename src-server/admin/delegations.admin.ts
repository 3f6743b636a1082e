// Admin routes of delegations: who decides someone's approvals while they are away, and when.
import type { FastifyPluginAsync } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import { hasPermission } from '../../src-shared/domain/visibility';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { FieldProblem } from '../../src-shared/domain/result';
import { DelegationCreate, DelegationPatch, DeleteQuery } from '../../src-shared/http/admin.http';
import type { DelegationRecord, ItemList } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { delegations } from '../db/schema/approvals.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { checkExpected, notFound, refuseFields, requirePermission } from './admin-checks';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { activeUserProblems, refsOf, userProblems } from './tenant-refs';

type DelegationRow = typeof delegations.$inferSelect;

const snapshot = ({ version: _v, tenantId: _t, ...d }: DelegationRow) => d;

/** `config.edit` manages every delegation; an approver (`deals.approve`) manages the delegations of their own approvals. */
const managesAll = (viewer: Viewer) => hasPermission(viewer, 'config.edit');

function mayManage(viewer: Viewer, fromUserId: string): void {
  if (managesAll(viewer) || fromUserId === viewer.userId) return;
  throw new AppError(ErrorCode.FORBIDDEN, 'you may only delegate your own approvals');
}

/** Only what the viewer manages exists for them. */
async function delegationOf(tx: AppDb, viewer: Viewer, id: string): Promise<DelegationRow> {
  const [row] = await tx.select().from(delegations).where(and(eq(delegations.id, id), eq(delegations.tenantId, viewer.tenantId)));
  if (!row || !(managesAll(viewer) || row.fromUserId === viewer.userId)) throw notFound('delegation');
  return row;
}

async function checkDelegation(w: AdminTx, d: Pick<DelegationRow, 'fromUserId' | 'toUserId' | 'startsAt' | 'endsAt'>): Promise<void> {
  const problems: FieldProblem[] = [
    ...(await userProblems(w.tx, w.tenantId, refsOf([['fromUserId', d.fromUserId]]))),
    ...(await activeUserProblems(w.tx, w.tenantId, refsOf([['toUserId', d.toUserId]]))),
  ];
  if (d.toUserId === d.fromUserId) problems.push({ path: 'toUserId', message: 'cannot delegate to oneself' });
  if (d.endsAt <= d.startsAt) problems.push({ path: 'endsAt', message: 'must be after startsAt' });
  refuseFields(problems);
}

export const delegationAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const gate = (viewer: Viewer) => requirePermission(viewer, 'config.edit', 'deals.approve');

  app.get('/delegations', async (request): Promise<ItemList<DelegationRecord>> => {
    const { viewer } = authOf(request);
    gate(viewer);
    const rows = await ctx.db
      .select()
      .from(delegations)
      .where(and(eq(delegations.tenantId, viewer.tenantId), managesAll(viewer) ? undefined : eq(delegations.fromUserId, viewer.userId)))
      .orderBy(asc(delegations.startsAt), asc(delegations.id));
    return { items: rows };
  });

  app.get('/delegations/:id', async (request): Promise<DelegationRecord> => {
    const { viewer } = authOf(request);
    gate(viewer);
    return delegationOf(ctx.db, viewer, parseInput(IdParams, request.params, 'params').id);
  });

  app.post('/delegations', async (request, reply): Promise<DelegationRecord> => {
    const { viewer } = authOf(request);
    gate(viewer);
    const input = parseInput(DelegationCreate, request.body, 'body');
    mayManage(viewer, input.fromUserId);
    const created = await adminWrite(ctx, viewer, async (w) => {
      await checkDelegation(w, input);
      const [row] = await w.tx.insert(delegations).values({ ...input, id: ctx.newId(), tenantId: w.tenantId, version: w.version }).returning();
      await w.audit({ entityType: 'config', configType: 'delegation', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      return row!;
    });
    reply.code(201);
    return created;
  });

  app.patch('/delegations/:id', async (request): Promise<DelegationRecord> => {
    const { viewer } = authOf(request);
    gate(viewer);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion, ...changes } = parseInput(DelegationPatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await delegationOf(w.tx, viewer, id);
      checkExpected('delegation', 'expectedVersion', expectedVersion, row.version);
      await checkDelegation(w, { ...row, ...changes });
      const [updated] = await w.tx.update(delegations).set({ ...changes, version: w.version }).where(eq(delegations.id, id)).returning();
      await w.audit({ entityType: 'config', configType: 'delegation', entityId: id, action: 'update', ...changedFields(row, updated!, ['toUserId', 'startsAt', 'endsAt']) });
      return updated!;
    });
  });

  app.delete('/delegations/:id', async (request, reply) => {
    const { viewer } = authOf(request);
    gate(viewer);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await delegationOf(w.tx, viewer, id);
      checkExpected('delegation', 'expectedVersion', expectedVersion, row.version);
      await w.tx.delete(delegations).where(eq(delegations.id, id));
      await w.audit({ entityType: 'config', configType: 'delegation', entityId: id, action: 'delete', before: snapshot(row), after: null });
    });
    reply.code(204);
  });
};
