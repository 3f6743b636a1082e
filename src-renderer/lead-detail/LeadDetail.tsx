// The lead detail screen: header with score and source, inline-edited fields, lifecycle, conversion, duplicates, timeline, history.
import { useCallback, useRef, useState } from 'react';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { useQuery } from '../hooks/useQuery';
import { appState } from '../state/app-store';
import { ActivityTimeline } from './ActivityTimeline';
import { AuditHistory } from './AuditHistory';
import { ConversionWizard } from './ConversionWizard';
import { ConvertedSummary } from './ConvertedSummary';
import { DuplicatesCard } from './DuplicatesCard';
import { LeadFieldsCard } from './LeadFieldsCard';
import { LeadHeader } from './LeadHeader';
import { LifecycleActions } from './LifecycleActions';
import './lead-detail.css';

/** A write's answer, and the read it was newer than. */
interface Written {
  lead: Lead;
  over: Lead | undefined;
}

export function LeadDetail({ id }: { id: string }) {
  const query = useQuery('leads.get', { id }, ['leads']);
  const [written, setWritten] = useState<Written | null>(null);
  const [converting, setConverting] = useState(false);
  // A save shows at once; the next read replaces it, so a write the server later refuses (and sync rolls back) does not linger.
  const read = useRef(query.data);
  read.current = query.data;
  const onSaved = useCallback((lead: Lead) => setWritten({ lead, over: read.current }), []);
  const lead = written && written.over === query.data ? written.lead : query.data;

  if (!lead) {
    return (
      <section aria-label="Lead" className="lead-detail">
        <button type="button" className="link" onClick={() => appState().navigate({ name: 'leads' })}>
          ← Back to the lead queue
        </button>
        <p className="muted">{query.loading ? 'Loading the lead…' : 'This lead is not in your store (merged away, or no longer visible to you).'}</p>
      </section>
    );
  }

  return (
    <section aria-label="Lead" className="lead-detail" data-testid="lead-detail" data-lead-id={lead.id}>
      <LeadHeader lead={lead} />
      <div className="ld-columns">
        <div className="ld-column">
          {lead.status === 'CONVERTED' && <ConvertedSummary lead={lead} />}
          <LifecycleActions lead={lead} onSaved={onSaved} onConvert={() => setConverting(true)} />
          {converting && <ConversionWizard lead={lead} onClose={() => setConverting(false)} />}
          <LeadFieldsCard lead={lead} onSaved={onSaved} />
          <DuplicatesCard lead={lead} />
        </div>
        <div className="ld-column">
          <ActivityTimeline leadId={lead.id} />
          <AuditHistory leadId={lead.id} />
        </div>
      </div>
    </section>
  );
}
