// The desktop app's wiring: one instance, one secure window, the client core in a utility process, IPC, menu and alerts.
import { join } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import type { HostEvent, MenuCommand } from '../../src-shared/api/host-protocol';
import { APP_START_URL, appUrlChecker, registerAppScheme, serveRenderer } from './app-protocol';
import { installAppMenu } from './app-menu';
import { appContentPolicy, installSessionSecurity } from './content-security';
import { startCoreProcess } from './core-process-client';
import type { CoreProcess } from './core-process-client';
import { registerIpcBridge, sendEvent } from './ipc-bridge';
import { createMainWindow, guardContents } from './main-window';
import { createOsAlerts } from './os-alerts';
import { createTokenVault } from './token-vault';

export interface DesktopPaths {
  preload: string;
  rendererDir: string;
  coreEntry: string;
  migrationsFolder: string;
}

export interface DesktopOptions {
  paths: DesktopPaths;
  /** `electron-vite dev`'s renderer server; honoured only when unpackaged. */
  devServerUrl: string | null;
  /** The tenant server the sign-in form suggests. */
  serverUrl: string | null;
}

/** Returns false when another instance runs (it is focused instead, and this one quits). */
export function startDesktopApp(options: DesktopOptions): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  const devServerUrl = app.isPackaged ? null : options.devServerUrl;
  const isAppUrl = appUrlChecker(devServerUrl);
  const contentPolicy = appContentPolicy(devServerUrl);
  let win: BrowserWindow | null = null;
  let core: CoreProcess | null = null;

  registerAppScheme();
  // Every web contents, including any the app did not mean to create, gets the same guards.
  app.on('web-contents-created', (_event, contents) => guardContents(contents, isAppUrl));

  const focusWindow = () => {
    if (!win) return void (win = openWindow());
    if (win.isMinimized()) win.restore();
    win.focus();
  };
  app.on('second-instance', focusWindow);

  const openWindow = () => {
    const created = createMainWindow({ preloadPath: options.paths.preload, startUrl: devServerUrl ?? APP_START_URL, isAppUrl });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    return created;
  };

  void app.whenReady().then(() => {
    installSessionSecurity(session.defaultSession, contentPolicy);
    serveRenderer(options.paths.rendererDir, contentPolicy);
    const userData = app.getPath('userData');
    core = startCoreProcess({
      entry: options.paths.coreEntry,
      init: { rootDir: join(userData, 'profiles'), migrationsFolder: options.paths.migrationsFolder, serverUrl: options.serverUrl },
      tokens: createTokenVault(join(userData, 'tokens')),
    });
    const alerts = createOsAlerts({ focusWindow });
    registerIpcBridge({ core, isAppUrl, onEvent: (event: HostEvent) => alerts.handle(event) });
    installAppMenu({
      isMac: process.platform === 'darwin',
      isDev: !app.isPackaged,
      send: (command: MenuCommand) => {
        if (win) sendEvent(win.webContents, { event: 'menu.command', payload: { command } }, isAppUrl);
      },
    });
    win = openWindow();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) win = openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    // Let the core drain its writes and close its stores before the process ends.
    event.preventDefault();
    quitting = true;
    void core.stop().finally(() => app.quit());
  });
  return true;
}
