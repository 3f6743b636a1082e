// The preload: the renderer's only door to the main process (filled in by the desktop-app issue).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('fieldcrm', { version: 1 });
