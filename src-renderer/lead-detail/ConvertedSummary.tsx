// What a converted lead became: its deal (name, amount, pipeline and stage) and that a contact and company were linked.
import type { Lead } from '../../src-shared/domain/leads.schema';
import { useQuery } from '../hooks/useQuery';
import { formatMinor } from './money-input';

export function ConvertedSummary({ lead }: { lead: Lead }) {
  const deal = useQuery('deals.get', lead.convertedDealId ? { id: lead.convertedDealId } : null, ['deals']).data?.deal;
  const pipelines = useQuery('pipelines.list', lead.convertedDealId ? {} : null, ['pipelines', 'stages']).data;
  const p = deal && pipelines?.find((x) => x.pipeline.id === deal.pipelineId);
  const stage = deal && p?.stages.find((s) => s.id === deal.stageId);
  return (
    <section className="card ld-converted" aria-label="Conversion" data-testid="converted-summary">
      <h3>Converted</h3>
      <ul>
        <li>{lead.convertedCompanyId ? 'Linked to a company' : 'No company'} · contact {lead.convertedContactId ? 'linked' : 'missing'}</li>
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
