// Plain-language words for the sync status: what the phase means for the user's changes, and when things happened.
import type { SyncStatusOut } from '../../src-shared/api/host.api';

type Phase = SyncStatusOut['phase'];

export const PHASE_TITLE: Record<Phase, string> = {
  idle: 'Up to date',
  syncing: 'Syncing',
  offline: 'Offline',
  paused: 'Working offline',
  readOnly: 'Read-only',
};

/** What the phase means for the user, in one or two sentences. */
export function phaseExplanation(status: Pick<SyncStatusOut, 'phase' | 'live' | 'readOnly'>): string {
  switch (status.phase) {
    case 'idle':
      return status.live ? 'In step with the server; the team’s changes arrive as they happen.' : 'In step with the server as of the last sync.';
    case 'syncing':
      return 'Sending your changes and fetching the team’s.';
    case 'offline':
      return 'The server cannot be reached: changes are kept and sent when the server is back.';
    case 'paused':
      return 'You chose to work offline: changes are kept and sent when you go back online.';
    case 'readOnly':
      return status.readOnly ?? 'This app cannot sync with the server’s version: changes are kept but not sent.';
  }
}

/** "3 pending changes", "1 pending change", "No pending changes". */
export function pendingText(pending: number): string {
  if (pending === 0) return 'No pending changes';
  return `${pending} pending ${pending === 1 ? 'change' : 'changes'}`;
}

/** "1,200 of 5,000 rows (24%)" for a first sync's progress. */
export function progressText(progress: { done: number; total: number }, locale?: string): string {
  const n = new Intl.NumberFormat(locale);
  const percent = progress.total > 0 ? Math.floor((Math.min(progress.done, progress.total) / progress.total) * 100) : 0;
  return `${n.format(progress.done)} of ${n.format(progress.total)} rows (${percent}%)`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * When something happened, relative to `now` while recent ("just now", "5 min ago", "3 h ago", "yesterday"), else
 * the date and time. A time slightly in the future (another machine's clock) reads "just now".
 */
export function formatAgo(at: number, now: number, locale?: string): string {
  const ago = now - at;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 2 * DAY) return 'yesterday';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** What needs the user in the sync bar: "1 conflict", "2 conflicts, 1 refused change"; "" when nothing does. */
export function issuesText(conflicts: number, refused: number): string {
  const parts: string[] = [];
  if (conflicts > 0) parts.push(`${conflicts} ${conflicts === 1 ? 'conflict' : 'conflicts'}`);
  if (refused > 0) parts.push(`${refused} refused ${refused === 1 ? 'change' : 'changes'}`);
  return parts.join(', ');
}
