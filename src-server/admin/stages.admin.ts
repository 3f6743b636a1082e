// Admin routes of stages: add one at a position, change one, delete one nobody is in, and reorder a pipeline's stages.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import type { Viewer } from '../../src-shared/domain/visibility';
import { DeleteQuery, StageCreate, StageOrder, StagePatch } from '../../src-shared/http/admin.http';
import type { PipelineDetail, StageRecord } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import { approvalRequests } from '../db/schema/approvals.table';
import { deals, stages, stageTransitionRules } from '../db/schema/deals.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { conflict, counted, invalidField, notFound, refuseFields, requirePermission } from './admin-checks';
import type { PipelineRow, StageRow } from './pipeline-edits';
import { bumpPipeline, checkConfigVersion, editablePipeline, pipelineDetail, stagesOf } from './pipeline-edits';
import { permutationProblems } from './permutation';
import { countWhere, policyProblems, refsOf } from './tenant-refs';

const EDITABLE = ['name', 'probability', 'kind', 'rottingDays', 'requiredFields', 'approvalPolicyId', 'fold'] as const;

const snapshot = ({ version: _v, tenantId: _t, ...stage }: StageRow) => stage;

/** Gives `ordered` the positions 0..n-1, writing only the stages whose position changes. */
async function renumber(w: AdminTx, ordered: readonly StageRow[]): Promise<void> {
  for (const [position, stage] of ordered.entries()) {
    if (stage.position !== position) await w.tx.update(stages).set({ position, version: w.version }).where(eq(stages.id, stage.id));
  }
}

/** The stage and its pipeline, when the viewer may edit the pipeline; a stage of a pipeline they cannot see is missing. */
async function editableStage(w: AdminTx, viewer: Viewer, id: string): Promise<{ stage: StageRow; pipeline: PipelineRow }> {
  const [stage] = await w.tx.select().from(stages).where(and(eq(stages.id, id), eq(stages.tenantId, w.tenantId)));
  if (!stage) throw notFound('stage');
  return { stage, pipeline: await editablePipeline(w.tx, viewer, stage.pipelineId, 'stage') };
}

const dealsIn = (w: AdminTx, stageId: string) => countWhere(w.tx, deals, and(eq(deals.tenantId, w.tenantId), eq(deals.stageId, stageId)));

export const stageAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'pipelines.edit', 'config.edit');
    return viewer;
  };

  app.post('/pipelines/:id/stages', async (request, reply): Promise<StageRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion, position: at, fold, ...input } = parseInput(StageCreate, request.body, 'body');
    const stage = await adminWrite(ctx, viewer, async (w) => {
      const pipeline = await editablePipeline(w.tx, viewer, id);
      checkConfigVersion(pipeline, expectedConfigVersion);
      refuseFields(await policyProblems(w.tx, w.tenantId, refsOf([['approvalPolicyId', input.approvalPolicyId]])));
      const existing = await stagesOf(w.tx, w.tenantId, id);
      const position = at ?? existing.length;
      if (position > existing.length) throw invalidField('position', `must be between 0 and ${existing.length}`);
      const [created] = await w.tx
        .insert(stages)
        .values({ ...input, id: ctx.newId(), tenantId: w.tenantId, pipelineId: id, position, fold: fold ?? input.kind !== 'open', version: w.version })
        .returning();
      await renumber(w, existing.toSpliced(position, 0, created!));
      await bumpPipeline(w, pipeline, { before: { stage: null }, after: { stage: snapshot(created!) } });
      return created!;
    });
    reply.code(201);
    return stage;
  });

  app.patch('/stages/:id', async (request): Promise<StageRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion, ...changes } = parseInput(StagePatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const { stage, pipeline } = await editableStage(w, viewer, id);
      checkConfigVersion(pipeline, expectedConfigVersion);
      refuseFields(await policyProblems(w.tx, w.tenantId, refsOf([['approvalPolicyId', changes.approvalPolicyId]])));
      if (changes.kind !== undefined && changes.kind !== stage.kind) {
        // A deal's status follows its stage's kind; changing the kind under deals would leave them contradicting it.
        const n = await dealsIn(w, id);
        if (n > 0) throw conflict(`${counted(n, 'deal is', 'deals are')} in the stage ${stage.name}; its kind cannot change while it holds deals`, { deals: n });
      }
      const [updated] = await w.tx.update(stages).set({ ...changes, version: w.version }).where(eq(stages.id, id)).returning();
      const diff = changedFields(stage, updated!, EDITABLE);
      await bumpPipeline(w, pipeline, { before: { stage: { id, ...diff.before } }, after: { stage: { id, ...diff.after } } });
      return updated!;
    });
  });

  app.delete('/stages/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const { stage, pipeline } = await editableStage(w, viewer, id);
      checkConfigVersion(pipeline, expectedConfigVersion);
      const held = await dealsIn(w, id);
      if (held > 0) throw conflict(`${counted(held, 'deal is', 'deals are')} in the stage ${stage.name}; move them before deleting it`, { deals: held });
      const pending = await countWhere(w.tx, approvalRequests, and(
        eq(approvalRequests.tenantId, w.tenantId),
        eq(approvalRequests.status, 'pending'),
        sql`${approvalRequests.binding}->>'targetStageId' = ${id}`,
      ));
      if (pending > 0) throw conflict(`${counted(pending, 'pending approval asks', 'pending approvals ask')} to move a deal into the stage ${stage.name}; decide them before deleting it`, { pendingApprovals: pending });
      // Rules about a stage that no longer exists mean nothing.
      const rules = await w.tx
        .delete(stageTransitionRules)
        .where(and(eq(stageTransitionRules.pipelineId, stage.pipelineId), sql`(${stageTransitionRules.fromStageId} = ${id} OR ${stageTransitionRules.toStageId} = ${id})`))
        .returning({ id: stageTransitionRules.id });
      await w.tx.delete(stages).where(eq(stages.id, id));
      await renumber(w, await stagesOf(w.tx, w.tenantId, stage.pipelineId));
      await bumpPipeline(w, pipeline, { before: { stage: snapshot(stage), ruleIds: rules.map((r) => r.id) }, after: { stage: null } });
    });
    reply.code(204);
  });

  app.put('/pipelines/:id/stage-order', async (request): Promise<PipelineDetail> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion, stageIds } = parseInput(StageOrder, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const pipeline = await editablePipeline(w.tx, viewer, id);
      checkConfigVersion(pipeline, expectedConfigVersion);
      const existing = await stagesOf(w.tx, w.tenantId, id);
      refuseFields(permutationProblems('stageIds', stageIds, existing.map((s) => s.id)));
      const byId = new Map(existing.map((s) => [s.id, s]));
      await renumber(w, stageIds.map((stageId) => byId.get(stageId)!));
      const updated = await bumpPipeline(w, pipeline, { before: { stageOrder: existing.map((s) => s.id) }, after: { stageOrder: stageIds } });
      return pipelineDetail(w.tx, updated);
    });
  });
};
