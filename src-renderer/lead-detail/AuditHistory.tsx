// The lead's change history, newest first: who, when, what, and before → after per field (merged leads' history included).
import { useMemo } from 'react';
import { useQuery } from '../hooks/useQuery';
import { useApp, userName } from '../state/app-store';
import { auditActionLabel, auditChanges } from './audit-format';
import type { AuditFormatContext } from './audit-format';
import { formatWhen } from './field-errors';

export function AuditHistory({ leadId }: { leadId: string }) {
  const { data, loading } = useQuery('audit.history', { entityType: 'lead', entityId: leadId, limit: 200 }, ['audit_log']);
  const users = useApp((s) => s.directory.users);
  const teams = useApp((s) => s.directory.teams);
  const ctx = useMemo<AuditFormatContext>(
    () => ({
      userName: (id) => userName(users, id),
      teamName: (id) => teams.find((t) => t.id === id)?.name ?? 'Unknown team',
      formatTime: formatWhen,
    }),
    [users, teams],
  );

  return (
    <section className="card" aria-label="History">
      <h3>History</h3>
      {!data && loading && <p className="muted">Loading…</p>}
      {data && data.length === 0 && <p className="muted">No recorded changes.</p>}
      <ol className="ld-history">
        {data?.map((entry) => {
          const changes = auditChanges(entry, ctx);
          return (
            <li key={entry.id} data-testid="audit-entry" data-action={entry.action}>
              <div>
                <strong>{entry.actorId ? userName(users, entry.actorId) : 'System'}</strong> {auditActionLabel(entry.action)}
                {entry.entityId !== leadId && <span className="muted"> (a lead merged into this one)</span>}
                <span className="muted"> · {formatWhen(entry.at)}</span>
              </div>
              {changes.length > 0 && (
                <table className="ld-changes">
                  <tbody>
                    {changes.map((c) => (
                      <tr key={c.field} data-testid="audit-change" data-field={c.field}>
                        <th scope="row">{c.label}</th>
                        <td className="ld-before">{c.before}</td>
                        <td aria-hidden>→</td>
                        <td className="ld-after">{c.after}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
