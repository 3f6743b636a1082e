// One lead field edited in place: click or Enter to edit, Enter or leaving the field saves through leads.update, Escape cancels.
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Lead } from '../../src-shared/domain/leads.schema';
import type { LeadFields } from '../../src-shared/mutators/lead-args';
import { api, messageOf } from '../state/app-store';
import { fieldErrorsOf } from './field-errors';
import { LEAD_FIELD_LABELS } from './lead-field-labels';

interface Refusal {
  message: string;
  /** What the user typed and the API refused; the field shows the stored value again. */
  refused: string;
}

export function EditableField({ lead, field, onSaved }: { lead: Lead; field: keyof LeadFields; onSaved(lead: Lead): void }) {
  const stored = lead[field] ?? '';
  const label = LEAD_FIELD_LABELS[field];
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // Enter and Escape end the edit before the input's blur arrives; the blur must not save a second time.
  const ended = useRef(false);
  const inputId = `lead-field-${field}`;
  const errorId = `${inputId}-error`;

  const start = () => {
    ended.current = false;
    setDraft(stored);
  };
  const cancel = () => {
    ended.current = true;
    setDraft(null);
  };
  const save = () => {
    if (ended.current || draft === null) return;
    ended.current = true;
    const value = draft;
    setDraft(null);
    if (value.trim() === stored) return;
    setSaving(value);
    api()
      .call('leads.update', { id: lead.id, patch: { [field]: value } })
      .then(
        (saved) => {
          setRefusal(null);
          onSaved(saved);
        },
        (err: unknown) => setRefusal({ message: fieldErrorsOf(err, 'patch.')[field] ?? messageOf(err), refused: value }),
      )
      .finally(() => setSaving(null));
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') save();
    if (e.key === 'Escape') cancel();
  };

  const shown = saving ?? stored;
  return (
    <div className="ld-field" data-testid={`field-${field}`}>
      <label htmlFor={inputId}>{label}</label>
      {draft !== null ? (
        <input
          id={inputId}
          autoFocus
          value={draft}
          aria-invalid={refusal ? true : undefined}
          aria-describedby={refusal ? errorId : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
          onBlur={save}
        />
      ) : (
        <button
          type="button"
          id={inputId}
          className={`ld-value${saving !== null ? ' ld-saving' : ''}`}
          aria-label={`${label}: ${shown || 'empty'}. Edit`}
          aria-invalid={refusal ? true : undefined}
          aria-describedby={refusal ? errorId : undefined}
          data-testid={`value-${field}`}
          onClick={start}
        >
          {shown || <span className="muted">—</span>}
        </button>
      )}
      {refusal && (
        <span className="field-error" id={errorId} role="alert" data-testid={`error-${field}`}>
          {refusal.message} (“{refusal.refused}” was not saved)
        </span>
      )}
    </div>
  );
}
