// The one validator for moving a deal between stages: transition rules, required fields, reasons, approval gating.
import { ErrorCode } from '../api/errors';
import { levelsForAmount } from './approval-levels';
import type { ApprovalBinding, ApprovalPolicy } from './approvals.schema';
import type { Deal, DealRequirableField, Pipeline, Stage, StageTransitionRule } from './deals.schema';
import type { Result } from './result';
import { ok, refuse } from './result';

/** The deal fields a board may fill in on drop, when the target stage requires them. */
export type DealMovePatch = Partial<Pick<Deal, DealRequirableField>>;

export interface MoveDealContext {
  pipeline: Pipeline;
  stages: readonly Stage[];
  rules: readonly StageTransitionRule[];
  policies: readonly ApprovalPolicy[];
  /** The win/loss reason; required when the target stage is won or lost. */
  reasonId?: string | null;
  patch?: DealMovePatch;
  /** The binding of an approval already granted for this move, if any. */
  approvedBinding?: ApprovalBinding | null;
  now: number;
}

export type MoveOutcome =
  | { kind: 'moved'; changes: Partial<Deal> }
  /** Not an error: the caller turns it into an approval request and leaves the deal where it is. */
  | { kind: 'approvalRequired'; policyId: string; levelIndexes: number[]; binding: ApprovalBinding };

type BoundFields = Pick<Deal, 'amountMinor' | 'discountPct' | 'expectedCloseDate'>;

/** The deal fields an approval for moving this deal to `toStageId` is bound to. */
export function dealMoveBinding(deal: BoundFields, toStageId: string): ApprovalBinding {
  return { amountMinor: deal.amountMinor, discountPct: deal.discountPct, expectedCloseDate: deal.expectedCloseDate, targetStageId: toStageId };
}

export function bindingMatches(a: ApprovalBinding, b: ApprovalBinding): boolean {
  return (
    a.amountMinor === b.amountMinor &&
    a.discountPct === b.discountPct &&
    a.expectedCloseDate === b.expectedCloseDate &&
    a.targetStageId === b.targetStageId
  );
}

const BOUND_FIELDS = ['amountMinor', 'discountPct', 'expectedCloseDate'] as const;

/**
 * Whether an edit voids an approval: it changed a bound field (amount, discount, expected close date) to a value
 * other than the approved one. Setting a field to the approved value, or editing anything else, voids nothing.
 */
export function approvalVoidedBy(before: BoundFields, after: BoundFields, binding: ApprovalBinding): boolean {
  return BOUND_FIELDS.some((f) => before[f] !== after[f] && after[f] !== binding[f]);
}

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** The fields `stage` requires that the deal lacks, in the stage's order. */
export function missingRequiredFields(deal: Partial<Pick<Deal, DealRequirableField>>, stage: Pick<Stage, 'requiredFields'>): DealRequirableField[] {
  return stage.requiredFields.filter((f) => isMissing(deal[f]));
}

/**
 * Whether the pipeline's rules let a deal go from one stage to another.
 * - A matching deny rule always refuses, in either mode (deny beats allow).
 * - Reopening (leaving a won or lost stage) needs an allow rule naming that exact source stage, in either mode: a
 *   closed deal is history the forecasts rely on, so no wildcard may reopen it by accident.
 * - Otherwise a move into a lost stage is always allowed, so a dead deal can never be stuck open.
 * - Otherwise mode 'any' allows, and mode 'rules' needs an allow rule from that stage or from anywhere (null).
 */
export function transitionAllowed(
  pipeline: Pick<Pipeline, 'id' | 'transitionMode'>,
  rules: readonly StageTransitionRule[],
  from: Pick<Stage, 'id' | 'kind'> | null,
  to: Pick<Stage, 'id' | 'kind'>,
): boolean {
  const fromId = from?.id ?? null;
  const applicable = rules.filter((r) => r.pipelineId === pipeline.id && r.toStageId === to.id);
  const matches = (r: StageTransitionRule) => r.fromStageId === null || r.fromStageId === fromId;
  const reopening = from !== null && from.kind !== 'open';
  if (!(to.kind === 'lost' && !reopening) && applicable.some((r) => r.effect === 'deny' && matches(r))) return false;
  if (reopening) return applicable.some((r) => r.effect === 'allow' && r.fromStageId === fromId);
  if (to.kind === 'lost') return true;
  if (pipeline.transitionMode === 'any') return true;
  return applicable.some((r) => r.effect === 'allow' && matches(r));
}

/** Drops the patch's undefined entries, which mean "leave alone", so they never overwrite the deal. */
function definedPatch(patch: DealMovePatch | undefined): DealMovePatch {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch ?? {})) if (v !== undefined) out[k] = v;
  return out as DealMovePatch;
}

/**
 * Validates moving `deal` to `toStageId` and says what changes. Checks, in order: the stage exists in the deal's
 * pipeline, it is another stage, the transition rules allow it, the target's required fields are present (after
 * the patch), a won/lost move has a reason, and an approval-gated target has a matching approval.
 */
export function moveDeal(deal: Deal, toStageId: string, ctx: MoveDealContext): Result<MoveOutcome> {
  const target = ctx.stages.find((s) => s.id === toStageId);
  if (!target) return refuse(ErrorCode.NOT_FOUND, `stage ${toStageId} not found`, { details: { stageId: toStageId } });
  if (target.pipelineId !== deal.pipelineId || ctx.pipeline.id !== deal.pipelineId) {
    return refuse(ErrorCode.INVALID_TRANSITION, `stage ${target.name} is not in the deal's pipeline`, {
      details: { stageId: target.id, pipelineId: deal.pipelineId },
    });
  }
  if (target.id === deal.stageId) {
    return refuse(ErrorCode.INVALID_TRANSITION, `the deal is already in stage ${target.name}`, { details: { from: deal.stageId, to: target.id } });
  }
  // A source stage missing from the configuration (deleted since) is treated as an open stage nobody names.
  const source = ctx.stages.find((s) => s.id === deal.stageId) ?? { id: deal.stageId, kind: 'open' as const, name: deal.stageId };
  if (!transitionAllowed(ctx.pipeline, ctx.rules, source, target)) {
    return refuse(ErrorCode.INVALID_TRANSITION, `the pipeline does not allow moving a deal from ${source.name} to ${target.name}`, {
      details: { from: source.id, to: target.id },
    });
  }

  const patch = definedPatch(ctx.patch);
  const patched = { ...deal, ...patch };
  const missing = missingRequiredFields(patched, target);
  if (missing.length > 0) {
    return refuse(ErrorCode.MISSING_FIELDS, `stage ${target.name} requires ${missing.join(', ')}`, {
      fields: missing.map((path) => ({ path, message: `required by stage ${target.name}` })),
      details: { missing, stageId: target.id },
    });
  }

  const reasonId = ctx.reasonId?.trim() || null;
  if (target.kind !== 'open' && reasonId === null) {
    return refuse(ErrorCode.REASON_REQUIRED, `marking a deal ${target.kind} needs a reason`, {
      fields: [{ path: 'reasonId', message: `a ${target.kind} reason is required` }],
    });
  }

  if (target.approvalPolicyId !== null) {
    const policy = ctx.policies.find((p) => p.id === target.approvalPolicyId);
    if (!policy) {
      return refuse(ErrorCode.NOT_FOUND, `approval policy ${target.approvalPolicyId} of stage ${target.name} not found`, {
        details: { policyId: target.approvalPolicyId },
      });
    }
    const binding = dealMoveBinding(patched, target.id);
    const levelIndexes = levelsForAmount(policy, binding.amountMinor);
    const approved = ctx.approvedBinding != null && bindingMatches(ctx.approvedBinding, binding);
    if (levelIndexes.length > 0 && !approved) return ok({ kind: 'approvalRequired', policyId: policy.id, levelIndexes, binding });
  }

  const closed = target.kind !== 'open';
  const changes: Partial<Deal> = {
    stageId: target.id,
    status: target.kind,
    probability: target.probability,
    stageEnteredAt: ctx.now,
    closedAt: closed ? ctx.now : null,
    wonLostReasonId: closed ? reasonId : null,
    // An open deal carries no win/loss story: reopening clears the old note with the old reason.
    ...(closed ? {} : { wonLostNote: null }),
    ...patch,
  };
  return ok({ kind: 'moved', changes });
}
