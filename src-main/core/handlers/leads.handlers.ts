// Handlers of the leads methods: writes go through named mutations, reads are plain queries.
import type { HandlerMap } from '../../../src-shared/api/contract';
import type { LEADS_API } from '../../../src-shared/api/leads.api';
import type { CoreContext } from '../core-context';
import { mustRead } from '../core-context';
import { leadDuplicates } from '../queries/lead-duplicates.query';
import { leadQueue } from '../queries/lead-queue.query';
import { rescoreAllLeads } from '../lead-rescore';
import { importLeads } from '../lead-import';

/** Applies a lead mutation and returns the lead as stored after it. */
async function mutateLead(ctx: CoreContext, name: string, args: { id: string }) {
  await ctx.writes.applyMutation(name, args);
  return mustRead(ctx, 'leads', args.id, 'lead');
}

export const leadsHandlers: HandlerMap<typeof LEADS_API, CoreContext> = {
  async 'leads.create'(input, ctx) {
    const id = input.id ?? ctx.newId();
    const duplicates = leadDuplicates(ctx, { firstName: input.firstName ?? null, lastName: input.lastName ?? null, email: input.email ?? null, phone: input.phone ?? null, companyName: input.companyName ?? null });
    await ctx.writes.applyMutation('leads.create', { ...input, id, possibleDuplicateOf: duplicates[0]?.id ?? null });
    return { lead: mustRead(ctx, 'leads', id, 'lead'), duplicates };
  },
  'leads.update': (input, ctx) => mutateLead(ctx, 'leads.update', input),
  'leads.qualify': (input, ctx) => mutateLead(ctx, 'leads.qualify', input),
  'leads.advance': (input, ctx) => mutateLead(ctx, 'leads.advance', input),
  'leads.disqualify': (input, ctx) => mutateLead(ctx, 'leads.disqualify', input),
  'leads.reopen': (input, ctx) => mutateLead(ctx, 'leads.reopen', input),
  async 'leads.assign'(input, ctx) {
    await ctx.writes.applyMutation('leads.assign', input);
    return { updated: new Set(input.ids).size };
  },
  async 'leads.convert'(input, ctx) {
    const ids = { company: ctx.newId(), contact: ctx.newId(), deal: ctx.newId() };
    await ctx.writes.applyMutation('leads.convert', { ...input, ids });
    const lead = mustRead(ctx, 'leads', input.leadId, 'lead');
    return {
      lead,
      company: lead.convertedCompanyId ? mustRead(ctx, 'companies', lead.convertedCompanyId, 'company') : null,
      contact: mustRead(ctx, 'contacts', lead.convertedContactId ?? '', 'contact'),
      deal: lead.convertedDealId ? mustRead(ctx, 'deals', lead.convertedDealId, 'deal') : null,
    };
  },
  async 'leads.merge'(input, ctx) {
    await ctx.writes.applyMutation('leads.merge', input);
    return mustRead(ctx, 'leads', input.winnerId, 'lead');
  },
  'leads.get': (input, ctx) => mustRead(ctx, 'leads', input.id, 'lead'),
  'leads.queue': (input, ctx) => leadQueue(ctx, input),
  'leads.findDuplicates'(input, ctx) {
    const opts = { threshold: input.threshold, limit: input.limit };
    if ('leadId' in input) {
      const lead = mustRead(ctx, 'leads', input.leadId, 'lead');
      return leadDuplicates(ctx, lead, opts);
    }
    const d = input.draft;
    return leadDuplicates(ctx, { firstName: d.firstName ?? null, lastName: d.lastName ?? null, email: d.email ?? null, phone: d.phone ?? null, companyName: d.companyName ?? null }, opts);
  },
  'leads.import': (input, ctx) => importLeads(ctx, input),
  async 'leads.rescore'(_input, ctx) {
    return { rescored: await rescoreAllLeads(ctx) };
  },
};
