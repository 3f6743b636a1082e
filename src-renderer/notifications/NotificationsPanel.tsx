// The notifications panel: the user's alerts newest first, unread ones marked; opening one marks it read and shows its lead.
import { useState } from 'react';
import type { Notification } from '../../src-shared/domain/activities.schema';
import { api, appState } from '../state/app-store';
import { useQuery } from '../hooks/useQuery';
import { formatAgo } from '../sync/sync-format';
import { useNow } from '../sync/useNow';
import { kindLabel, newestFirst, notificationLabel, notificationTarget, notificationTitle } from './notification-format';
import './notifications-panel.css';

const LIMIT = 100;

export function NotificationsPanel() {
  const { data } = useQuery('notifications.list', { limit: LIMIT }, ['notifications']);
  // Marked read here: shown read at once, before the write's `changed` event brings the list again.
  const [readHere, setReadHere] = useState<ReadonlySet<string>>(new Set());
  const [allReadAt, setAllReadAt] = useState<number | null>(null);
  const now = useNow();

  const isRead = (n: Notification) => n.readAt !== null || readHere.has(n.id) || (allReadAt !== null && n.createdAt <= allReadAt);
  const items = newestFirst(data?.items ?? []).map((n) => (isRead(n) && n.readAt === null ? { ...n, readAt: now } : n));
  // The list holds the newest LIMIT; the count covers them all, less what was marked read here.
  const unread = allReadAt !== null ? items.filter((n) => n.readAt === null).length : Math.max(0, (data?.unread ?? 0) - (data?.items ?? []).filter((n) => n.readAt === null && readHere.has(n.id)).length);

  const open = (n: Notification) => {
    const target = notificationTarget(n);
    if (target) appState().navigate(target);
    if (n.readAt !== null) return;
    setReadHere((s) => new Set(s).add(n.id));
    api()
      .call('notifications.markRead', { ids: [n.id] })
      .catch((err: unknown) => {
        setReadHere((s) => new Set([...s].filter((id) => id !== n.id)));
        appState().report(err);
      });
  };

  const markAll = () => {
    const newest = items[0]?.createdAt ?? Date.now();
    setAllReadAt(newest);
    api()
      .call('notifications.markRead', { all: true })
      .catch((err: unknown) => {
        setAllReadAt(null);
        appState().report(err);
      });
  };

  return (
    <section aria-label="Notifications" className="notifications-panel" data-testid="notifications-panel">
      <div className="panel-head">
        <h2>Notifications</h2>
        <button type="button" className="link" aria-label="Close notifications" onClick={() => appState().togglePanel('notifications')}>
          Close
        </button>
      </div>
      <div className="notifications-bar">
        <span className="muted" data-testid="notifications-unread">
          {unread > 0 ? `${unread} unread` : 'All read'}
        </span>
        <button type="button" onClick={markAll} disabled={unread === 0}>
          Mark all read
        </button>
      </div>
      {data === undefined ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">Nothing yet. Assignments, approval requests and decisions, refused changes and conflicts show up here.</p>
      ) : (
        <ul className="notification-list">
          {items.map((n) => (
            <li key={n.id} className={`notification${n.readAt === null ? ' unread' : ''}`} data-testid="notification" data-kind={n.kind} data-read={n.readAt !== null}>
              <button type="button" aria-label={notificationLabel(n)} onClick={() => open(n)}>
                <div className="kind">{kindLabel(n.kind)}</div>
                <div className="title">{notificationTitle(n)}</div>
                {n.body && <div className="body">{n.body}</div>}
                <div className="when">
                  <time dateTime={new Date(n.createdAt).toISOString()} title={new Date(n.createdAt).toLocaleString()}>
                    {formatAgo(n.createdAt, now)}
                  </time>
                  {notificationTarget(n) ? ' · open lead' : ''}
                </div>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
