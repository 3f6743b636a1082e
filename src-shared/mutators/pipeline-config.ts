// Loads what the stage machine needs about a deal's pipeline, inside a mutation.
import { AppError, ErrorCode } from '../api/errors';
import type { ApprovalPolicy } from '../domain/approvals.schema';
import type { MoveDealContext } from '../domain/deal-stage-machine';
import type { Stage } from '../domain/deals.schema';
import { mustGet } from './access';
import type { MutationTx } from './mutation-tx';

export type PipelineConfig = Pick<MoveDealContext, 'pipeline' | 'stages' | 'rules' | 'policies'>;

export async function loadPipelineConfig(tx: MutationTx, pipelineId: string): Promise<PipelineConfig> {
  const pipeline = await mustGet(tx, 'pipelines', pipelineId, 'pipeline');
  const stages = (await tx.find('stages', { pipelineId })).sort((a, b) => a.position - b.position);
  const rules = await tx.find('stage_transition_rules', { pipelineId });
  const policies: ApprovalPolicy[] = [];
  for (const id of new Set(stages.map((s) => s.approvalPolicyId).filter((x): x is string => x !== null))) {
    const policy = await tx.get('approval_policies', id);
    if (policy) policies.push(policy);
  }
  return { pipeline, stages, rules, policies };
}

/** The stage a new deal starts in: the one asked for, else the pipeline's first open stage. */
export function startStage(config: PipelineConfig, stageId: string | undefined): Stage {
  const stage = stageId ? config.stages.find((s) => s.id === stageId) : config.stages.find((s) => s.kind === 'open');
  if (!stage) throw new AppError(ErrorCode.NOT_FOUND, stageId ? `stage ${stageId} not found in pipeline ${config.pipeline.name}` : `pipeline ${config.pipeline.name} has no open stage`);
  if (stage.kind !== 'open') throw new AppError(ErrorCode.INVALID_TRANSITION, `a deal cannot start in the ${stage.kind} stage ${stage.name}`, undefined, { stageId: stage.id });
  // Starting in a gated stage would skip its approval; the deal must be moved there instead.
  if (stage.approvalPolicyId !== null) throw new AppError(ErrorCode.INVALID_TRANSITION, `stage ${stage.name} needs approval, so a deal cannot start in it`, undefined, { stageId: stage.id });
  return stage;
}
