// The leads methods of the API: capture and edit, lifecycle moves, assignment, conversion, merge, queue, duplicates.
import { z } from 'zod';
import { defineMethods } from './contract';
import { Id, Instant } from '../domain/common.schema';
import { LeadFields } from '../mutators/lead-args';
import { LeadsCreateArgs } from '../mutators/leads.mutators';
import { MergeChoices } from '../mutators/lead-merge.mutator';
import { CompanyChoiceArgs, ContactChoiceArgs, ConversionDealArgs } from '../mutators/lead-convert.mutator';
import { Company, Contact, Lead, LeadStatus } from '../domain/leads.schema';
import { Deal } from '../domain/deals.schema';

export const DuplicateMatchOut = z.object({
  id: Id,
  score: z.number().min(0).max(1),
  matched: z.array(z.object({ field: z.enum(['email', 'phone', 'name', 'company']), score: z.number() })),
  lead: Lead.pick({ firstName: true, lastName: true, email: true, phone: true, companyName: true, status: true, ownerId: true }),
});
export type DuplicateMatchOut = z.infer<typeof DuplicateMatchOut>;

export const LeadQueueRow = Lead.pick({
  id: true, firstName: true, lastName: true, email: true, phone: true, companyName: true, title: true, country: true,
  source: true, status: true, score: true, ownerId: true, teamId: true, possibleDuplicateOf: true, lastActivityAt: true,
  createdAt: true, updatedAt: true, scoreFactors: true,
});
export type LeadQueueRow = z.infer<typeof LeadQueueRow>;

export const LeadQueueSort = z.enum(['score', 'createdAt', 'updatedAt', 'name']);

export const LeadQueueInput = z.object({
  status: z.array(LeadStatus).max(6).optional(),
  source: z.array(z.string().max(200)).max(50).optional(),
  /** null in the list means unassigned leads. */
  ownerId: z.array(Id.nullable()).max(200).optional(),
  teamId: z.array(Id).max(200).optional(),
  scoreMin: z.number().int().min(0).max(100).optional(),
  scoreMax: z.number().int().min(0).max(100).optional(),
  createdFrom: Instant.optional(),
  createdTo: Instant.optional(),
  /** Matches name, email or company (case-insensitive substring). */
  search: z.string().trim().max(200).optional(),
  includeArchived: z.boolean().default(false),
  sort: LeadQueueSort.default('score'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(500).default(50),
  /** Either an offset or the cursor of the previous page. */
  offset: z.number().int().min(0).max(1_000_000).optional(),
  cursor: z.string().max(500).optional(),
  /** Also count every match (a scan of the matching index range, ~1 ms per 20k matches): ask on the first page only. */
  withTotal: z.boolean().default(false),
});

const DuplicateProbe = LeadFields.pick({ firstName: true, lastName: true, email: true, phone: true, companyName: true });

export const ImportRowResult = z.object({
  row: z.number().int().min(0),
  status: z.enum(['created', 'skipped', 'rejected']),
  leadId: Id.nullable(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  duplicates: z.array(z.object({ id: Id, score: z.number() })),
});

export const LEADS_API = defineMethods({
  'leads.create': {
    input: LeadsCreateArgs.omit({ possibleDuplicateOf: true }).extend({ id: Id.optional() }),
    output: z.object({ lead: Lead, duplicates: z.array(DuplicateMatchOut) }),
  },
  'leads.update': { input: z.object({ id: Id, patch: LeadFields }), output: Lead },
  'leads.qualify': { input: z.object({ id: Id }), output: Lead },
  'leads.advance': { input: z.object({ id: Id, to: z.enum(['CONTACTED', 'NEGOTIATING']) }), output: Lead },
  'leads.disqualify': { input: z.object({ id: Id, reason: z.string().trim().max(200) }), output: Lead },
  'leads.reopen': { input: z.object({ id: Id }), output: Lead },
  'leads.assign': {
    input: z.object({ ids: z.array(Id).min(1).max(5000), ownerId: Id.nullable(), teamId: Id.nullable().optional() }),
    output: z.object({ updated: z.number().int() }),
  },
  'leads.convert': {
    input: z.object({
      leadId: Id,
      company: CompanyChoiceArgs.default({ kind: 'auto' }),
      contact: ContactChoiceArgs.default({ kind: 'auto' }),
      deal: ConversionDealArgs.nullable().optional(),
    }),
    output: z.object({ lead: Lead, company: Company.nullable(), contact: Contact, deal: Deal.nullable() }),
  },
  'leads.merge': { input: z.object({ winnerId: Id, loserId: Id, fields: MergeChoices.optional() }), output: Lead },
  'leads.get': { input: z.object({ id: Id }), output: Lead },
  'leads.queue': { input: LeadQueueInput, output: z.object({ rows: z.array(LeadQueueRow), total: z.number().int().nullable(), nextCursor: z.string().nullable() }) },
  'leads.findDuplicates': {
    input: z.union([
      z.object({ leadId: Id, threshold: z.number().min(0).max(1).optional(), limit: z.number().int().min(1).max(50).default(10) }),
      z.object({ draft: DuplicateProbe, threshold: z.number().min(0).max(1).optional(), limit: z.number().int().min(1).max(50).default(10) }),
    ]),
    output: z.array(DuplicateMatchOut),
  },
  'leads.import': {
    input: z.object({
      /** Raw rows (e.g. parsed CSV); each is validated on its own and rejected with reasons when bad. */
      rows: z.array(z.record(z.string(), z.unknown())).min(1).max(10_000),
      ownerId: Id.nullable().optional(),
      /** What to do with a row that looks like an existing lead: create it flagged, or skip it. */
      onDuplicate: z.enum(['flag', 'skip']).default('flag'),
    }),
    output: z.object({ created: z.number().int(), skipped: z.number().int(), rejected: z.number().int(), rows: z.array(ImportRowResult) }),
  },
  'leads.rescore': { input: z.object({}), output: z.object({ rescored: z.number().int() }) },
});
