// The open conflicts: the record, the field, before / server / offline values in words, who changed it, and the two ways to settle it.
import { useState } from 'react';
import type { Conflict } from '../../src-shared/sync/conflicts.schema';
import { api, appState, useApp } from '../state/app-store';
import { useQuery } from '../hooks/useQuery';
import { describeConflict, fieldLabel, formatConflictValue } from './conflict-format';
import type { ValueContext } from './conflict-format';
import { useConflictRecords } from './useConflictRecords';
import type { ConflictRecord } from './useConflictRecords';
import { formatAgo } from './sync-format';

function RecordLink({ conflict, record }: { conflict: Conflict; record: ConflictRecord | null | undefined }) {
  const { navigate } = appState();
  if (record === undefined) return <span className="muted">Loading…</span>;
  if (record === null) return <span className="muted">{conflict.kind === 'deleted' ? `A deleted ${conflict.entityType}` : `A ${conflict.entityType} you no longer see`}</span>;
  if (conflict.entityType === 'lead') {
    return (
      <button type="button" className="link" onClick={() => navigate({ name: 'lead', id: conflict.entityId })} aria-label={`Open lead ${record.name}`}>
        {record.name}
      </button>
    );
  }
  // No deal screen yet: the deal's name, plainly.
  return <strong>Deal {record.name}</strong>;
}

interface ConflictItemProps {
  conflict: Conflict;
  record: ConflictRecord | null | undefined;
  ctx: ValueContext;
  me: string;
  now: number;
  busy: boolean;
  onResolve(keep: 'server' | 'client'): void;
}

function ConflictItem({ conflict, record, ctx, me, now, busy, onResolve }: ConflictItemProps) {
  const lines = describeConflict(conflict, ctx, me);
  const mine = conflict.clientUserId === me;
  return (
    <li className="conflict card" data-testid="conflict" data-field={conflict.field} aria-label={`Conflict: ${lines.summary}`}>
      <div className="conflict-head">
        <RecordLink conflict={conflict} record={record} />
        <span className="muted"> · {formatAgo(conflict.createdAt, now)}</span>
      </div>
      <div className="conflict-summary">{lines.summary}</div>
      {lines.values.length > 0 && (
        <dl className="conflict-values">
          {lines.values.map((v) => (
            <div key={v.side} className={`conflict-value side-${v.side}`} data-testid={`conflict-${v.side}`}>
              <dt>{v.label}</dt>
              <dd>{v.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="muted conflict-who">{lines.who}</div>
      <div className="conflict-actions">
        <button type="button" disabled={busy} onClick={() => onResolve('server')}>
          {conflict.kind === 'deleted' ? 'Dismiss' : 'Keep server value'}
        </button>
        {conflict.kind === 'field' && (
          <button type="button" className="primary" disabled={busy} onClick={() => onResolve('client')}>
            {mine ? 'Keep my value' : 'Keep offline value'}
          </button>
        )}
      </div>
    </li>
  );
}

/** What settling a conflict did, in words: "Owner of Ana Lopez: kept your value (Rita Rep)". */
function resolvedText(c: Conflict, record: ConflictRecord | null | undefined, ctx: ValueContext, me: string): string {
  const kept = c.resolution === 'client' ? c.clientValue : c.serverValue;
  const whose = c.resolution === 'client' ? (c.clientUserId === me ? 'your value' : 'the offline value') : 'the server value';
  const of = record ? ` of ${record.name}` : '';
  if (c.kind === 'deleted') return `Dismissed the conflict${of}: the delete stands.`;
  return `${fieldLabel(c.field)}${of}: kept ${whose} (${formatConflictValue(c.field, kept, ctx)}).`;
}

export function ConflictList({ me, now }: { me: string; now: number }) {
  const { data } = useQuery('conflicts.list', {}, ['conflicts']);
  const users = useApp((s) => s.directory.users);
  // Settled (or being settled) here: hidden at once rather than after the re-query.
  const [settling, setSettling] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const items = (data?.items ?? []).filter((c) => c.status === 'open');
  const { records, stages } = useConflictRecords(items);
  const ctxOf = (c: Conflict): ValueContext => ({ users, stages, currency: records.get(c.entityId)?.currency ?? null });

  const resolve = (c: Conflict, keep: 'server' | 'client') => {
    setSettling((s) => new Set(s).add(c.id));
    const record = records.get(c.entityId);
    api()
      .call('conflicts.resolve', { id: c.id, keep })
      .then((resolved) => setDone(resolvedText(resolved, record, ctxOf(c), me)))
      .catch((err: unknown) => {
        setSettling((s) => new Set([...s].filter((id) => id !== c.id)));
        appState().report(err);
      });
  };

  const shown = items.filter((c) => !settling.has(c.id));
  return (
    <section aria-labelledby="conflicts-title" className="sync-section">
      <h3 id="conflicts-title">
        Conflicts <span className="count" data-testid="conflict-count">{shown.length}</span>
      </h3>
      {done && (
        <p role="status" className="resolved-note" data-testid="conflict-resolved">
          {done}
        </p>
      )}
      {data === undefined ? (
        <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted">No conflicts. When you and someone else change the same amount, stage, owner or close date, both versions show here.</p>
      ) : (
        <ul className="conflict-list">
          {shown.map((c) => (
            <ConflictItem key={c.id} conflict={c} record={records.get(c.entityId)} ctx={ctxOf(c)} me={me} now={now} busy={settling.has(c.id)} onResolve={(keep) => resolve(c, keep)} />
          ))}
        </ul>
      )}
    </section>
  );
}
