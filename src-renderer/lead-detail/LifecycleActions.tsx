// The lifecycle moves the state machine offers from the lead's status; the API decides, and its refusal is shown here.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { LEAD_TRANSITIONS } from '../../src-shared/domain/lead-lifecycle';
import type { Lead, LeadStatus } from '../../src-shared/domain/leads.schema';
import { api, messageOf } from '../state/app-store';
import { fieldErrorsOf } from './field-errors';

interface Move {
  label: string;
  run(): Promise<Lead>;
}

/** The button for a move to `to`, worded for the direction it goes from `from`. */
function moveTo(lead: Lead, to: LeadStatus): Move | null {
  const { id, status } = lead;
  switch (to) {
    case 'NEW':
      return { label: status === 'DISQUALIFIED' ? 'Reopen' : 'Back to new', run: () => api().call('leads.reopen', { id }) };
    case 'QUALIFIED':
      return { label: status === 'NEW' ? 'Qualify' : 'Back to qualified', run: () => api().call('leads.qualify', { id }) };
    case 'CONTACTED':
      return { label: status === 'NEGOTIATING' ? 'Back to contacted' : 'Mark contacted', run: () => api().call('leads.advance', { id, to: 'CONTACTED' }) };
    case 'NEGOTIATING':
      return { label: 'Advance to negotiating', run: () => api().call('leads.advance', { id, to: 'NEGOTIATING' }) };
    default:
      return null; // CONVERTED and DISQUALIFIED have their own forms.
  }
}

export function LifecycleActions({ lead, onSaved, onConvert }: { lead: Lead; onSaved(lead: Lead): void; onConvert(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const next = LEAD_TRANSITIONS[lead.status];

  const run = (work: () => Promise<Lead>, after?: () => void) => {
    setBusy(true);
    setError(null);
    work()
      .then((saved) => {
        onSaved(saved);
        after?.();
      }, (err: unknown) => {
        const fields = fieldErrorsOf(err);
        if (fields.reason !== undefined) setReasonError(fields.reason);
        else setError(messageOf(err));
      })
      .finally(() => setBusy(false));
  };

  const disqualify = (e: FormEvent) => {
    e.preventDefault();
    setReasonError(null);
    run(() => api().call('leads.disqualify', { id: lead.id, reason: reason ?? '' }), () => setReason(null));
  };

  return (
    <section className="card ld-actions" aria-label="Lifecycle">
      <h3>Lifecycle</h3>
      {next.length === 0 && <p className="muted">A converted lead stays converted; its deal carries the story on.</p>}
      <div className="ld-buttons">
        {next.map((to) => {
          const move = moveTo(lead, to);
          return move ? (
            <button key={to} type="button" disabled={busy} onClick={() => run(move.run)}>
              {move.label}
            </button>
          ) : null;
        })}
        {next.includes('CONVERTED') && (
          <button type="button" className="primary" disabled={busy} onClick={onConvert}>
            Convert…
          </button>
        )}
        {next.includes('DISQUALIFIED') && reason === null && (
          <button type="button" disabled={busy} onClick={() => setReason('')}>
            Disqualify…
          </button>
        )}
      </div>
      {reason !== null && (
        <form className="ld-inline-form" onSubmit={disqualify} aria-label="Disqualify">
          <label>
            Reason for disqualifying
            <input value={reason} autoFocus aria-invalid={reasonError ? true : undefined} onChange={(e) => setReason(e.target.value)} />
          </label>
          {reasonError && (
            <span className="field-error" role="alert" data-testid="error-reason">
              {reasonError}
            </span>
          )}
          <button type="submit" disabled={busy}>
            Disqualify
          </button>
          <button type="button" onClick={() => (setReason(null), setReasonError(null))}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert" data-testid="lifecycle-error">
          {error}
        </p>
      )}
    </section>
  );
}
