// Lead conversion in one mutation: company (linked or created), contact, optional deal, and the lead marked converted.
import { z } from 'zod';
import { AppError } from '../api/errors';
import { CalendarDate, Id, MinorUnits, ShortText } from '../domain/common.schema';
import type { Company, Contact } from '../domain/leads.schema';
import { planConversion } from '../domain/lead-conversion';
import type { ConversionDealInput } from '../domain/lead-conversion';
import { mustGet, requireLeadEditable, requireMoveRights } from './access';
import { defineMutator } from './mutator';
import type { MutationTx } from './mutation-tx';
import { loadPipelineConfig, startStage } from './pipeline-config';
import { enterFirstStage } from './stage-history-step';

/** 'auto' links a matching record or creates one; 'new' always creates; 'existing' links the one named. */
export const CompanyChoiceArgs = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('new') }),
  z.object({ kind: z.literal('existing'), companyId: Id }),
]);
export const ContactChoiceArgs = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('new') }),
  z.object({ kind: z.literal('existing'), contactId: Id }),
]);

export const ConversionDealArgs = z.object({
  pipelineId: Id,
  /** Defaults to the pipeline's first open stage. */
  stageId: Id.optional(),
  name: ShortText.optional(),
  amountMinor: MinorUnits.nullable().optional(),
  expectedCloseDate: CalendarDate.nullable().optional(),
});

/** Companies that could match the lead: all of the tenant's (matching normalises names, which no index serves). */
async function candidateCompanies(tx: MutationTx, choice: z.output<typeof CompanyChoiceArgs>): Promise<Company[]> {
  if (choice.kind === 'existing') {
    const one = await tx.get('companies', choice.companyId);
    return one ? [one] : [];
  }
  return choice.kind === 'auto' ? tx.find('companies', {}) : [];
}

async function candidateContacts(tx: MutationTx, choice: z.output<typeof ContactChoiceArgs>, email: string | null): Promise<Contact[]> {
  if (choice.kind === 'existing') {
    const one = await tx.get('contacts', choice.contactId);
    return one ? [one] : [];
  }
  if (choice.kind === 'new' || !email) return [];
  const lower = email.toLowerCase();
  const found = await tx.find('contacts', { email });
  return lower === email ? found : [...found, ...(await tx.find('contacts', { email: lower }))];
}

export const leadsConvert = defineMutator({
  name: 'leads.convert',
  args: z.object({
    leadId: Id,
    company: CompanyChoiceArgs.default({ kind: 'auto' }),
    contact: ContactChoiceArgs.default({ kind: 'auto' }),
    deal: ConversionDealArgs.nullable().optional(),
    /** Ids for the records the conversion creates (each used only if it creates that record). */
    ids: z.object({ company: Id, contact: Id, deal: Id }),
  }),
  async run(tx, a, env) {
    const lead = await mustGet(tx, 'leads', a.leadId, 'lead');
    requireLeadEditable(env.actor, lead);
    let deal: ConversionDealInput | null = null;
    if (a.deal) {
      const config = await loadPipelineConfig(tx, a.deal.pipelineId);
      requireMoveRights(env.actor, config.pipeline);
      deal = { pipeline: config.pipeline, stage: startStage(config, a.deal.stageId), name: a.deal.name, amountMinor: a.deal.amountMinor ?? null, expectedCloseDate: a.deal.expectedCloseDate ?? null };
    }
    const plan = planConversion({
      lead,
      existingCompanies: await candidateCompanies(tx, a.company),
      existingContacts: await candidateContacts(tx, a.contact, lead.email),
      ids: a.ids,
      now: env.now,
      deal,
      companyChoice: a.company,
      contactChoice: a.contact,
    });
    if (!plan.ok) throw AppError.fromRefusal(plan.refusal);
    const { company, contact, deal: newDeal, leadChanges } = plan.value;
    if (company?.action === 'create') await tx.insert('companies', company.row, { action: 'convert', note: { fromLeadId: lead.id } });
    if (contact.action === 'create') await tx.insert('contacts', contact.row, { action: 'convert', note: { fromLeadId: lead.id } });
    if (newDeal) {
      await tx.insert('deals', newDeal, { action: 'convert', note: { fromLeadId: lead.id } });
      await enterFirstStage(tx, env, newDeal);
    }
    await tx.update('leads', lead.id, leadChanges, { action: 'convert' });
  },
});
