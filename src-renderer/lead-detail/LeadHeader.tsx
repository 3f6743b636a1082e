// The lead's header: who and where from, its status and owner, and its score explained factor by factor.
import type { Lead } from '../../src-shared/domain/leads.schema';
import { appState, useApp, userName } from '../state/app-store';
import { formatWhen } from './field-errors';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function LeadHeader({ lead }: { lead: Lead }) {
  const users = useApp((s) => s.directory.users);
  const teams = useApp((s) => s.directory.teams);
  const name = `${lead.firstName} ${lead.lastName}`.trim() || lead.email || lead.companyName || 'Unnamed lead';
  const team = teams.find((t) => t.id === lead.teamId)?.name;
  const utm = [lead.source, lead.medium, lead.campaign].map((v) => v ?? '—').join(' / ');

  return (
    <header className="ld-header card">
      <button type="button" className="link" onClick={() => appState().navigate({ name: 'leads' })}>
        ← Back to the lead queue
      </button>
      <div className="ld-title">
        <h2 data-testid="detail-name">{name}</h2>
        <span className={`ld-status ld-status-${lead.status}`} data-testid="detail-status">
          {lead.status}
        </span>
        {lead.archived && <span className="ld-status">archived</span>}
      </div>
      <p className="ld-sub">
        {lead.title && <span>{lead.title}</span>}
        {lead.companyName && <span data-testid="detail-company">{lead.companyName}</span>}
        <span>
          Owner: <strong data-testid="detail-owner">{userName(users, lead.ownerId)}</strong>
          {team ? ` (${team})` : ''}
        </span>
        <span className="muted">Created {formatWhen(lead.createdAt)}</span>
        {lead.lastActivityAt !== null && <span className="muted">Last activity {formatWhen(lead.lastActivityAt)}</span>}
      </p>
      {lead.status === 'DISQUALIFIED' && lead.disqualifyReason && <p className="warn">Disqualified: {lead.disqualifyReason}</p>}
      <div className="ld-header-grid">
        <section aria-label="Score">
          <h3>
            Score <span className="ld-score" data-testid="detail-score">{lead.score}</span>
            {lead.winProbability !== null && <span className="muted"> · win probability {Math.round(lead.winProbability * 100)}%</span>}
          </h3>
          {lead.scoreFactors.length === 0 ? (
            <p className="muted">No factor counts yet.</p>
          ) : (
            <ul className="ld-factors" data-testid="score-factors">
              {lead.scoreFactors.map((f) => (
                <li key={f.key}>
                  <span>{f.label}</span> <span className={f.points < 0 ? 'ld-neg' : 'ld-pos'}>{signed(f.points)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Source" data-testid="lead-source">
          <h3>Source</h3>
          <dl className="ld-dl">
            <dt>UTM source / medium / campaign</dt>
            <dd>{utm}</dd>
            <dt>Referrer</dt>
            <dd className="ld-wrap">{lead.referrer ?? '—'}</dd>
            <dt>Form</dt>
            <dd>{lead.formKey ?? '—'}</dd>
          </dl>
        </section>
      </div>
    </header>
  );
}
