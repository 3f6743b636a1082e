// The admin API's contract (under /api/v1/admin): bodies that configure pipelines, approvals, automation, forms, users and teams.
import { z } from 'zod';
import { CurrencyCode, Id, Instant, ShortText } from '../domain/common.schema';
import { RoleName, Team, TenantSettings, User } from '../domain/accounts.schema';
import { DealRequirableField, Pipeline, Stage, StageKind, StageTransitionRule, WinLossReason } from '../domain/deals.schema';
import { ApprovalLevel, ApprovalPolicy, Delegation } from '../domain/approvals.schema';
import { DistributionMethod, DistributionRule, LeadFieldFilter, NurtureSequence, NurtureStep, ScoringConfig } from '../domain/automation.schema';
import { LeadStatus } from '../domain/leads.schema';
import { CAPTURE_TARGETS } from './capture.http';

/**
 * Conventions of every admin endpoint:
 *   - GET lists answer `{ items }`; GET one, POST (201) and PATCH/PUT (200) answer the record; DELETE answers 204.
 *   - Records carry `version`, the per-tenant change version of their last change. Pipelines, approval policies and
 *     the scoring configuration also carry `configVersion`, bumped on every change (a stage or rule change bumps its
 *     pipeline's), so desktops know a cached copy is stale.
 *   - Optimistic concurrency: a write may carry `expectedConfigVersion` (configuration with a configVersion; for stages
 *     and transition rules, their pipeline's) or `expectedVersion` (other records); DELETE takes it in the query
 *     string. A stale one gets 409 CONFLICT with the current value in `details`.
 *   - 400 VALIDATION names each field at fault; 403 when the caller lacks the area's permission; 404 for records of
 *     another tenant (or a pipeline the caller may not see); 409 when a delete would orphan data (the message names
 *     how many records are in the way) or a unique value is taken.
 * Permissions: pipelines, stages and transition rules need `pipelines.edit` (and a role among the pipeline's edit
 * roles) or `config.edit`; users and teams need `users.manage`; everything else needs `config.edit`, except that a
 * user with `deals.approve` may manage delegations of their own approvals.
 */
export const ADMIN_PREFIX = '/api/v1/admin';

const version = { version: z.number().int().min(0) };
const expectedVersion = z.number().int().min(0).optional();
const expectedConfigVersion = z.number().int().min(1).optional();
/** Positions are small: they order a handful of stages or rules. */
const Position = z.number().int().min(0).max(10_000);

const uniqueItems = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max).refine((a) => new Set(a.map((x) => JSON.stringify(x))).size === a.length, { message: 'must not repeat an item' });

/** A PATCH body: any subset of the fields (at least one), plus the concurrency check. */
function patchOf<S extends z.ZodRawShape, E extends z.ZodRawShape>(shape: S, check: E) {
  const keys = Object.keys(check);
  return z
    .strictObject(shape)
    .partial()
    .extend(check)
    .refine((p) => Object.keys(p).some((k) => !keys.includes(k) && (p as Record<string, unknown>)[k] !== undefined), { message: 'nothing to change' });
}

/** The query string of a DELETE. */
export const DeleteQuery = z.strictObject({
  expectedVersion: z.coerce.number().int().min(0).optional(),
  expectedConfigVersion: z.coerce.number().int().min(1).optional(),
});
export type DeleteQuery = z.infer<typeof DeleteQuery>;

// ── Pipelines, stages, transition rules ──────────────────────────────────────────────────────────────────────────

export const PipelineAccessInput = z.strictObject({
  viewRoles: uniqueItems(RoleName, 3),
  viewTeamIds: uniqueItems(Id, 200),
  moveRoles: uniqueItems(RoleName, 3),
  editRoles: uniqueItems(RoleName, 3),
});

const stageFields = {
  name: Stage.shape.name,
  probability: Stage.shape.probability,
  kind: StageKind,
  rottingDays: z.number().int().min(1).max(3650).nullable(),
  requiredFields: uniqueItems(DealRequirableField, 10),
  approvalPolicyId: Id.nullable(),
  /** Folded on the board; defaults to folded for won and lost stages. */
  fold: z.boolean(),
};

export const StageInput = z.strictObject({
  ...stageFields,
  kind: StageKind.default('open'),
  rottingDays: stageFields.rottingDays.default(null),
  requiredFields: stageFields.requiredFields.default([]),
  approvalPolicyId: Id.nullable().default(null),
  fold: z.boolean().optional(),
});
export type StageInput = z.infer<typeof StageInput>;

export const PipelineCreate = z.strictObject({
  name: Pipeline.shape.name,
  /** Defaults to the tenant's currency. */
  currency: CurrencyCode.optional(),
  transitionMode: Pipeline.shape.transitionMode.default('any'),
  /** Defaults to: every role sees it and moves deals in it; admins and the creator's role edit it. */
  access: PipelineAccessInput.optional(),
  /** Defaults to after the last pipeline. */
  position: Position.optional(),
  /** Its stages in board order, created with it. */
  stages: z.array(StageInput).max(50).default([]),
});
export type PipelineCreate = z.infer<typeof PipelineCreate>;

export const PipelinePatch = patchOf(
  { name: Pipeline.shape.name, currency: CurrencyCode, transitionMode: Pipeline.shape.transitionMode, access: PipelineAccessInput, position: Position },
  { expectedConfigVersion },
);
export type PipelinePatch = z.infer<typeof PipelinePatch>;

export const StageCreate = StageInput.extend({
  /** Where it goes on the board: 0 is first; defaults to last. Later stages move down one. */
  position: Position.optional(),
  expectedConfigVersion,
});
export type StageCreate = z.infer<typeof StageCreate>;

export const StagePatch = patchOf(stageFields, { expectedConfigVersion });
export type StagePatch = z.infer<typeof StagePatch>;

/** Every stage of the pipeline, each once, in their new board order. */
export const StageOrder = z.strictObject({ stageIds: z.array(Id).min(1).max(200), expectedConfigVersion });
export type StageOrder = z.infer<typeof StageOrder>;

const ruleFields = { fromStageId: Id.nullable(), toStageId: Id, effect: StageTransitionRule.shape.effect };
export const TransitionRuleCreate = z.strictObject({ ...ruleFields, expectedConfigVersion });
export type TransitionRuleCreate = z.infer<typeof TransitionRuleCreate>;
export const TransitionRulePatch = patchOf(ruleFields, { expectedConfigVersion });
export type TransitionRulePatch = z.infer<typeof TransitionRulePatch>;

export const PipelineRecord = Pipeline.extend(version);
export type PipelineRecord = z.infer<typeof PipelineRecord>;
export const StageRecord = Stage.extend(version);
export type StageRecord = z.infer<typeof StageRecord>;
export const TransitionRuleRecord = StageTransitionRule.extend(version);
export type TransitionRuleRecord = z.infer<typeof TransitionRuleRecord>;
export const PipelineDetail = PipelineRecord.extend({ stages: z.array(StageRecord), rules: z.array(TransitionRuleRecord) });
export type PipelineDetail = z.infer<typeof PipelineDetail>;

// ── Approvals ────────────────────────────────────────────────────────────────────────────────────────────────────

const policyFields = { name: ApprovalPolicy.shape.name, levels: z.array(ApprovalLevel).min(1).max(20) };
/** Levels are stored sorted by their threshold (ties keep the order given). */
export const ApprovalPolicyCreate = z.strictObject(policyFields);
export type ApprovalPolicyCreate = z.infer<typeof ApprovalPolicyCreate>;
export const ApprovalPolicyPatch = patchOf(policyFields, { expectedConfigVersion });
export type ApprovalPolicyPatch = z.infer<typeof ApprovalPolicyPatch>;
export const ApprovalPolicyRecord = ApprovalPolicy.extend(version);
export type ApprovalPolicyRecord = z.infer<typeof ApprovalPolicyRecord>;

export const DelegationCreate = z
  .strictObject({ fromUserId: Id, toUserId: Id, startsAt: Instant, endsAt: Instant })
  .refine((d) => d.endsAt > d.startsAt, { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((d) => d.toUserId !== d.fromUserId, { message: 'cannot delegate to oneself', path: ['toUserId'] });
export type DelegationCreate = z.infer<typeof DelegationCreate>;
export const DelegationPatch = patchOf({ toUserId: Id, startsAt: Instant, endsAt: Instant }, { expectedVersion });
export type DelegationPatch = z.infer<typeof DelegationPatch>;
export const DelegationRecord = Delegation.extend(version);
export type DelegationRecord = z.infer<typeof DelegationRecord>;

// ── Automation: distribution, scoring, nurturing ─────────────────────────────────────────────────────────────────

const distributionFields = {
  name: DistributionRule.shape.name,
  active: z.boolean(),
  filters: z.array(LeadFieldFilter).max(50),
  method: DistributionMethod,
  /** Active users of the tenant, each once. */
  memberIds: uniqueItems(Id, 500).refine((a) => a.length > 0, { message: 'needs at least one member' }),
};
export const DistributionRuleCreate = z.strictObject({
  ...distributionFields,
  active: z.boolean().default(true),
  filters: distributionFields.filters.default([]),
  /** Rules are tried in ascending position; defaults to last. Later rules move down one. */
  position: Position.optional(),
});
export type DistributionRuleCreate = z.infer<typeof DistributionRuleCreate>;
export const DistributionRulePatch = patchOf(distributionFields, { expectedVersion });
export type DistributionRulePatch = z.infer<typeof DistributionRulePatch>;
/** Every distribution rule of the tenant, each once, in their new order. */
export const DistributionRuleOrder = z.strictObject({ ruleIds: z.array(Id).min(1).max(500) });
export type DistributionRuleOrder = z.infer<typeof DistributionRuleOrder>;
export const DistributionRuleRecord = DistributionRule.extend(version);
export type DistributionRuleRecord = z.infer<typeof DistributionRuleRecord>;

const { tenantId: _tenantId, configVersion: _configVersion, ...scoringShape } = ScoringConfig.shape;
/** The whole scoring configuration (one per tenant); replaces the current one. */
export const ScoringConfigInput = z.strictObject({
  ...scoringShape,
  fitRules: z.array(ScoringConfig.shape.fitRules.element).max(200).refine((rules) => new Set(rules.map((r) => r.key)).size === rules.length, { message: 'rule keys must be unique' }),
  engagementRules: z.array(ScoringConfig.shape.engagementRules.element).max(50),
  // Whole days: the column is an integer.
  engagementHalfLifeDays: z.number().int().min(1).max(3650),
  expectedConfigVersion,
});
export type ScoringConfigInput = z.infer<typeof ScoringConfigInput>;
/** `version` is 0 while the tenant runs on the default configuration (never saved). */
export const ScoringConfigRecord = ScoringConfig.extend(version);
export type ScoringConfigRecord = z.infer<typeof ScoringConfigRecord>;

const nurtureFields = {
  name: NurtureSequence.shape.name,
  active: z.boolean(),
  enrollStatuses: uniqueItems(LeadStatus, 10).refine((a) => a.length > 0, { message: 'needs at least one status' }),
  enrollFilters: z.array(LeadFieldFilter).max(50),
  steps: z.array(NurtureStep).min(1).max(50),
};
export const NurtureSequenceCreate = z.strictObject({ ...nurtureFields, active: z.boolean().default(true), enrollFilters: nurtureFields.enrollFilters.default([]) });
export type NurtureSequenceCreate = z.infer<typeof NurtureSequenceCreate>;
export const NurtureSequencePatch = patchOf(nurtureFields, { expectedVersion });
export type NurtureSequencePatch = z.infer<typeof NurtureSequencePatch>;
export const NurtureSequenceRecord = NurtureSequence.extend(version);
export type NurtureSequenceRecord = z.infer<typeof NurtureSequenceRecord>;

// ── Web forms ────────────────────────────────────────────────────────────────────────────────────────────────────

/** A form's public key, part of the capture URL (unique across the server). */
export const FormKey = z.string().regex(/^[A-Za-z0-9._~-]{1,100}$/, 'expected 1 to 100 letters, digits or . _ ~ -');
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const PostedName = z.string().regex(/^[^\u0000-\u001f\u007f]{1,100}$/, 'expected 1 to 100 characters, no control characters');
/** `*` (any site), or a browser origin: scheme, host and optional port, nothing else (e.g. https://www.example.com). */
export const AllowedOrigin = z
  .string()
  .max(300)
  .regex(/^(\*|https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?)$/i, 'expected an origin such as https://www.example.com, or *')
  .refine((o) => Number(/:(\d+)$/.exec(o)?.[1] ?? 0) <= 65_535, { message: 'port out of range' })
  // Browsers send the scheme and host in lower case.
  .transform((o) => o.toLowerCase());
/** Where an HTML form post is redirected: a path on this server, or an http(s) URL. */
export const ThankYouUrl = z.string().max(2000).regex(/^(\/(?![/\\])|https?:\/\/[^\s/]+)[^\s]*$/, 'expected a path such as /thanks or an http(s) URL');

const formFields = {
  key: FormKey,
  name: ShortText.min(1),
  /** Posted field name → lead field; posted names equal to a lead field map onto it anyway. */
  fieldMap: z.record(PostedName, z.enum(CAPTURE_TARGETS)).refine((m) => Object.keys(m).length <= 100, { message: 'at most 100 mapped fields' }),
  defaults: z.strictObject({ source: ShortText.min(1).nullable(), medium: ShortText.min(1).nullable(), campaign: ShortText.min(1).nullable() }),
  allowedOrigins: uniqueItems(AllowedOrigin, 50),
  honeypotField: PostedName.nullable(),
  thankYouUrl: ThankYouUrl.nullable(),
  submissionIdField: PostedName.nullable(),
  active: z.boolean(),
};
export const FormCreate = z.strictObject({
  ...formFields,
  fieldMap: formFields.fieldMap.default({}),
  defaults: formFields.defaults.default({ source: null, medium: null, campaign: null }),
  allowedOrigins: formFields.allowedOrigins.default([]),
  honeypotField: formFields.honeypotField.default(null),
  thankYouUrl: formFields.thankYouUrl.default(null),
  submissionIdField: formFields.submissionIdField.default(null),
  active: z.boolean().default(true),
  /** Require an HMAC-SHA256 signature: the server makes the secret and answers it once, in `hmacSecret`. */
  signed: z.boolean().default(false),
});
export type FormCreate = z.infer<typeof FormCreate>;
export const FormPatch = patchOf(formFields, {});
export type FormPatch = z.infer<typeof FormPatch>;

export const FormRecord = z.object({
  id: Id,
  tenantId: Id,
  ...formFields,
  fieldMap: z.record(z.string(), z.string()),
  allowedOrigins: z.array(z.string()),
  /** Whether posts must be signed; the secret itself is only ever answered when it is made. */
  signed: z.boolean(),
  createdAt: Instant,
});
export type FormRecord = z.infer<typeof FormRecord>;
/** The answer of creating a signed form or of POST /forms/:id/secret: the only time the secret is shown. */
export const FormWithSecret = FormRecord.extend({ hmacSecret: z.string() });
export type FormWithSecret = z.infer<typeof FormWithSecret>;

// ── Users, teams, reasons, settings ──────────────────────────────────────────────────────────────────────────────

export const Password = z.string().min(8, 'at least 8 characters').max(1024);
const UserEmail = z.string().trim().toLowerCase().max(254).pipe(z.email());

const userFields = {
  email: UserEmail,
  name: User.shape.name,
  role: RoleName,
  teamId: Id.nullable(),
  managerId: Id.nullable(),
  /** Open leads the user can hold (distribution); null = unlimited. */
  capacity: z.number().int().min(0).max(1_000_000).nullable(),
  territory: ShortText.min(1).nullable(),
};
export const UserCreate = z.strictObject({
  ...userFields,
  teamId: Id.nullable().default(null),
  managerId: Id.nullable().default(null),
  capacity: userFields.capacity.default(null),
  territory: userFields.territory.default(null),
  /** The initial password; the user signs in with it. */
  password: Password,
});
export type UserCreate = z.infer<typeof UserCreate>;
/** `active: false` deactivates the user: their sessions end at once and they can no longer sign in. */
export const UserPatch = patchOf({ ...userFields, active: z.boolean() }, { expectedVersion });
export type UserPatch = z.infer<typeof UserPatch>;
export const PasswordReset = z.strictObject({ password: Password });
export type PasswordReset = z.infer<typeof PasswordReset>;
export const UserRecord = User.extend(version);
export type UserRecord = z.infer<typeof UserRecord>;

const teamFields = { name: Team.shape.name, managerId: Id.nullable() };
export const TeamCreate = z.strictObject({ ...teamFields, managerId: Id.nullable().default(null) });
export type TeamCreate = z.infer<typeof TeamCreate>;
export const TeamPatch = patchOf(teamFields, { expectedVersion });
export type TeamPatch = z.infer<typeof TeamPatch>;
export const TeamRecord = Team.extend(version);
export type TeamRecord = z.infer<typeof TeamRecord>;

export const WinLossReasonCreate = z.strictObject({ kind: WinLossReason.shape.kind, label: WinLossReason.shape.label });
export type WinLossReasonCreate = z.infer<typeof WinLossReasonCreate>;
export const WinLossReasonPatch = patchOf({ label: WinLossReason.shape.label, active: z.boolean() }, { expectedVersion });
export type WinLossReasonPatch = z.infer<typeof WinLossReasonPatch>;
export const WinLossReasonRecord = WinLossReason.extend(version);
export type WinLossReasonRecord = z.infer<typeof WinLossReasonRecord>;

/** The tenant's settings, whole (missing ones take their defaults); `expectedVersion` is the tenant's row version. */
export const TenantSettingsInput = TenantSettings.extend({ expectedVersion }).strict();
export type TenantSettingsInput = z.infer<typeof TenantSettingsInput>;
export const TenantSettingsRecord = z.object({ settings: TenantSettings, ...version });
export type TenantSettingsRecord = z.infer<typeof TenantSettingsRecord>;

export interface ItemList<T> {
  items: T[];
}
