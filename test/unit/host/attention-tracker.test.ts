// Attention counts: unread alerts and approvals waiting, with only alerts that arrive after opening reported as fresh.
import { describe, expect, it } from 'vitest';
import type { Attention } from '../../../src-shared/api/host-protocol';
import type { Notification } from '../../../src-shared/domain/activities.schema';
import { createAttentionTracker } from '../../../src-main/host/attention-tracker';

const note = (id: string, kind: Notification['kind']): Notification => ({
  id, tenantId: 't', userId: 'u', kind, title: id, body: null, entityType: null, entityId: null, readAt: null, createdAt: 1,
});

/** A client core answering from plain lists (the tracker only reads two methods). */
function coreWith(state: { unread: Notification[]; inbox: number }) {
  let calls = 0;
  return {
    calls: () => calls,
    core: {
      call: (async (method: string) => {
        calls += 1;
        if (method === 'notifications.list') return { items: state.unread, unread: state.unread.length };
        return Array.from({ length: state.inbox }, () => ({}));
      }) as never,
    },
  };
}

describe('the attention tracker', () => {
  it('counts on open without calling anything fresh, then reports only new alert kinds', async () => {
    const state = { unread: [note('old', 'assignment')], inbox: 1 };
    const { core } = coreWith(state);
    const seen: Attention[] = [];
    const tracker = createAttentionTracker(core, (a) => seen.push(a), () => {});
    tracker.refresh();
    await tracker.idle();
    expect(seen).toEqual([{ unreadNotifications: 1, pendingApprovals: 1, fresh: [] }]);

    state.unread = [note('old', 'assignment'), note('new-assign', 'assignment'), note('new-approval', 'approval.requested'), note('task', 'task.due')];
    state.inbox = 2;
    tracker.refresh();
    await tracker.idle();
    expect(seen[1]).toMatchObject({ unreadNotifications: 4, pendingApprovals: 2 });
    expect(seen[1]!.fresh.map((n) => n.id)).toEqual(['new-assign', 'new-approval']);

    tracker.refresh();
    await tracker.idle();
    expect(seen[2]!.fresh).toEqual([]);
    expect(tracker.current()).toEqual(seen[2]);
  });

  it('coalesces refreshes asked for while one runs into one more count', async () => {
    const { core, calls } = coreWith({ unread: [], inbox: 0 });
    const tracker = createAttentionTracker(core, () => {}, () => {});
    for (let i = 0; i < 10; i++) tracker.refresh();
    await tracker.idle();
    // Two counts (the first and one catching up), two methods each.
    expect(calls()).toBe(4);
  });

  it('reports a failing count and keeps working', async () => {
    const errors: string[] = [];
    let fail = true;
    const core = { call: (async (method: string) => {
      if (fail) throw new Error('store closed');
      return method === 'notifications.list' ? { items: [], unread: 0 } : [];
    }) as never };
    const tracker = createAttentionTracker(core, () => {}, (m) => errors.push(m));
    tracker.refresh();
    await tracker.idle();
    expect(errors).toHaveLength(1);
    expect(tracker.current()).toBeNull();
    fail = false;
    tracker.refresh();
    await tracker.idle();
    expect(tracker.current()).toEqual({ unreadNotifications: 0, pendingApprovals: 0, fresh: [] });
  });
});
