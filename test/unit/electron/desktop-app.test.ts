// The desktop app's wiring: one instance, then on ready the CSP, the app protocol, the core process, the IPC handler, the menu and the window.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, emitApp, fakeEvent, Notification, resetElectron, state } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { startDesktopApp } = await import('../../../src-main/electron/desktop-app');

const paths = { preload: '/app/out/preload/index.cjs', rendererDir: '/app/out/renderer', coreEntry: '/app/out/main/core-process.js', migrationsFolder: '/app/drizzle/client' };

async function startApp(devServerUrl: string | null = null) {
  const started = startDesktopApp({ paths, devServerUrl, serverUrl: null });
  await state.ready;
  await new Promise((r) => setImmediate(r));
  return started;
}

describe('the desktop app', () => {
  beforeEach(resetElectron);

  it('quits at once, touching nothing, when another instance holds the lock', async () => {
    state.singleInstance = false;
    expect(await startApp()).toBe(false);
    expect(state.quitCalls).toBe(1);
    expect(state.forks).toEqual([]);
    expect(BrowserWindow.all).toEqual([]);
    expect(state.ipcHandlers.size).toBe(0);
  });

  it('on ready: CSP and permissions, the app protocol, the core process, one IPC handler, the menu, and one window on the app', async () => {
    expect(await startApp()).toBe(true);
    expect(state.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(state.headersHandler).not.toBeNull();
    expect(state.permissionRequestHandler).not.toBeNull();
    expect([...state.protocolHandlers.keys()]).toEqual(['app']);
    expect(state.forks.map((f) => f.modulePath)).toEqual([paths.coreEntry]);
    expect(state.forks[0]!.posted[0]).toMatchObject({ type: 'init', init: { migrationsFolder: paths.migrationsFolder } });
    expect([...state.ipcHandlers.keys()]).toEqual(['fieldcrm:call']);
    expect(state.menuTemplate).not.toBeNull();
    expect(BrowserWindow.all).toHaveLength(1);
    expect(BrowserWindow.all[0]!.loadedUrl).toBe('app://fieldcrm/index.html');
    expect(BrowserWindow.all[0]!.options.webPreferences).toMatchObject({ preload: paths.preload, sandbox: true, contextIsolation: true });
  });

  it('ignores a dev server URL in a packaged app', async () => {
    state.isPackaged = true;
    await startApp('http://localhost:5173');
    expect(BrowserWindow.all[0]!.loadedUrl).toBe('app://fieldcrm/index.html');
  });

  it('loads the dev server when unpackaged', async () => {
    state.isPackaged = false;
    await startApp('http://localhost:5173');
    expect(BrowserWindow.all[0]!.loadedUrl).toBe('http://localhost:5173');
  });

  it('guards every web contents the app creates, not just its window', async () => {
    await startApp();
    const contents = new BrowserWindow({}).webContents;
    emitApp('web-contents-created', {}, contents);
    const nav = fakeEvent({ url: 'https://evil.example/' });
    contents.emit('will-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('focuses the window when a second instance starts', async () => {
    await startApp();
    emitApp('second-instance');
    expect(BrowserWindow.all[0]!.focused).toBe(1);
  });

  it('routes the core\'s events to the window and turns fresh alerts into OS notifications', async () => {
    await startApp();
    const win = BrowserWindow.all[0]!;
    const call = state.ipcHandlers.get('fieldcrm:call')!({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, 'profiles.current', {});
    const posted = state.forks[0]!.posted.at(-1) as { id: number; session: string };
    state.forks[0]!.emit('message', { type: 'result', session: posted.session, id: posted.id, result: { ok: true, output: null } });
    expect(await call).toEqual({ ok: true, output: null });
    const fresh = [{ id: 'n1', tenantId: 't', userId: 'u', kind: 'assignment', title: 'New lead: Ana', body: null, entityType: 'lead', entityId: 'l1', readAt: null, createdAt: 1 }];
    const event = { event: 'attention.changed', payload: { unreadNotifications: 1, pendingApprovals: 4, fresh } };
    state.forks[0]!.emit('message', { type: 'event', session: posted.session, event });
    expect(win.webContents.sent).toEqual([{ channel: 'fieldcrm:event', payload: event }]);
    expect(Notification.shown.map((n) => n.options.title)).toEqual(['New lead: Ana']);
    expect(state.badge).toBe(4);
  });

  it('sends menu commands to the window as events', async () => {
    await startApp();
    const newLead = (state.menuTemplate as { label?: string; submenu?: { label?: string; click?: () => void }[] }[])
      .flatMap((m) => m.submenu ?? []).find((i) => i.label === 'New Lead')!;
    newLead.click!();
    expect(BrowserWindow.all[0]!.webContents.sent).toEqual([{ channel: 'fieldcrm:event', payload: { event: 'menu.command', payload: { command: 'lead.new' } } }]);
  });

  it('lets the core close its stores before quitting', async () => {
    await startApp();
    const quit = fakeEvent({});
    emitApp('before-quit', quit);
    expect(quit.defaultPrevented).toBe(true);
    expect(state.forks[0]!.posted.at(-1)).toEqual({ type: 'shutdown' });
    expect(state.quitCalls).toBe(0);
    state.forks[0]!.emit('message', { type: 'stopped' });
    await new Promise((r) => setImmediate(r));
    expect(state.quitCalls).toBe(1);
    // The second before-quit (from that quit) goes through.
    const again = fakeEvent({});
    emitApp('before-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});
