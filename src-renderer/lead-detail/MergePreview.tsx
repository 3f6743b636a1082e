// The merge preview: which lead is kept, per field which value wins (pickable where they differ), what moves; then leads.merge.
import { useEffect, useState } from 'react';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { api, appState, messageOf } from '../state/app-store';
import { fieldErrorsOf } from './field-errors';
import { LEAD_FIELD_LABELS } from './lead-field-labels';
import { mergeChoicesOf, mergePreview } from './merge-preview';
import type { MergeField, MergePicks, MergeSide } from './merge-preview';

const nameOf = (lead: Lead) => `${lead.firstName} ${lead.lastName}`.trim() || lead.email || lead.companyName || 'Unnamed lead';

interface Loaded {
  other: Lead;
  /** Timeline entries on each lead (capped at the list's page size). */
  activities: { current: number; other: number };
}

export function MergePreview({ current, otherId, onClose }: { current: Lead; otherId: string; onClose(): void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [keep, setKeep] = useState<'current' | 'other'>('current');
  const [picks, setPicks] = useState<MergePicks>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const count = (id: string) => api().call('activities.list', { entityType: 'lead', entityId: id, limit: 500 }).then((a) => a.length);
    Promise.all([api().call('leads.get', { id: otherId }), count(current.id), count(otherId)]).then(
      ([other, mine, theirs]) => live && setLoaded({ other, activities: { current: mine, other: theirs } }),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [current.id, otherId]);

  if (!loaded) {
    return (
      <section className="card ld-merge" aria-label="Merge preview">
        {error ? <p className="error" role="alert">{error}</p> : <p className="muted">Loading the other lead…</p>}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </section>
    );
  }

  const { other } = loaded;
  const winner = keep === 'current' ? current : other;
  const loser = keep === 'current' ? other : current;
  const rows = mergePreview(winner, loser, picks);
  const moving = keep === 'current' ? loaded.activities.other : loaded.activities.current;
  // Columns stay "this lead" / "the other lead" whichever is kept, so a swap does not move the values around.
  const sideOf = (lead: 'current' | 'other'): MergeSide => (lead === keep ? 'winner' : 'loser');
  const valueIn = (row: (typeof rows)[number], lead: 'current' | 'other') => (sideOf(lead) === 'winner' ? row.winnerValue : row.loserValue);
  const pick = (field: MergeField, lead: 'current' | 'other') => setPicks({ ...picks, [field]: sideOf(lead) });
  const swap = (to: 'current' | 'other') => {
    setKeep(to);
    setPicks({});
  };

  const merge = () => {
    setBusy(true);
    setError(null);
    api()
      .call('leads.merge', { winnerId: winner.id, loserId: loser.id, fields: mergeChoicesOf(rows) })
      .then((kept) => {
        appState().notify(`Merged ${nameOf(loser)} into ${nameOf(kept)}`);
        if (kept.id !== current.id) appState().navigate({ name: 'lead', id: kept.id });
        else onClose();
      }, (err: unknown) => {
        const fields = Object.entries(fieldErrorsOf(err)).map(([f, m]) => `${f}: ${m}`);
        setError([messageOf(err), ...fields].join(' — '));
      })
      .finally(() => setBusy(false));
  };

  return (
    <section className="card ld-merge" aria-label="Merge preview" data-testid="merge-preview">
      <h3>Merge preview</h3>
      <fieldset className="ld-keep">
        <legend>Which lead is kept</legend>
        <label className="ld-radio">
          <input type="radio" name="merge-keep" checked={keep === 'current'} onChange={() => swap('current')} />
          Keep this lead ({nameOf(current)}, {current.status})
        </label>
        <label className="ld-radio">
          <input type="radio" name="merge-keep" checked={keep === 'other'} onChange={() => swap('other')} />
          Keep the other lead ({nameOf(other)}, {other.status})
        </label>
      </fieldset>
      <table className="ld-merge-table">
        <thead>
          <tr>
            <th>Field</th>
            <th>This lead</th>
            <th>Other lead</th>
            <th>Kept</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.field} className={row.differs ? 'ld-differs' : undefined} data-testid={`merge-row-${row.field}`}>
              <th scope="row">{LEAD_FIELD_LABELS[row.field]}</th>
              {(['current', 'other'] as const).map((lead) => (
                <td key={lead}>
                  {row.differs ? (
                    <label className="ld-radio">
                      <input
                        type="radio"
                        name={`merge-${row.field}`}
                        checked={row.side === sideOf(lead)}
                        aria-label={`Keep ${LEAD_FIELD_LABELS[row.field]} from ${lead === 'current' ? 'this lead' : 'the other lead'}`}
                        onChange={() => pick(row.field, lead)}
                      />
                      {valueIn(row, lead) ?? <span className="muted">empty</span>}
                    </label>
                  ) : (
                    (valueIn(row, lead) ?? <span className="muted">—</span>)
                  )}
                </td>
              ))}
              <td data-testid={`merge-kept-${row.field}`}>
                <strong>{row.kept ?? '—'}</strong>
                {row.differs && row.side === 'loser' && <span className="muted"> (from {keep === 'current' ? 'the other lead' : 'this lead'})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="merge-moves">
        {moving} {moving === 1 ? 'activity' : 'activities'}, the deals and the change history of {keep === 'current' ? 'the other lead' : 'this lead'} move to the kept
        lead, which keeps its status ({winner.status}) and owner; {keep === 'current' ? 'the other lead' : 'this lead'} is then removed.
      </p>
      {error && (
        <p className="error" role="alert" data-testid="merge-error">
          {error}
        </p>
      )}
      <div className="ld-buttons">
        <button type="button" className="primary" disabled={busy} onClick={merge}>
          Merge into {nameOf(winner)}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}
