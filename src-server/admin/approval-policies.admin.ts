// Admin routes of approval policies: levels by deal amount, each with its approver, deadline, escalation and timeout action.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ApprovalLevel, ApproverSpec } from '../../src-shared/domain/approvals.schema';
import type { FieldProblem } from '../../src-shared/domain/result';
import type { Viewer } from '../../src-shared/domain/visibility';
import { ApprovalPolicyCreate, ApprovalPolicyPatch, DeleteQuery } from '../../src-shared/http/admin.http';
import type { ApprovalPolicyRecord, ItemList } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { roles } from '../db/schema/accounts.table';
import { approvalPolicies, approvalRequests } from '../db/schema/approvals.table';
import { stages } from '../db/schema/deals.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { checkExpected, conflict, counted, notFound, refuseFields, requirePermission } from './admin-checks';
import { activeUserProblems, countWhere } from './tenant-refs';
import type { IdRef } from './tenant-refs';

type PolicyRow = typeof approvalPolicies.$inferSelect;

const snapshot = ({ version: _v, tenantId: _t, ...policy }: PolicyRow) => policy;

/** Sorted by threshold, ties in the order given (levelsForAmount relies on the order for ties). */
export const sortLevels = (levels: readonly ApprovalLevel[]): ApprovalLevel[] => levels.toSorted((a, b) => a.minAmountMinor - b.minAmountMinor);

/** Every approver and escalation target must be an active user of the tenant, or a role it has. */
async function approverProblems(tx: AppDb, tenantId: string, levels: readonly ApprovalLevel[]): Promise<FieldProblem[]> {
  const specs: [string, ApproverSpec][] = levels.flatMap((level, i) => [
    [`levels.${i}.approver`, level.approver] as [string, ApproverSpec],
    ...(level.escalationTarget ? [[`levels.${i}.escalationTarget`, level.escalationTarget] as [string, ApproverSpec]] : []),
  ]);
  const userRefs: IdRef[] = specs.flatMap(([path, spec]) => (spec.kind === 'user' ? [{ path: `${path}.userId`, id: spec.userId }] : []));
  const roleSpecs = specs.flatMap(([path, spec]) => (spec.kind === 'role' ? [{ path: `${path}.role`, role: spec.role }] : []));
  const problems = await activeUserProblems(tx, tenantId, userRefs);
  if (roleSpecs.length > 0) {
    const known = new Set((await tx.select({ name: roles.name }).from(roles).where(and(eq(roles.tenantId, tenantId), inArray(roles.name, roleSpecs.map((r) => r.role))))).map((r) => r.name));
    problems.push(...roleSpecs.filter((r) => !known.has(r.role)).map((r) => ({ path: r.path, message: 'no such role in this organisation' })));
  }
  return problems;
}

async function policyOf(tx: AppDb, tenantId: string, id: string): Promise<PolicyRow> {
  const [row] = await tx.select().from(approvalPolicies).where(and(eq(approvalPolicies.id, id), eq(approvalPolicies.tenantId, tenantId)));
  if (!row) throw notFound('approval policy');
  return row;
}

const requestsUnder = (w: AdminTx, policyId: string, pendingOnly: boolean) =>
  countWhere(w.tx, approvalRequests, and(eq(approvalRequests.tenantId, w.tenantId), eq(approvalRequests.policyId, policyId), pendingOnly ? eq(approvalRequests.status, 'pending') : undefined));

export const approvalPolicyAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    return viewer;
  };

  app.get('/approval-policies', async (request): Promise<ItemList<ApprovalPolicyRecord>> => {
    const viewer = editor(request);
    return { items: await ctx.db.select().from(approvalPolicies).where(eq(approvalPolicies.tenantId, viewer.tenantId)).orderBy(asc(approvalPolicies.name), asc(approvalPolicies.id)) };
  });

  app.get('/approval-policies/:id', async (request): Promise<ApprovalPolicyRecord> => {
    const viewer = editor(request);
    return policyOf(ctx.db, viewer.tenantId, parseInput(IdParams, request.params, 'params').id);
  });

  app.post('/approval-policies', async (request, reply): Promise<ApprovalPolicyRecord> => {
    const viewer = editor(request);
    const input = parseInput(ApprovalPolicyCreate, request.body, 'body');
    const policy = await adminWrite(ctx, viewer, async (w) => {
      refuseFields(await approverProblems(w.tx, w.tenantId, input.levels));
      const [created] = await w.tx
        .insert(approvalPolicies)
        .values({ id: ctx.newId(), tenantId: w.tenantId, name: input.name, levels: sortLevels(input.levels), configVersion: 1, version: w.version })
        .returning();
      await w.audit({ entityType: 'config', configType: 'approvalPolicy', entityId: created!.id, action: 'create', before: null, after: snapshot(created!) });
      return created!;
    });
    reply.code(201);
    return policy;
  });

  app.patch('/approval-policies/:id', async (request): Promise<ApprovalPolicyRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion, ...changes } = parseInput(ApprovalPolicyPatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await policyOf(w.tx, w.tenantId, id);
      checkExpected('approval policy', 'expectedConfigVersion', expectedConfigVersion, row.configVersion);
      const levels = changes.levels === undefined ? row.levels : sortLevels(changes.levels);
      if (changes.levels !== undefined) {
        refuseFields(await approverProblems(w.tx, w.tenantId, changes.levels));
        // Pending requests point at levels by index; changing the levels under them would change what they wait for.
        const pending = await requestsUnder(w, id, true);
        if (pending > 0 && JSON.stringify(levels) !== JSON.stringify(row.levels)) {
          throw conflict(`${counted(pending, 'approval request is', 'approval requests are')} pending under this policy; its levels can change once they are decided`, { pendingApprovals: pending });
        }
      }
      const [updated] = await w.tx
        .update(approvalPolicies)
        .set({ name: changes.name ?? row.name, levels, configVersion: row.configVersion + 1, version: w.version })
        .where(eq(approvalPolicies.id, id))
        .returning();
      await w.audit({ entityType: 'config', configType: 'approvalPolicy', entityId: id, action: 'update', ...changedFields(row, updated!, ['name', 'levels', 'configVersion']) });
      return updated!;
    });
  });

  app.delete('/approval-policies/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await policyOf(w.tx, w.tenantId, id);
      checkExpected('approval policy', 'expectedConfigVersion', expectedConfigVersion, row.configVersion);
      const gated = await countWhere(w.tx, stages, and(eq(stages.tenantId, w.tenantId), eq(stages.approvalPolicyId, id)));
      if (gated > 0) throw conflict(`${counted(gated, 'stage needs', 'stages need')} approval under this policy; take it off them first`, { stages: gated });
      const requests = await requestsUnder(w, id, false);
      if (requests > 0) throw conflict(`${counted(requests, 'approval request was', 'approval requests were')} made under this policy and keep its history; it cannot be deleted`, { approvalRequests: requests });
      await w.tx.delete(approvalPolicies).where(eq(approvalPolicies.id, id));
      await w.audit({ entityType: 'config', configType: 'approvalPolicy', entityId: id, action: 'delete', before: snapshot(row), after: null });
    });
    reply.code(204);
  });
};
