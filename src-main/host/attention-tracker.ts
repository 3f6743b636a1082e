// Counts what needs the user in one profile (unread alerts, approvals waiting) and picks out alerts that are new.
import type { Attention } from '../../src-shared/api/host-protocol';
import type { NotificationKind } from '../../src-shared/domain/activities.schema';
import type { ClientCore } from '../core/client-core';

/** Alerts worth interrupting the user for (an OS notification in the desktop app). */
const ALERT_KINDS: ReadonlySet<NotificationKind> = new Set(['assignment', 'approval.requested', 'approval.escalated']);

/** A write to these tables can change the counts. */
export const ATTENTION_TABLES: ReadonlySet<string> = new Set(['notifications', 'approval_requests', 'approval_events']);

export interface AttentionTracker {
  /** Recounts (coalescing overlapping requests) and reports the result to `onChange`. */
  refresh(): void;
  /** The latest counts, null until the first count is done. */
  current(): Attention | null;
  /** Resolves when no count is running (tests, shutdown). */
  idle(): Promise<void>;
}

export function createAttentionTracker(
  core: Pick<ClientCore, 'call'>,
  onChange: (attention: Attention) => void,
  logError: (message: string, err: unknown) => void,
): AttentionTracker {
  const seen = new Set<string>();
  let first = true;
  let latest: Attention | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  async function count(): Promise<void> {
    const [{ items, unread }, inbox] = await Promise.all([
      core.call('notifications.list', { unreadOnly: true, limit: 100 }),
      core.call('approvals.inbox', {}),
    ]);
    // What was already unread when the profile opened is not news; only later arrivals are.
    const fresh = first ? [] : items.filter((n) => !seen.has(n.id) && ALERT_KINDS.has(n.kind));
    for (const n of items) seen.add(n.id);
    first = false;
    latest = { unreadNotifications: unread, pendingApprovals: inbox.length, fresh };
    onChange(latest);
  }

  function refresh(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await count();
        } catch (err) {
          logError('counting notifications and approvals failed', err);
        }
      } while (again);
      running = null;
    })();
  }

  return {
    refresh,
    current: () => latest,
    idle: async () => {
      while (running) await running;
    },
  };
}
