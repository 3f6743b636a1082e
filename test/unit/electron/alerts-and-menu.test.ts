// OS notifications for new assignments and approval requests, the approvals badge, and the application menu.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { Notification as AppNotification } from '../../../src-shared/domain/activities.schema';
import { Notification, resetElectron, state } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { createOsAlerts } = await import('../../../src-main/electron/os-alerts');
const { appMenuTemplate, installAppMenu } = await import('../../../src-main/electron/app-menu');

const alert = (kind: AppNotification['kind'], title: string): AppNotification => ({
  id: `n-${title}`, tenantId: 't', userId: 'u', kind, title, body: `${title} body`, entityType: 'lead', entityId: 'l1', readAt: null, createdAt: 1,
});

describe('OS alerts', () => {
  beforeEach(resetElectron);

  it('shows a notification per fresh alert and sets the badge to the approvals waiting', () => {
    const alerts = createOsAlerts({ focusWindow: () => {} });
    alerts.handle({ event: 'attention.changed', payload: { unreadNotifications: 3, pendingApprovals: 2, fresh: [alert('assignment', 'New lead: Ana'), alert('approval.requested', 'Approve Big deal')] } });
    expect(Notification.shown.map((n) => n.options)).toEqual([{ title: 'New lead: Ana', body: 'New lead: Ana body' }, { title: 'Approve Big deal', body: 'Approve Big deal body' }]);
    expect(state.badge).toBe(2);
  });

  it('focuses the window when a notification is clicked', () => {
    let focused = 0;
    const alerts = createOsAlerts({ focusWindow: () => (focused += 1) });
    alerts.handle({ event: 'attention.changed', payload: { unreadNotifications: 1, pendingApprovals: 0, fresh: [alert('assignment', 'x')] } });
    Notification.shown[0]!.emit('click');
    expect(focused).toBe(1);
  });

  it('ignores other events, and shows nothing where notifications are unsupported (the badge still updates)', () => {
    const alerts = createOsAlerts({ focusWindow: () => {} });
    alerts.handle({ event: 'changed', payload: { mutations: [], tables: ['notifications'] } });
    expect(state.badge).toBeNull();
    Notification.supported = false;
    alerts.handle({ event: 'attention.changed', payload: { unreadNotifications: 1, pendingApprovals: 1, fresh: [alert('assignment', 'x')] } });
    expect(Notification.shown).toEqual([]);
    expect(state.badge).toBe(1);
  });
});

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

describe('the application menu', () => {
  beforeEach(resetElectron);

  it('has the usual roles and shortcuts, and sends app commands to the window', () => {
    const sent: string[] = [];
    installAppMenu({ isMac: false, isDev: false, send: (c) => sent.push(c) });
    const all = items(state.menuTemplate as MenuItemConstructorOptions[]);
    const roles = all.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'quit', 'reload', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'about']));
    const byLabel = new Map(all.filter((i) => i.label).map((i) => [i.label, i]));
    expect(byLabel.get('New Lead')?.accelerator).toBe('CmdOrCtrl+N');
    expect(byLabel.get('Find')?.accelerator).toBe('CmdOrCtrl+F');
    (byLabel.get('New Lead')!.click as () => void)();
    (byLabel.get('Sync Now')!.click as () => void)();
    expect(sent).toEqual(['lead.new', 'sync.now']);
  });

  it.each([
    [false, false],
    [true, true],
  ])('offers developer tools only in an unpackaged build (dev %s)', (isDev, hasDevTools) => {
    const roles = items(appMenuTemplate({ isMac: false, isDev, send: () => {} })).map((i) => i.role);
    expect(roles.includes('toggleDevTools')).toBe(hasDevTools);
  });

  it('has the app menu on macOS only', () => {
    expect(appMenuTemplate({ isMac: true, isDev: false, send: () => {} })[0]!.role).toBe('appMenu');
    expect(appMenuTemplate({ isMac: false, isDev: false, send: () => {} })[0]!.role).toBeUndefined();
  });
});
