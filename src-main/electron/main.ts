// The Electron main process entry: resolves the built files' paths and starts the desktop app (see desktop-app.ts).
import { join } from 'node:path';
import { app } from 'electron';
import { startDesktopApp } from './desktop-app';

const here = import.meta.dirname;

startDesktopApp({
  paths: {
    preload: join(here, '../preload/index.cjs'),
    rendererDir: join(here, '../renderer'),
    coreEntry: join(here, 'core-process.js'),
    // The packaged app ships its migrations as a resource (electron-builder.yml extraResources).
    migrationsFolder: app.isPackaged ? join(process.resourcesPath, 'drizzle', 'client') : join(app.getAppPath(), 'drizzle', 'client'),
  },
  devServerUrl: process.env['ELECTRON_RENDERER_URL'] ?? null,
  serverUrl: process.env['SERVER_URL'] ?? (app.isPackaged ? null : 'http://127.0.0.1:8787'),
});
