// The sync status that is always visible: online/offline/syncing with progress, pending changes, last sync, conflicts.
import { useApp } from '../state/app-store';
import { issuesText } from './sync-format';

const PHASE_LABEL = { idle: 'online', syncing: 'syncing', offline: 'offline', paused: 'working offline', readOnly: 'read-only' } as const;

export function SyncBar({ onOpen }: { onOpen: () => void }) {
  const sync = useApp((s) => s.sync);
  if (!sync) {
    return (
      <button type="button" className="sync-bar" onClick={onOpen} data-testid="sync-status">
        Local profile (no server)
      </button>
    );
  }
  const { phase, pending, progress, lastSyncAt, conflicts, refusals } = sync;
  const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : null;
  return (
    <button type="button" className={`sync-bar sync-${phase}`} onClick={onOpen} data-testid="sync-status" title="Sync status and conflicts">
      <span className="dot" aria-hidden />
      <span data-testid="sync-phase" data-phase={phase}>
        {phase}
      </span>
      <span className="muted"> ({PHASE_LABEL[phase]})</span>
      {percent !== null && (
        <progress max={100} value={percent} aria-label="Sync progress" data-testid="sync-progress">
          {percent}%
        </progress>
      )}
      <span> · pending </span>
      <span data-testid="sync-pending">{pending}</span>
      {conflicts + refusals.length > 0 && (
        <span className="warn" data-testid="sync-issues">
          {' '}
          · {issuesText(conflicts, refusals.length)}
        </span>
      )}
      <span className="muted"> · last sync {lastSyncAt ? new Date(lastSyncAt).toLocaleTimeString() : 'never'}</span>
    </button>
  );
}
