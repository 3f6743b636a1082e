// What every pipeline configuration write shares: finding a pipeline the caller may edit, and bumping its configVersion.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { canEditPipeline, canSeePipeline } from '../../src-shared/domain/visibility';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { PipelineDetail, PipelineRecord } from '../../src-shared/http/admin.http';
import type { AppDb } from '../db/database';
import { pipelines, stages, stageTransitionRules } from '../db/schema/deals.table';
import type { AdminTx } from './admin-write';
import { checkExpected, notFound } from './admin-checks';

export type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof stages.$inferSelect;

/**
 * The pipeline, when the viewer may edit it. One they may not see answers like one that does not exist (404, as a
 * missing `what`: a stage of a hidden pipeline is a missing stage); one they see but may not edit is a 403.
 */
export async function editablePipeline(db: AppDb, viewer: Viewer, id: string, what = 'pipeline'): Promise<PipelineRow> {
  const [row] = await db.select().from(pipelines).where(and(eq(pipelines.id, id), eq(pipelines.tenantId, viewer.tenantId)));
  if (!row || !canSeePipeline(viewer, row)) throw notFound(what);
  if (!canEditPipeline(viewer, row)) throw new AppError(ErrorCode.FORBIDDEN, `you may see the pipeline ${row.name} but not edit its configuration`);
  return row;
}

export function checkConfigVersion(pipeline: PipelineRow, expected: number | undefined): void {
  checkExpected('pipeline configuration', 'expectedConfigVersion', expected, pipeline.configVersion);
}

/**
 * Records a change of the pipeline's configuration (its fields, stages or rules): the next configVersion, the
 * transaction's change version, and an audit entry on the pipeline with what changed.
 */
export async function bumpPipeline(
  w: AdminTx,
  pipeline: PipelineRow,
  change: { before: Record<string, unknown> | null; after: Record<string, unknown> | null },
  set: Partial<PipelineRow> = {},
): Promise<PipelineRecord> {
  const configVersion = pipeline.configVersion + 1;
  const [updated] = await w.tx
    .update(pipelines)
    .set({ ...set, configVersion, updatedAt: w.now, version: w.version })
    .where(eq(pipelines.id, pipeline.id))
    .returning();
  await w.audit({
    entityType: 'pipeline',
    entityId: pipeline.id,
    action: 'update',
    before: { ...change.before, configVersion: pipeline.configVersion },
    after: { ...change.after, configVersion },
  });
  return updated!;
}

export async function stagesOf(db: AppDb, tenantId: string, pipelineId: string): Promise<StageRow[]> {
  return db.select().from(stages).where(and(eq(stages.tenantId, tenantId), eq(stages.pipelineId, pipelineId))).orderBy(asc(stages.position), asc(stages.id));
}

/** Pipelines with their stages (in board order) and transition rules. */
export async function pipelineDetails(db: AppDb, tenantId: string, rows: readonly PipelineRecord[]): Promise<PipelineDetail[]> {
  const ids = rows.map((p) => p.id);
  if (ids.length === 0) return [];
  const stageRows = await db.select().from(stages).where(and(eq(stages.tenantId, tenantId), inArray(stages.pipelineId, ids))).orderBy(asc(stages.position), asc(stages.id));
  const ruleRows = await db.select().from(stageTransitionRules).where(and(eq(stageTransitionRules.tenantId, tenantId), inArray(stageTransitionRules.pipelineId, ids))).orderBy(asc(stageTransitionRules.id));
  return rows.map((p) => ({ ...p, stages: stageRows.filter((s) => s.pipelineId === p.id), rules: ruleRows.filter((r) => r.pipelineId === p.id) }));
}

export async function pipelineDetail(db: AppDb, pipeline: PipelineRecord): Promise<PipelineDetail> {
  return (await pipelineDetails(db, pipeline.tenantId, [pipeline]))[0]!;
}
