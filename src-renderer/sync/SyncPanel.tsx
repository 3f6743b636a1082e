// The sync panel: what the sync is doing in plain words, sync now / work offline, the open conflicts and the refused changes.
import { useState } from 'react';
import type { SyncStatusOut } from '../../src-shared/api/host.api';
import { api, appState, setAppState, useApp } from '../state/app-store';
import { ConflictList } from './ConflictList';
import { refusalText } from './conflict-format';
import { formatAgo, pendingText, PHASE_TITLE, phaseExplanation, progressText } from './sync-format';
import { useNow } from './useNow';
import './sync-panel.css';

function SyncStatusSection({ sync, now }: { sync: SyncStatusOut; now: number }) {
  const [busy, setBusy] = useState<'now' | 'offline' | null>(null);
  // The switch shows the user's choice at once; the status event that follows confirms it.
  const [wantOffline, setWantOffline] = useState<boolean | null>(null);
  const paused = wantOffline ?? sync.phase === 'paused';

  const run = (what: 'now' | 'offline', call: () => Promise<SyncStatusOut>) => {
    setBusy(what);
    call()
      .then((status) => setAppState({ sync: status }))
      .catch(appState().report)
      .finally(() => {
        setBusy(null);
        setWantOffline(null);
      });
  };

  return (
    <section aria-labelledby="sync-state-title" className="sync-section">
      <h3 id="sync-state-title" className={`sync-title sync-${sync.phase}`}>
        <span className="dot" aria-hidden /> <span data-testid="sync-panel-phase">{PHASE_TITLE[sync.phase]}</span>
      </h3>
      <p data-testid="sync-explanation">{phaseExplanation(sync)}</p>
      {sync.progress && (
        <div className="sync-progress">
          <progress max={Math.max(sync.progress.total, 1)} value={Math.min(sync.progress.done, sync.progress.total)} aria-label="First sync progress" />
          <span data-testid="sync-progress-text">{progressText(sync.progress)}</span>
        </div>
      )}
      <dl className="sync-facts">
        <div>
          <dt>Waiting to be sent</dt>
          <dd data-testid="sync-panel-pending">{pendingText(sync.pending)}</dd>
        </div>
        <div>
          <dt>Last successful sync</dt>
          <dd data-testid="sync-last">
            {sync.lastSyncAt ? <time dateTime={new Date(sync.lastSyncAt).toISOString()} title={new Date(sync.lastSyncAt).toLocaleString()}>{formatAgo(sync.lastSyncAt, now)}</time> : 'never'}
          </dd>
        </div>
        {sync.lastError && (
          <div className="sync-error">
            <dt>Last error</dt>
            <dd role="alert" data-testid="sync-last-error">
              {sync.lastError.message}
            </dd>
          </div>
        )}
      </dl>
      <div className="sync-actions">
        <button
          type="button"
          className="primary"
          disabled={busy !== null || paused}
          title={paused ? 'Go back online first' : undefined}
          onClick={() => run('now', () => api().call('sync.now', {}))}
        >
          {busy === 'now' ? 'Syncing…' : 'Sync now'}
        </button>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-label="Work offline"
            checked={paused}
            disabled={busy === 'offline'}
            onChange={(e) => {
              const offline = e.target.checked;
              setWantOffline(offline);
              run('offline', () => api().call('sync.setWorkOffline', { offline }));
            }}
          />
          <span>Work offline</span>
        </label>
      </div>
    </section>
  );
}

function RefusalList({ refusals, now }: { refusals: SyncStatusOut['refusals']; now: number }) {
  if (refusals.length === 0) return null;
  // Kept newest last by the sync client; shown newest first. The status API keeps the latest few and offers no dismissal.
  const newest = [...refusals].reverse();
  return (
    <section aria-labelledby="refusals-title" className="sync-section">
      <h3 id="refusals-title">
        Refused changes <span className="count">{refusals.length}</span>
      </h3>
      <p className="muted">The server refused these changes; they were undone here.</p>
      <ul className="refusal-list">
        {newest.map((r) => {
          // Field problems the message does not already say.
          const fields = (r.error.fields ?? []).filter((f) => !r.error.message.includes(f.message));
          return (
            <li key={`${r.mutationId}-${r.at}`} className="refusal" data-testid="refusal">
              <div>{refusalText(r.name, r.error.message)}</div>
              {fields.length > 0 && (
                <ul className="refusal-fields">
                  {fields.map((f) => (
                    <li key={f.path}>
                      {f.path}: {f.message}
                    </li>
                  ))}
                </ul>
              )}
              <div className="muted">{formatAgo(r.at, now)}</div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function SyncPanel() {
  const sync = useApp((s) => s.sync);
  const me = useApp((s) => s.profile?.userId ?? '');
  const now = useNow();
  return (
    <section aria-label="Sync" className="sync-panel" data-testid="sync-panel">
      <div className="panel-head">
        <h2>Sync</h2>
        <button type="button" className="link" aria-label="Close sync panel" onClick={() => appState().togglePanel('sync')}>
          Close
        </button>
      </div>
      {sync ? (
        <>
          <SyncStatusSection sync={sync} now={now} />
          <ConflictList me={me} now={now} />
          <RefusalList refusals={sync.refusals} now={now} />
        </>
      ) : (
        <p className="muted">This profile is local to this computer: it has no server to sync with.</p>
      )}
    </section>
  );
}
