// Admin routes of pipelines: list and read (with stages and rules), create (with its stages), update, delete.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq, max } from 'drizzle-orm';
import type { Viewer } from '../../src-shared/domain/visibility';
import { canEditPipeline } from '../../src-shared/domain/visibility';
import type { PipelineAccess } from '../../src-shared/domain/deals.schema';
import { DeleteQuery, PipelineCreate, PipelinePatch } from '../../src-shared/http/admin.http';
import type { ItemList, PipelineDetail } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { FieldProblem } from '../../src-shared/domain/result';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import { deals, pipelines, stages, stageTransitionRules } from '../db/schema/deals.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { conflict, counted, refuseFields, requirePermission } from './admin-checks';
import { bumpPipeline, checkConfigVersion, editablePipeline, pipelineDetail, pipelineDetails, stagesOf } from './pipeline-edits';
import { countWhere, policyProblems, refsOf, teamProblems } from './tenant-refs';
import { tenantSettingsOf } from './tenant-settings.admin';

/** A new pipeline's access when none is given: every role sees it and moves deals in it; admins and its creator's role edit it. */
export const defaultPipelineAccess = (viewer: Viewer): PipelineAccess => ({
  viewRoles: ['admin', 'manager', 'rep'],
  viewTeamIds: [],
  moveRoles: ['admin', 'manager', 'rep'],
  editRoles: [...new Set(['admin' as const, viewer.role])],
});

const EDITABLE = ['name', 'currency', 'transitionMode', 'access', 'position'] as const;

/** Teams the access rules name must be the tenant's, and the editor must not lock themself out. */
async function accessProblems(w: AdminTx, viewer: Viewer, pipelineId: string, access: PipelineAccess): Promise<FieldProblem[]> {
  const problems = await teamProblems(w.tx, w.tenantId, refsOf(access.viewTeamIds.map((id, i) => [`access.viewTeamIds.${i}`, id])));
  if (!canEditPipeline(viewer, { id: pipelineId, tenantId: w.tenantId, access })) {
    problems.push({ path: 'access', message: 'would leave you unable to see or edit this pipeline' });
  }
  return problems;
}

async function createPipeline(w: AdminTx, viewer: Viewer, input: PipelineCreate, newId: () => string): Promise<PipelineDetail> {
  const id = newId();
  const access = input.access ?? defaultPipelineAccess(viewer);
  refuseFields([
    ...(await accessProblems(w, viewer, id, access)),
    ...(await policyProblems(w.tx, w.tenantId, refsOf(input.stages.map((s, i) => [`stages.${i}.approvalPolicyId`, s.approvalPolicyId])))),
  ]);
  const [last] = await w.tx.select({ position: max(pipelines.position) }).from(pipelines).where(eq(pipelines.tenantId, w.tenantId));
  const [pipeline] = await w.tx
    .insert(pipelines)
    .values({
      id,
      tenantId: w.tenantId,
      name: input.name,
      position: input.position ?? (last?.position ?? -1) + 1,
      configVersion: 1,
      currency: input.currency ?? (await tenantSettingsOf(w.tx, w.tenantId)).settings.currency,
      transitionMode: input.transitionMode,
      access,
      createdAt: w.now,
      updatedAt: w.now,
      version: w.version,
    })
    .returning();
  const stageRows = input.stages.map(({ fold, ...s }, position) => ({
    ...s, id: newId(), tenantId: w.tenantId, pipelineId: id, position, fold: fold ?? s.kind !== 'open', version: w.version,
  }));
  if (stageRows.length > 0) await w.tx.insert(stages).values(stageRows);
  const { version: _v, ...created } = pipeline!;
  await w.audit({ entityType: 'pipeline', entityId: id, action: 'create', before: null, after: { ...created, stages: stageRows.map(({ version: _sv, ...s }) => s) } });
  return pipelineDetail(w.tx, pipeline!);
}

export const pipelineAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'pipelines.edit', 'config.edit');
    return viewer;
  };

  app.get('/pipelines', async (request): Promise<ItemList<PipelineDetail>> => {
    const viewer = editor(request);
    const rows = await ctx.db.select().from(pipelines).where(eq(pipelines.tenantId, viewer.tenantId)).orderBy(asc(pipelines.position), asc(pipelines.id));
    return { items: await pipelineDetails(ctx.db, viewer.tenantId, rows.filter((p) => canEditPipeline(viewer, p))) };
  });

  app.get('/pipelines/:id', async (request): Promise<PipelineDetail> => {
    const viewer = editor(request);
    return pipelineDetail(ctx.db, await editablePipeline(ctx.db, viewer, parseInput(IdParams, request.params, 'params').id));
  });

  app.post('/pipelines', async (request, reply): Promise<PipelineDetail> => {
    const viewer = editor(request);
    const input = parseInput(PipelineCreate, request.body, 'body');
    const detail = await adminWrite(ctx, viewer, (w) => createPipeline(w, viewer, input, () => ctx.newId()));
    reply.code(201);
    return detail;
  });

  app.patch('/pipelines/:id', async (request): Promise<PipelineDetail> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion, ...changes } = parseInput(PipelinePatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await editablePipeline(w.tx, viewer, id);
      checkConfigVersion(row, expectedConfigVersion);
      if (changes.access) refuseFields(await accessProblems(w, viewer, id, changes.access));
      if (changes.currency !== undefined && changes.currency !== row.currency) {
        const n = await countWhere(w.tx, deals, and(eq(deals.tenantId, w.tenantId), eq(deals.pipelineId, id)));
        if (n > 0) throw conflict(`the pipeline holds ${counted(n, 'deal')} in ${row.currency}; its currency cannot change`, { deals: n });
      }
      const after = { ...row, ...changes };
      const updated = await bumpPipeline(w, row, changedFields(row, after, EDITABLE), changes);
      return pipelineDetail(w.tx, updated);
    });
  });

  app.delete('/pipelines/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await editablePipeline(w.tx, viewer, id);
      checkConfigVersion(row, expectedConfigVersion);
      const n = await countWhere(w.tx, deals, and(eq(deals.tenantId, w.tenantId), eq(deals.pipelineId, id)));
      if (n > 0) throw conflict(`the pipeline holds ${counted(n, 'deal')}; move or delete them before deleting it`, { deals: n });
      const stageRows = await stagesOf(w.tx, w.tenantId, id);
      const rules = await w.tx.delete(stageTransitionRules).where(and(eq(stageTransitionRules.tenantId, w.tenantId), eq(stageTransitionRules.pipelineId, id))).returning({ id: stageTransitionRules.id });
      await w.tx.delete(stages).where(and(eq(stages.tenantId, w.tenantId), eq(stages.pipelineId, id)));
      await w.tx.delete(pipelines).where(eq(pipelines.id, id));
      const { version: _v, ...before } = row;
      await w.audit({ entityType: 'pipeline', entityId: id, action: 'delete', before: { ...before, stageIds: stageRows.map((s) => s.id), ruleIds: rules.map((r) => r.id) }, after: null });
    });
    reply.code(204);
  });
};
