// What a converted lead became: its company and contact by name, and its deal (name, amount, pipeline and stage).
import type { Lead } from '../../src-shared/domain/leads.schema';
import { useQuery } from '../hooks/useQuery';
import { formatMinor } from './money-input';

export function ConvertedSummary({ lead }: { lead: Lead }) {
  const deal = useQuery('deals.get', lead.convertedDealId ? { id: lead.convertedDealId } : null, ['deals']).data?.deal;
  const company = useQuery('companies.get', lead.convertedCompanyId ? { id: lead.convertedCompanyId } : null, ['companies'], { quiet: true }).data;
  const contact = useQuery('contacts.get', lead.convertedContactId ? { id: lead.convertedContactId } : null, ['contacts'], { quiet: true }).data;
  const pipelines = useQuery('pipelines.list', lead.convertedDealId ? {} : null, ['pipelines', 'stages']).data;
  const p = deal && pipelines?.find((x) => x.pipeline.id === deal.pipelineId);
  const stage = deal && p?.stages.find((s) => s.id === deal.stageId);
  return (
    <section className="card ld-converted" aria-label="Conversion" data-testid="converted-summary">
      <h3>Converted</h3>
      <ul>
        <li data-testid="converted-company">Company: {lead.convertedCompanyId ? (company?.name ?? 'not visible to you yet') : 'none'}</li>
        <li data-testid="converted-contact">
          Contact: {lead.convertedContactId ? (contact ? `${contact.firstName} ${contact.lastName}`.trim() + (contact.email ? ` <${contact.email}>` : '') : 'not visible to you yet') : 'none'}
        </li>
        <li data-testid="converted-deal">
          {!lead.convertedDealId
            ? 'No deal was created.'
            : deal
              ? `Deal ${deal.name}${deal.amountMinor !== null ? `, ${formatMinor(deal.amountMinor, deal.currency)}` : ''}${p ? ` in ${p.pipeline.name}` : ''}${stage ? ` / ${stage.name}` : ''} (${deal.status})`
              : 'Deal not visible to you yet.'}
        </li>
      </ul>
    </section>
  );
}
