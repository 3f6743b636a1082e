// The one window: sandboxed, isolated, no Node; it may not navigate away from the app or open other windows.
import { BrowserWindow } from 'electron';
import type { WebContents } from 'electron';

export interface MainWindowOptions {
  preloadPath: string;
  startUrl: string;
  isAppUrl: (url: string) => boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'FieldCRM',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // A middle click would open a link in a new window; window.open is denied anyway, this closes the other door.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  guardContents(win.webContents, options.isAppUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.startUrl);
  return win;
}

/** Applied to every web contents the app creates: navigation stays in the app; no pop-ups, no webviews. */
export function guardContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
