// The lead's likely duplicates with their match score and matched fields, each with a merge that previews first.
import { useState } from 'react';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { useQuery } from '../hooks/useQuery';
import { useApp, userName } from '../state/app-store';
import { MergePreview } from './MergePreview';

const percent = (score: number) => `${Math.round(score * 100)}%`;

export function DuplicatesCard({ lead }: { lead: Lead }) {
  const { data } = useQuery('leads.findDuplicates', { leadId: lead.id }, ['leads']);
  const users = useApp((s) => s.directory.users);
  const [mergeWith, setMergeWith] = useState<string | null>(null);

  return (
    <section className="card" aria-label="Possible duplicates">
      <h3>Possible duplicates</h3>
      {data && data.length === 0 && <p className="muted">No likely duplicates.</p>}
      {data && data.length > 0 && (
        <ul className="ld-dupes">
          {data.map((d) => (
            <li key={d.id} data-testid="duplicate">
              <div>
                <strong>
                  {d.lead.firstName} {d.lead.lastName}
                </strong>{' '}
                <span className="muted">
                  {[d.lead.email, d.lead.phone, d.lead.companyName].filter(Boolean).join(' · ')} · {d.lead.status} · {userName(users, d.lead.ownerId)}
                </span>
              </div>
              <div>
                Match <strong data-testid="duplicate-score">{percent(d.score)}</strong>:{' '}
                {d.matched.map((m) => (
                  <span key={m.field} className="ld-chip">
                    {m.field} {percent(m.score)}
                  </span>
                ))}
              </div>
              <button type="button" onClick={() => setMergeWith(d.id)} disabled={mergeWith === d.id}>
                Merge…
              </button>
            </li>
          ))}
        </ul>
      )}
      {mergeWith && <MergePreview key={mergeWith} current={lead} otherId={mergeWith} onClose={() => setMergeWith(null)} />}
    </section>
  );
}
