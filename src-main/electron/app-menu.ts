// The application menu: the platform's usual items and shortcuts, plus app commands sent to the window as events.
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-shared/api/host-protocol';

export interface AppMenuOptions {
  isMac: boolean;
  /** Developer tools and force-reload only in an unpackaged build. */
  isDev: boolean;
  send: (command: MenuCommand) => void;
}

export function appMenuTemplate(o: AppMenuOptions): MenuItemConstructorOptions[] {
  const command = (label: string, accelerator: string, name: MenuCommand): MenuItemConstructorOptions => ({ label, accelerator, click: () => o.send(name) });
  return [
    ...(o.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        command('New Lead', 'CmdOrCtrl+N', 'lead.new'),
        command('Switch Profile…', 'CmdOrCtrl+Shift+P', 'profiles.switch'),
        { type: 'separator' },
        o.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        command('Find', 'CmdOrCtrl+F', 'search'),
        command('Sync Now', 'CmdOrCtrl+Shift+S', 'sync.now'),
        { type: 'separator' },
        { role: 'reload' },
        ...(o.isDev ? [{ role: 'forceReload' as const }, { role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
}

export function installAppMenu(o: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(o)));
}
