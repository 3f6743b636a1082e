// The small forms of the queue's quick actions: disqualify with a reason, log a call, add a task; the API's refusal shown at its field.
import { useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { AppError } from '../../src-shared/api/errors';
import type { LeadQueueRow } from '../../src-shared/api/leads.api';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { api, appState, messageOf } from '../state/app-store';
import { fullName } from './lead-format';

export type QuickAction = 'disqualify' | 'call' | 'task';

interface Props {
  kind: QuickAction;
  lead: LeadQueueRow;
  /** After the write: the lead as it is now when the write returns it. */
  onDone(lead: Lead | null): void;
  onCancel(): void;
}

const TITLES: Record<QuickAction, (name: string) => string> = {
  disqualify: (name) => `Disqualify ${name}`,
  call: (name) => `Log a call with ${name}`,
  task: (name) => `Add a task for ${name}`,
};

/** The field problems of a refusal by path, and its message unless a field the form shows carries it. */
function problemsOf(err: unknown, shown: readonly string[]): { fields: Record<string, string>; message: string | null } {
  const fields: Record<string, string> = {};
  if (err instanceof AppError) for (const f of err.fields ?? []) fields[f.path] ??= f.message;
  return { fields, message: shown.some((p) => p in fields) ? null : messageOf(err) };
}

export function QuickActionForm({ kind, lead, onDone, onCancel }: Props) {
  const name = fullName(lead);
  const [text, setText] = useState(kind === 'call' ? `Call with ${name}` : kind === 'task' ? `Follow up with ${name}` : '');
  const [body, setBody] = useState('');
  const [due, setDue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<{ fields: Record<string, string>; message: string | null }>({ fields: {}, message: null });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblems({ fields: {}, message: null });
    try {
      if (kind === 'disqualify') {
        onDone(await api().call('leads.disqualify', { id: lead.id, reason: text }));
        appState().notify(`Disqualified ${name}`);
      } else {
        const dueAt = kind === 'task' && due !== '' ? new Date(due).getTime() : null;
        await api().call('activities.log', {
          entityType: 'lead', entityId: lead.id, kind, subject: text, body: body.trim() === '' ? null : body, ...(kind === 'task' ? { dueAt } : {}),
        });
        onDone(null);
        appState().notify(kind === 'call' ? `Call with ${name} logged` : `Task for ${name} added`);
      }
    } catch (err) {
      setProblems(problemsOf(err, kind === 'disqualify' ? ['reason'] : ['subject', 'body', 'dueAt']));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onCancel();
  };

  const textPath = kind === 'disqualify' ? 'reason' : 'subject';
  const textError = problems.fields[textPath];
  return (
    <form className="lq-action-form card" aria-label={TITLES[kind](name)} onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown}>
      <strong>{TITLES[kind](name)}</strong>
      <label>
        {kind === 'disqualify' ? 'Reason' : 'Subject'}
        <input
          autoFocus
          value={text}
          maxLength={kind === 'disqualify' ? 200 : undefined}
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? 'lq-action-text-error' : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {textError && (
          <span id="lq-action-text-error" className="field-error" role="alert">
            {textError}
          </span>
        )}
      </label>
      {kind !== 'disqualify' && (
        <label>
          Notes
          <input value={body} aria-invalid={problems.fields.body ? true : undefined} onChange={(e) => setBody(e.target.value)} />
          {problems.fields.body && <span className="field-error">{problems.fields.body}</span>}
        </label>
      )}
      {kind === 'task' && (
        <label>
          Due
          <input type="datetime-local" value={due} aria-invalid={problems.fields.dueAt ? true : undefined} onChange={(e) => setDue(e.target.value)} />
          {problems.fields.dueAt && <span className="field-error">{problems.fields.dueAt}</span>}
        </label>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {kind === 'disqualify' ? 'Disqualify' : kind === 'call' ? 'Log call' : 'Add task'}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {problems.message && (
        <span className="error" role="alert">
          {problems.message}
        </span>
      )}
    </form>
  );
}
