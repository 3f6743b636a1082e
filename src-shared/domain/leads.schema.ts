// Leads, and the contacts and companies a lead converts into.
import { z } from 'zod';
import { Id, Instant, Email, ShortText } from './common.schema';

export const LEAD_STATUSES = ['NEW', 'QUALIFIED', 'CONTACTED', 'NEGOTIATING', 'CONVERTED', 'DISQUALIFIED'] as const;
export const LeadStatus = z.enum(LEAD_STATUSES);
export type LeadStatus = z.infer<typeof LeadStatus>;

/** One factor's share of a score, so every score explains itself. */
export const ScoreFactor = z.object({
  key: z.string(),
  label: z.string(),
  points: z.number(),
});
export type ScoreFactor = z.infer<typeof ScoreFactor>;

/** Where a lead came from: UTM fields, referrer and the capturing form. */
export const LeadSource = z.object({
  source: ShortText.nullable(),
  medium: ShortText.nullable(),
  campaign: ShortText.nullable(),
  referrer: z.string().max(2000).nullable(),
  formKey: ShortText.nullable(),
});
export type LeadSource = z.infer<typeof LeadSource>;

export const Lead = z.object({
  id: Id,
  tenantId: Id,
  firstName: ShortText,
  lastName: ShortText,
  email: Email.nullable(),
  phone: z.string().trim().max(40).nullable(),
  companyName: ShortText.nullable(),
  title: ShortText.nullable(),
  country: z.string().trim().max(2).nullable(),
  region: ShortText.nullable(),
  ...LeadSource.shape,
  status: LeadStatus,
  disqualifyReason: ShortText.nullable(),
  score: z.number().int().min(0).max(100),
  scoreFactors: z.array(ScoreFactor),
  /** Learned win probability 0..1 from closed history, null until there is enough data. */
  winProbability: z.number().min(0).max(1).nullable(),
  ownerId: Id.nullable(),
  teamId: Id.nullable(),
  possibleDuplicateOf: Id.nullable(),
  convertedContactId: Id.nullable(),
  convertedCompanyId: Id.nullable(),
  convertedDealId: Id.nullable(),
  lastActivityAt: Instant.nullable(),
  archived: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Lead = z.infer<typeof Lead>;

export const Company = z.object({
  id: Id,
  tenantId: Id,
  name: ShortText.min(1),
  domain: z.string().trim().toLowerCase().max(253).nullable(),
  ownerId: Id.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Company = z.infer<typeof Company>;

export const Contact = z.object({
  id: Id,
  tenantId: Id,
  companyId: Id.nullable(),
  firstName: ShortText,
  lastName: ShortText,
  email: Email.nullable(),
  phone: z.string().trim().max(40).nullable(),
  title: ShortText.nullable(),
  ownerId: Id.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Contact = z.infer<typeof Contact>;
