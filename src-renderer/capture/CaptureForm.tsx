// Capture of a lead by hand, trade-show mode: one quick form, Enter saves and clears for the next person, duplicates warned while typing.
import { useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { AppError } from '../../src-shared/api/errors';
import type { DuplicateMatchOut } from '../../src-shared/api/leads.api';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { api, appState, useApp, userName } from '../state/app-store';
import { CAPTURE_KEYS, captureOfLead, emptyCapture, fieldErrorsOf, leadFieldsOf, leadLabel, noteOf } from './capture-values';
import type { CaptureKey, CaptureValues } from './capture-values';
import { duplicateDraftOf, percent } from './duplicate-draft';
import { useDuplicateCheck } from './useDuplicateCheck';
import { useRecentCaptures } from './useRecentCaptures';
import './capture.css';

interface FieldSpec {
  key: Exclude<CaptureKey, 'notes'>;
  label: string;
  type?: 'email' | 'tel';
  /** The API's limit, so a field cannot be typed past it. */
  maxLength: number;
  placeholder?: string;
  hint?: string;
}

const FIELDS: FieldSpec[] = [
  { key: 'firstName', label: 'First name', maxLength: 200 },
  { key: 'lastName', label: 'Last name', maxLength: 200 },
  { key: 'email', label: 'Email', type: 'email', maxLength: 254 },
  { key: 'phone', label: 'Phone', type: 'tel', maxLength: 40 },
  { key: 'companyName', label: 'Company', maxLength: 200 },
  { key: 'title', label: 'Title', maxLength: 200 },
  { key: 'country', label: 'Country', maxLength: 2, placeholder: 'ES', hint: 'two-letter code' },
  { key: 'source', label: 'Source', maxLength: 200, hint: 'kept for the next lead' },
];

const MATCH_LABEL = { email: 'email', phone: 'phone', name: 'name', company: 'company' } as const;

type Errors = Partial<Record<CaptureKey, string>>;

export function CaptureForm() {
  const profileId = useApp((s) => s.profile?.id ?? '');
  const [values, setValues] = useState<CaptureValues>(() => emptyCapture());
  const [editing, setEditing] = useState<Lead | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const inputs = useRef(new Map<CaptureKey, HTMLInputElement | HTMLTextAreaElement>());
  const recent = useRecentCaptures(profileId);
  const duplicates = useDuplicateCheck(duplicateDraftOf(values), editing?.id ?? null);

  const set = (key: CaptureKey, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const focus = (key: CaptureKey) => inputs.current.get(key)?.focus();

  /** Ready for the next person: blank form (the source stays), first name focused. */
  const reset = (source: string) => {
    setValues(emptyCapture(source));
    setErrors({});
    setOtherErrors([]);
    setEditing(null);
    focus('firstName');
  };

  const showProblems = (err: unknown) => {
    if (!(err instanceof AppError) || !err.fields?.length) return appState().report(err);
    const { byKey, other } = fieldErrorsOf(err.fields);
    setErrors(byKey);
    setOtherErrors(other);
    const first = CAPTURE_KEYS.find((k) => byKey[k]);
    if (first) focus(first);
  };

  const save = async () => {
    const fields = leadFieldsOf(values);
    const lead = editing
      ? await api().call('leads.update', { id: editing.id, patch: fields })
      : (await api().call('leads.create', fields)).lead;
    const note = noteOf(values.notes);
    if (note) {
      try {
        await api().call('activities.log', { entityType: 'lead', entityId: lead.id, kind: 'note', ...note });
      } catch (err) {
        // The lead is saved; keep the note in the form, on that lead, to fix and save again.
        setEditing(lead);
        recent.add(lead.id);
        throw err;
      }
    }
    return lead;
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (saving) return;
    setSaving(true);
    setStatus('');
    const wasEditing = editing !== null;
    save()
      .then((lead) => {
        recent.add(lead.id);
        setStatus(`${wasEditing ? 'Updated' : 'Saved'} ${leadLabel(lead)}${lead.possibleDuplicateOf ? ' (flagged as a possible duplicate)' : ''}.`);
        reset(values.source);
      }, showProblems)
      .finally(() => setSaving(false));
  };

  const edit = (lead: Lead) => {
    setEditing(lead);
    setValues(captureOfLead(lead));
    setErrors({});
    setOtherErrors([]);
    setStatus('');
    focus('firstName');
  };

  // Enter saves from the notes too; Shift+Enter is a new line there. Escape leaves a correction.
  const onNotesKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e as unknown as FormEvent);
  };
  const onFormKey = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Escape' && editing) reset(values.source);
  };

  const errorId = (key: CaptureKey) => `capture-error-${key}`;
  const hintId = (key: CaptureKey) => `capture-hint-${key}`;
  const inputProps = (key: CaptureKey, hint: string | undefined) => ({
    id: `capture-${key}`,
    name: key,
    value: values[key],
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': [errors[key] ? errorId(key) : '', hint ? hintId(key) : ''].filter(Boolean).join(' ') || undefined,
    ref: (el: HTMLInputElement | HTMLTextAreaElement | null) => void (el ? inputs.current.set(key, el) : inputs.current.delete(key)),
  });
  const fieldError = (key: CaptureKey) =>
    errors[key] && (
      <span className="field-error" id={errorId(key)} data-testid={errorId(key)}>
        {errors[key]}
      </span>
    );

  return (
    <section className="capture" aria-label="Capture a lead">
      <div className="capture-main">
        <header className="capture-head">
          <h2>{editing ? `Correct ${leadLabel(editing)}` : 'Capture a lead'}</h2>
          <span className="muted">Trade-show mode: Enter saves and clears the form for the next person.</span>
        </header>
        <form className="card capture-form" aria-label="Lead" noValidate onSubmit={submit} onKeyDown={onFormKey} data-testid="capture-form">
          {FIELDS.map((f) => (
            <div className="capture-field" key={f.key}>
              <label htmlFor={`capture-${f.key}`}>{f.label}</label>
              <input
                {...inputProps(f.key, f.hint)}
                type={f.type ?? 'text'}
                maxLength={f.maxLength}
                placeholder={f.placeholder}
                autoComplete="off"
                autoFocus={f.key === 'firstName'}
                onChange={(e) => set(f.key, e.target.value)}
              />
              {f.hint && (
                <span className="capture-hint" id={hintId(f.key)}>
                  {f.hint}
                </span>
              )}
              {fieldError(f.key)}
            </div>
          ))}
          <div className="capture-field wide">
            <label htmlFor="capture-notes">Notes</label>
            <textarea {...inputProps('notes', 'notes')} rows={2} maxLength={20_000} onChange={(e) => set('notes', e.target.value)} onKeyDown={onNotesKey} />
            <span className="capture-hint" id={hintId('notes')}>
              Enter saves; Shift+Enter starts a new line
            </span>
            {fieldError('notes')}
          </div>
          {otherErrors.length > 0 && (
            <ul className="error wide" data-testid="capture-errors">
              {otherErrors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
          <div className="capture-actions wide">
            <button type="submit" className="primary" disabled={saving}>
              {editing ? 'Save changes' : 'Save lead'}
            </button>
            {editing && (
              <button type="button" onClick={() => reset(values.source)}>
                Cancel correction
              </button>
            )}
            <span role="status" aria-live="polite" className="capture-status" data-testid="capture-status">
              {status}
            </span>
          </div>
        </form>
      </div>
      <aside className="capture-side">
        <DuplicateWarning matches={duplicates} />
        <RecentCaptures leads={recent.leads} editingId={editing?.id ?? null} onEdit={edit} />
      </aside>
    </section>
  );
}

function DuplicateWarning({ matches }: { matches: DuplicateMatchOut[] }) {
  const users = useApp((s) => s.directory.users);
  const { navigate } = appState();
  if (matches.length === 0) return null;
  return (
    <div className="card capture-duplicates" role="alert" data-testid="duplicate-warning">
      <h3>{matches.length === 1 ? 'Possible duplicate' : `${matches.length} possible duplicates`}</h3>
      <ul>
        {matches.map((m) => (
          <li key={m.id} data-testid="duplicate-match">
            <button type="button" className="link" onClick={() => navigate({ name: 'lead', id: m.id })}>
              {leadLabel(m.lead)}
            </button>{' '}
            <strong className="score" data-testid="duplicate-score">
              {percent(m.score)}
            </strong>
            <div className="muted">{[m.lead.companyName, m.lead.email, m.lead.phone].filter(Boolean).join(' · ')}</div>
            <div className="muted">
              matches on {m.matched.map((f) => `${MATCH_LABEL[f.field]} (${percent(f.score)})`).join(', ')} · {m.lead.status.toLowerCase()} ·{' '}
              {userName(users, m.lead.ownerId)}
            </div>
          </li>
        ))}
      </ul>
      <p className="muted">Saving still creates the lead, flagged as a possible duplicate to merge later.</p>
    </div>
  );
}

function RecentCaptures({ leads, editingId, onEdit }: { leads: Lead[]; editingId: string | null; onEdit: (lead: Lead) => void }) {
  const { navigate } = appState();
  return (
    <div className="card capture-recent">
      <h3>Captured lately</h3>
      {leads.length === 0 ? (
        <p className="muted">The leads you capture here are listed, to open or correct.</p>
      ) : (
        <ul data-testid="recent-captures">
          {leads.map((lead) => (
            <li key={lead.id} data-testid="recent-capture" data-lead-id={lead.id} aria-current={lead.id === editingId ? 'true' : undefined}>
              <button type="button" className="link" onClick={() => navigate({ name: 'lead', id: lead.id })}>
                {leadLabel(lead)}
              </button>
              {lead.possibleDuplicateOf && <span className="warn"> · possible duplicate</span>}
              <div className="muted">{[lead.companyName, lead.email, lead.phone].filter(Boolean).join(' · ')}</div>
              <button type="button" className="link" onClick={() => onEdit(lead)} aria-label={`Correct ${leadLabel(lead)}`}>
                Correct
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
