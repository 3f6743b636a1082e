// The server's record read/edit contract: leads, deals and pipelines as the caller may see them.
import { z } from 'zod';
import { Id, Email, ShortText } from '../domain/common.schema';
import { Lead, LeadStatus } from '../domain/leads.schema';
import { Deal, DealStatus, Pipeline, Stage } from '../domain/deals.schema';

/** The row's per-tenant change version, for optimistic concurrency (`expectedVersion`). */
const Versioned = { version: z.number().int().min(0) };

export const IdParams = z.strictObject({ id: Id });
export type IdParams = z.infer<typeof IdParams>;

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque; from the previous page's `nextCursor`. */
  cursor: z.string().min(1).max(200).optional(),
});

export const LeadListQuery = PageQuery.extend({
  status: LeadStatus.optional(),
  ownerId: Id.optional(),
  archived: booleanParam.default(false),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

export const LeadRecord = Lead.extend(Versioned);
export type LeadRecord = z.infer<typeof LeadRecord>;

export const LeadPage = z.object({ items: z.array(LeadRecord), nextCursor: z.string().nullable() });
export type LeadPage = z.infer<typeof LeadPage>;

const expectedVersion = z.number().int().min(0).optional();

/** Contact fields and the owner; status changes go through the lifecycle, not a patch. */
export const LeadPatch = z
  .strictObject({
    firstName: ShortText,
    lastName: ShortText,
    email: Email.nullable(),
    phone: z.string().trim().max(40).nullable(),
    companyName: ShortText.nullable(),
    title: ShortText.nullable(),
    country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code such as DE').nullable(),
    region: ShortText.nullable(),
    /** Reassigns the lead (needs the reassign permission); its team follows the new owner. */
    ownerId: Id.nullable(),
  })
  .partial()
  .extend({ expectedVersion })
  .refine((p) => Object.keys(p).some((k) => k !== 'expectedVersion'), { message: 'nothing to change' });
export type LeadPatch = z.infer<typeof LeadPatch>;

export const DealListQuery = PageQuery.extend({
  pipelineId: Id.optional(),
  stageId: Id.optional(),
  status: DealStatus.optional(),
  ownerId: Id.optional(),
});
export type DealListQuery = z.infer<typeof DealListQuery>;

export const DealRecord = Deal.extend(Versioned);
export type DealRecord = z.infer<typeof DealRecord>;

export const DealPage = z.object({ items: z.array(DealRecord), nextCursor: z.string().nullable() });
export type DealPage = z.infer<typeof DealPage>;

/** Low-risk fields only: amount, stage, owner and close date change through deal mutations and their rules. */
export const DealPatch = z
  .strictObject({
    name: ShortText.min(1),
    nextStep: ShortText.nullable(),
  })
  .partial()
  .extend({ expectedVersion })
  .refine((p) => Object.keys(p).some((k) => k !== 'expectedVersion'), { message: 'nothing to change' });
export type DealPatch = z.infer<typeof DealPatch>;

export const PipelineWithStages = Pipeline.extend({ stages: z.array(Stage), ...Versioned });
export type PipelineWithStages = z.infer<typeof PipelineWithStages>;

export const PipelineList = z.object({ items: z.array(PipelineWithStages) });
export type PipelineList = z.infer<typeof PipelineList>;
