// Pipelines, their stages and transition rules, deals and their stage history, win/loss reasons.
import { z } from 'zod';
import { Id, Instant, CalendarDate, CurrencyCode, MinorUnits, ShortText } from './common.schema';
import { RoleName } from './accounts.schema';

export const StageKind = z.enum(['open', 'won', 'lost']);
export type StageKind = z.infer<typeof StageKind>;

/** Deal fields a stage may require before a deal enters it. */
export const DEAL_REQUIRABLE_FIELDS = ['amountMinor', 'expectedCloseDate', 'contactId', 'companyId', 'nextStep', 'discountPct'] as const;
export const DealRequirableField = z.enum(DEAL_REQUIRABLE_FIELDS);
export type DealRequirableField = z.infer<typeof DealRequirableField>;

export const Stage = z.object({
  id: Id,
  tenantId: Id,
  pipelineId: Id,
  name: ShortText.min(1),
  position: z.number().int().min(0),
  /** Win probability 0..100 used by the weighted forecast. */
  probability: z.number().int().min(0).max(100),
  kind: StageKind,
  /** A deal idle in this stage longer than this is rotting; null = never. */
  rottingDays: z.number().int().min(1).nullable(),
  requiredFields: z.array(DealRequirableField),
  /** Moves into this stage need approval under this policy. */
  approvalPolicyId: Id.nullable(),
  fold: z.boolean(),
});
export type Stage = z.infer<typeof Stage>;

/** Who may see a pipeline, move deals in it, or edit its configuration. Empty team list = every team. */
export const PipelineAccess = z.object({
  viewRoles: z.array(RoleName),
  viewTeamIds: z.array(Id),
  moveRoles: z.array(RoleName),
  editRoles: z.array(RoleName),
});
export type PipelineAccess = z.infer<typeof PipelineAccess>;

export const Pipeline = z.object({
  id: Id,
  tenantId: Id,
  name: ShortText.min(1),
  position: z.number().int().min(0),
  /** Bumped on every configuration change, so desktops know their cached copy is stale. */
  configVersion: z.number().int().min(1),
  currency: CurrencyCode,
  /** 'any': every move allowed unless a rule denies; 'rules': only moves a rule allows (plus moves to lost). */
  transitionMode: z.enum(['any', 'rules']),
  access: PipelineAccess,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Pipeline = z.infer<typeof Pipeline>;

export const StageTransitionRule = z.object({
  id: Id,
  tenantId: Id,
  pipelineId: Id,
  /** null = from any stage. */
  fromStageId: Id.nullable(),
  toStageId: Id,
  effect: z.enum(['allow', 'deny']),
});
export type StageTransitionRule = z.infer<typeof StageTransitionRule>;

export const DealStatus = z.enum(['open', 'won', 'lost']);
export type DealStatus = z.infer<typeof DealStatus>;

export const Deal = z.object({
  id: Id,
  tenantId: Id,
  name: ShortText.min(1),
  amountMinor: MinorUnits.nullable(),
  currency: CurrencyCode,
  discountPct: z.number().min(0).max(100).nullable(),
  pipelineId: Id,
  stageId: Id,
  status: DealStatus,
  ownerId: Id.nullable(),
  teamId: Id.nullable(),
  companyId: Id.nullable(),
  contactId: Id.nullable(),
  leadId: Id.nullable(),
  expectedCloseDate: CalendarDate.nullable(),
  /** Probability 0..100, from the stage unless overridden. */
  probability: z.number().int().min(0).max(100),
  nextStep: ShortText.nullable(),
  wonLostReasonId: Id.nullable(),
  wonLostNote: z.string().max(2000).nullable(),
  stageEnteredAt: Instant,
  closedAt: Instant.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Deal = z.infer<typeof Deal>;

export const StageHistory = z.object({
  id: Id,
  tenantId: Id,
  dealId: Id,
  pipelineId: Id,
  stageId: Id,
  enteredAt: Instant,
  exitedAt: Instant.nullable(),
  actorId: Id.nullable(),
});
export type StageHistory = z.infer<typeof StageHistory>;

export const WinLossReason = z.object({
  id: Id,
  tenantId: Id,
  kind: z.enum(['won', 'lost']),
  label: ShortText.min(1),
  active: z.boolean(),
});
export type WinLossReason = z.infer<typeof WinLossReason>;
