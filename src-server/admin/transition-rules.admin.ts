// Admin routes of stage transition rules: allow or deny moves from a stage (or any) to a stage of the same pipeline.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { FieldProblem } from '../../src-shared/domain/result';
import { DeleteQuery, TransitionRuleCreate, TransitionRulePatch } from '../../src-shared/http/admin.http';
import type { TransitionRuleRecord } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import { stageTransitionRules } from '../db/schema/deals.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { conflict, notFound, refuseFields, requirePermission } from './admin-checks';
import type { PipelineRow } from './pipeline-edits';
import { bumpPipeline, checkConfigVersion, editablePipeline, stagesOf } from './pipeline-edits';

type RuleRow = typeof stageTransitionRules.$inferSelect;
type RuleFields = Pick<RuleRow, 'fromStageId' | 'toStageId' | 'effect'>;

const snapshot = ({ version: _v, tenantId: _t, ...rule }: RuleRow) => rule;

/** Both stages must be the pipeline's and differ; one rule per pair of stages. */
async function checkRule(w: AdminTx, pipelineId: string, rule: RuleFields, exceptId: string | null): Promise<void> {
  const stageIds = new Set((await stagesOf(w.tx, w.tenantId, pipelineId)).map((s) => s.id));
  const problems: FieldProblem[] = [];
  if (rule.fromStageId !== null && !stageIds.has(rule.fromStageId)) problems.push({ path: 'fromStageId', message: 'no such stage in this pipeline' });
  if (!stageIds.has(rule.toStageId)) problems.push({ path: 'toStageId', message: 'no such stage in this pipeline' });
  if (rule.fromStageId === rule.toStageId) problems.push({ path: 'toStageId', message: 'must differ from fromStageId' });
  refuseFields(problems);
  const [same] = await w.tx
    .select({ id: stageTransitionRules.id })
    .from(stageTransitionRules)
    .where(and(
      eq(stageTransitionRules.pipelineId, pipelineId),
      rule.fromStageId === null ? isNull(stageTransitionRules.fromStageId) : eq(stageTransitionRules.fromStageId, rule.fromStageId),
      eq(stageTransitionRules.toStageId, rule.toStageId),
      exceptId === null ? undefined : ne(stageTransitionRules.id, exceptId),
    ));
  if (same) throw conflict(`the rule ${same.id} already covers moves between these stages; change it instead`, { ruleId: same.id });
}

async function editableRule(w: AdminTx, viewer: Viewer, id: string): Promise<{ rule: RuleRow; pipeline: PipelineRow }> {
  const [rule] = await w.tx.select().from(stageTransitionRules).where(and(eq(stageTransitionRules.id, id), eq(stageTransitionRules.tenantId, w.tenantId)));
  if (!rule) throw notFound('transition rule');
  return { rule, pipeline: await editablePipeline(w.tx, viewer, rule.pipelineId, 'transition rule') };
}

export const transitionRuleAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'pipelines.edit', 'config.edit');
    return viewer;
  };

  app.post('/pipelines/:id/transition-rules', async (request, reply): Promise<TransitionRuleRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion, ...input } = parseInput(TransitionRuleCreate, request.body, 'body');
    const rule = await adminWrite(ctx, viewer, async (w) => {
      const pipeline = await editablePipeline(w.tx, viewer, id);
      checkConfigVersion(pipeline, expectedConfigVersion);
      await checkRule(w, id, input, null);
      const [created] = await w.tx.insert(stageTransitionRules).values({ ...input, id: ctx.newId(), tenantId: w.tenantId, pipelineId: id, version: w.version }).returning();
      await bumpPipeline(w, pipeline, { before: { transitionRule: null }, after: { transitionRule: snapshot(created!) } });
      return created!;
    });
    reply.code(201);
    return rule;
  });

  app.patch('/transition-rules/:id', async (request): Promise<TransitionRuleRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion, ...changes } = parseInput(TransitionRulePatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const { rule, pipeline } = await editableRule(w, viewer, id);
      checkConfigVersion(pipeline, expectedConfigVersion);
      await checkRule(w, rule.pipelineId, { ...rule, ...changes }, id);
      const [updated] = await w.tx.update(stageTransitionRules).set({ ...changes, version: w.version }).where(eq(stageTransitionRules.id, id)).returning();
      const diff = changedFields(rule, updated!, ['fromStageId', 'toStageId', 'effect']);
      await bumpPipeline(w, pipeline, { before: { transitionRule: { id, ...diff.before } }, after: { transitionRule: { id, ...diff.after } } });
      return updated!;
    });
  });

  app.delete('/transition-rules/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedConfigVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const { rule, pipeline } = await editableRule(w, viewer, id);
      checkConfigVersion(pipeline, expectedConfigVersion);
      await w.tx.delete(stageTransitionRules).where(eq(stageTransitionRules.id, id));
      await bumpPipeline(w, pipeline, { before: { transitionRule: snapshot(rule) }, after: { transitionRule: null } });
    });
    reply.code(204);
  });
};
