// Configuration for the automations: scoring, distribution rules and nurture sequences.
import { z } from 'zod';
import { Id, Instant, ShortText, LongText } from './common.schema';
import { LeadStatus } from './leads.schema';
import { ActivityKind } from './activities.schema';

/** Lead fields that rules may look at. */
export const LEAD_RULE_FIELDS = ['source', 'medium', 'campaign', 'formKey', 'country', 'region', 'title', 'companyName', 'email', 'phone'] as const;
export const LeadRuleField = z.enum(LEAD_RULE_FIELDS);
export type LeadRuleField = z.infer<typeof LeadRuleField>;

/**
 * One condition on a lead field. `eq`/`in` compare case-insensitively; `contains` is a substring test;
 * `present` ignores values; `emailDomainIn` tests the email's domain.
 */
export const LeadFieldFilter = z.object({
  field: LeadRuleField,
  op: z.enum(['eq', 'in', 'contains', 'present', 'emailDomainIn']),
  values: z.array(z.string().max(200)).max(500),
});
export type LeadFieldFilter = z.infer<typeof LeadFieldFilter>;

export const FitRule = z.object({
  key: z.string().min(1).max(60),
  label: ShortText.min(1),
  when: LeadFieldFilter,
  points: z.number().int().min(-100).max(100),
});
export type FitRule = z.infer<typeof FitRule>;

export const EngagementRule = z.object({
  kind: ActivityKind,
  points: z.number().int().min(-100).max(100),
});
export type EngagementRule = z.infer<typeof EngagementRule>;

export const ScoringConfig = z.object({
  tenantId: Id,
  configVersion: z.number().int().min(1),
  fitRules: z.array(FitRule),
  engagementRules: z.array(EngagementRule),
  /** Engagement points halve every this many days after the activity. */
  engagementHalfLifeDays: z.number().min(1).max(3650),
  maxEngagementPoints: z.number().int().min(0).max(100),
  /** Learned win probability (Odoo-style naive Bayes over closed leads). */
  predictive: z.object({
    fields: z.array(LeadRuleField).min(1),
    /** Values seen on fewer closed leads than this are ignored. */
    minSamples: z.number().int().min(1),
    /** Laplace smoothing added to won and lost counts. */
    smoothing: z.number().min(0),
  }),
});
export type ScoringConfig = z.infer<typeof ScoringConfig>;

export const DistributionMethod = z.enum(['roundRobin', 'leastBusy', 'capacityWeighted']);
export type DistributionMethod = z.infer<typeof DistributionMethod>;

export const DistributionRule = z.object({
  id: Id,
  tenantId: Id,
  name: ShortText.min(1),
  /** Rules are tried in ascending position; the first whose filters all match wins. */
  position: z.number().int().min(0),
  active: z.boolean(),
  filters: z.array(LeadFieldFilter),
  method: DistributionMethod,
  memberIds: z.array(Id).min(1),
});
export type DistributionRule = z.infer<typeof DistributionRule>;


export const NurtureStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), waitHours: z.number().min(0).max(24 * 365), subject: ShortText.min(1), body: LongText }),
  z.object({ kind: z.literal('task'), waitHours: z.number().min(0).max(24 * 365), subject: ShortText.min(1), body: LongText.nullable() }),
]);
export type NurtureStep = z.infer<typeof NurtureStep>;

export const NurtureSequence = z.object({
  id: Id,
  tenantId: Id,
  name: ShortText.min(1),
  active: z.boolean(),
  /** Leads in one of these statuses that match every filter are enrolled. */
  enrollStatuses: z.array(LeadStatus).min(1),
  enrollFilters: z.array(LeadFieldFilter),
  steps: z.array(NurtureStep).min(1),
});
export type NurtureSequence = z.infer<typeof NurtureSequence>;

export const NurtureEnrollment = z.object({
  id: Id,
  tenantId: Id,
  sequenceId: Id,
  leadId: Id,
  stepIndex: z.number().int().min(0),
  status: z.enum(['active', 'stopped', 'completed']),
  stopReason: z.enum(['replied', 'statusChanged', 'converted', 'manual']).nullable(),
  nextRunAt: Instant.nullable(),
  enrolledAt: Instant,
});
export type NurtureEnrollment = z.infer<typeof NurtureEnrollment>;
