// The lead's timeline, newest first: log a call, email, meeting or note, add a task, and tick tasks off.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Activity, ActivityKind } from '../../src-shared/domain/activities.schema';
import { useQuery } from '../hooks/useQuery';
import { api, messageOf, useApp, userName } from '../state/app-store';
import { fieldErrorsOf, formatWhen } from './field-errors';

const KINDS: { kind: ActivityKind; label: string }[] = [
  { kind: 'call', label: 'Call' },
  { kind: 'email', label: 'Email' },
  { kind: 'meeting', label: 'Meeting' },
  { kind: 'note', label: 'Note' },
  { kind: 'task', label: 'Task' },
];

/** A `datetime-local` value (the user's local time) as an instant; '' is none. */
const localToMs = (value: string): number | undefined => (value === '' ? undefined : new Date(value).getTime());

function LogForm({ leadId }: { leadId: string }) {
  const [kind, setKind] = useState<ActivityKind>('call');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [when, setWhen] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const isTask = kind === 'task';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    const at = localToMs(when);
    api()
      .call('activities.log', {
        entityType: 'lead', entityId: leadId, kind, subject, body: body.trim() === '' ? null : body,
        ...(isTask ? { dueAt: at ?? null } : at !== undefined ? { occurredAt: at } : {}),
      })
      .then(() => {
        setSubject('');
        setBody('');
        setWhen('');
      }, (err: unknown) => {
        const fields = fieldErrorsOf(err);
        setErrors(fields);
        if (Object.keys(fields).length === 0) setError(messageOf(err));
      })
      .finally(() => setBusy(false));
  };

  return (
    <form className="ld-log-form" onSubmit={submit} aria-label="Log an activity">
      <div role="radiogroup" aria-label="Kind" className="ld-kinds">
        {KINDS.map((k) => (
          <label key={k.kind} className="ld-radio">
            <input type="radio" name="activity-kind" checked={kind === k.kind} onChange={() => setKind(k.kind)} />
            {k.label}
          </label>
        ))}
      </div>
      <label>
        {isTask ? 'What to do' : 'Subject'}
        <input value={subject} aria-invalid={errors.subject ? true : undefined} onChange={(e) => setSubject(e.target.value)} placeholder={isTask ? 'Send the proposal' : 'Intro call'} />
        {errors.subject && <span className="field-error" data-testid="error-subject">{errors.subject}</span>}
      </label>
      <label>
        Notes
        <textarea rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <label>
        {isTask ? 'Due' : 'When (empty: now)'}
        <input type="datetime-local" value={when} aria-invalid={errors.dueAt || errors.occurredAt ? true : undefined} onChange={(e) => setWhen(e.target.value)} />
        {(errors.dueAt || errors.occurredAt) && <span className="field-error">{errors.dueAt ?? errors.occurredAt}</span>}
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {isTask ? 'Add task' : `Log ${kind}`}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function TimelineItem({ activity }: { activity: Activity }) {
  const users = useApp((s) => s.directory.users);
  const [error, setError] = useState<string | null>(null);
  const isTask = activity.kind === 'task';
  const done = activity.doneAt !== null;
  const toggle = () => {
    setError(null);
    api().call('activities.complete', { id: activity.id, done: !done }).catch((err: unknown) => setError(messageOf(err)));
  };
  return (
    <li className={`ld-activity${isTask && done ? ' ld-done' : ''}`} data-testid="activity" data-kind={activity.kind} data-done={isTask ? String(done) : undefined}>
      <span className={`ld-kind ld-kind-${activity.kind}`}>{activity.kind}</span>
      <div>
        <div>
          <strong data-testid="activity-subject">{activity.subject}</strong>
        </div>
        {activity.body && <div className="ld-body">{activity.body}</div>}
        <div className="muted">
          {formatWhen(activity.occurredAt)} · {userName(users, activity.ownerId)}
          {isTask && activity.dueAt !== null && ` · due ${formatWhen(activity.dueAt)}`}
          {isTask && done && ` · done ${formatWhen(activity.doneAt!)}`}
        </div>
        {error && <div className="error">{error}</div>}
      </div>
      {isTask && (
        <button type="button" onClick={toggle} aria-label={done ? `Mark “${activity.subject}” as not done` : `Complete “${activity.subject}”`}>
          {done ? 'Undo' : 'Done'}
        </button>
      )}
    </li>
  );
}

export function ActivityTimeline({ leadId }: { leadId: string }) {
  const { data, loading } = useQuery('activities.list', { entityType: 'lead', entityId: leadId }, ['activities']);
  return (
    <section className="card" aria-label="Timeline">
      <h3>Timeline</h3>
      <LogForm leadId={leadId} />
      {!data && loading && <p className="muted">Loading…</p>}
      {data && data.length === 0 && <p className="muted">Nothing logged yet.</p>}
      <ol className="ld-timeline" data-testid="timeline">
        {data?.map((a) => (
          <TimelineItem key={a.id} activity={a} />
        ))}
      </ol>
    </section>
  );
}
