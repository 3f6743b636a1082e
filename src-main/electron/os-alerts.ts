// OS notifications for new assignments and approval requests, and the dock/taskbar badge of approvals waiting.
import { app, Notification } from 'electron';
import { Attention } from '../../src-shared/api/host-protocol';
import type { HostEvent } from '../../src-shared/api/host-protocol';

export interface OsAlerts {
  handle(event: HostEvent): void;
}

export function createOsAlerts(options: { focusWindow: () => void }): OsAlerts {
  return {
    handle(event) {
      if (event.event !== 'attention.changed') return;
      const parsed = Attention.safeParse(event.payload);
      if (!parsed.success) return;
      const { fresh, pendingApprovals } = parsed.data;
      // Returns false where the OS has no badge (Windows): the in-app count still shows.
      app.setBadgeCount(pendingApprovals);
      if (!Notification.isSupported()) return;
      for (const n of fresh) {
        const notification = new Notification({ title: n.title, body: n.body ?? '' });
        notification.on('click', options.focusWindow);
        notification.show();
      }
    },
  };
}
