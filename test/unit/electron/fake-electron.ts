// A stand-in for the `electron` module (which cannot run here): records what the shell asks of it and lets tests drive its events.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An Electron-style event: handlers may call preventDefault(). */
export function fakeEvent<T extends object>(fields: T): T & { preventDefault(): void; defaultPrevented: boolean } {
  const event = { ...fields, defaultPrevented: false, preventDefault() {
    event.defaultPrevented = true;
  } };
  return event;
}

export class FakeFrame {
  constructor(public url: string, public parent: FakeFrame | null = null) {}
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  destroyed = false;
  url = 'app://fieldcrm/index.html';
  mainFrame = new FakeFrame(this.url);
  sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: Handler | null = null;
  setWindowOpenHandler(handler: Handler) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.url;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static getAllWindows() {
    return BrowserWindow.all;
  }
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  shown = false;
  focused = 0;
  constructor(readonly options: Record<string, any>) { // eslint-disable-line @typescript-eslint/no-explicit-any
    super();
    BrowserWindow.all.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {
    this.shown = true;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {
    this.focused += 1;
  }
}

export class FakeUtilityProcess extends EventEmitter {
  posted: unknown[] = [];
  killed = false;
  /** Set by a test to receive what the main process posts (e.g. an in-process core host). */
  onPost: ((message: unknown) => void) | null = null;
  constructor(readonly modulePath: string, readonly options: unknown) {
    super();
  }
  postMessage(message: unknown) {
    const copy = structuredClone(message);
    this.posted.push(copy);
    this.onPost?.(copy);
  }
  kill() {
    this.killed = true;
    this.emit('exit', 0);
    return true;
  }
}

export class Notification extends EventEmitter {
  static supported = true;
  static shown: Notification[] = [];
  static isSupported() {
    return Notification.supported;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show() {
    Notification.shown.push(this);
  }
}

function freshState() {
  return {
    singleInstance: true,
    quitCalls: 0,
    badge: null as number | null,
    appHandlers: new Map<string, Handler[]>(),
    ready: Promise.resolve() as Promise<void>,
    isPackaged: true,
    userData: mkdtempSync(join(tmpdir(), 'fieldcrm-electron-')),
    ipcHandlers: new Map<string, Handler>(),
    rendererListeners: new Map<string, Set<Handler>>(),
    invoked: [] as { channel: string; args: unknown[] }[],
    exposed: new Map<string, unknown>(),
    forks: [] as FakeUtilityProcess[],
    /** Called as a utility process is forked, before the main process posts to it. */
    onFork: null as ((proc: FakeUtilityProcess) => void) | null,
    encryptionAvailable: true,
    storageBackend: 'gnome_libsecret',
    menuTemplate: null as unknown[] | null,
    headersHandler: null as Handler | null,
    permissionRequestHandler: null as Handler | null,
    permissionCheckHandler: null as Handler | null,
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, Handler>(),
  };
}

export let state = freshState();

export function resetElectron(): void {
  state = freshState();
  BrowserWindow.all = [];
  Notification.shown = [];
  Notification.supported = true;
}

/** Runs the app's handlers for an app event (e.g. 'second-instance', 'before-quit'). */
export function emitApp(event: string, ...args: unknown[]): void {
  for (const h of state.appHandlers.get(event) ?? []) h(...args);
}

export const app = {
  requestSingleInstanceLock: () => state.singleInstance,
  quit: () => void (state.quitCalls += 1),
  on(event: string, handler: Handler) {
    state.appHandlers.set(event, [...(state.appHandlers.get(event) ?? []), handler]);
    return app;
  },
  whenReady: () => state.ready,
  isReady: () => true,
  get isPackaged() {
    return state.isPackaged;
  },
  getPath: (name: string) => join(state.userData, name),
  getAppPath: () => state.userData,
  setBadgeCount: (n: number) => {
    state.badge = n;
    return true;
  },
};

export const ipcMain = {
  handle: (channel: string, handler: Handler) => void state.ipcHandlers.set(channel, handler),
};

export const ipcRenderer = {
  invoke: (channel: string, ...args: unknown[]) => {
    state.invoked.push({ channel, args });
    return Promise.resolve({ ok: true, output: null });
  },
  on(channel: string, listener: Handler) {
    if (!state.rendererListeners.has(channel)) state.rendererListeners.set(channel, new Set());
    state.rendererListeners.get(channel)!.add(listener);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: Handler) {
    state.rendererListeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
};

/** Delivers a message from the main process to the preload's listeners. */
export function sendToRenderer(channel: string, payload: unknown): void {
  for (const l of state.rendererListeners.get(channel) ?? []) l({ sender: 'the ipc event' }, payload);
}

export const contextBridge = {
  exposeInMainWorld: (name: string, api: unknown) => void state.exposed.set(name, api),
};

export const utilityProcess = {
  fork(modulePath: string, _args: string[], options: unknown) {
    const proc = new FakeUtilityProcess(modulePath, options);
    state.forks.push(proc);
    state.onFork?.(proc);
    return proc;
  },
};

export const safeStorage = {
  isEncryptionAvailable: () => state.encryptionAvailable,
  getSelectedStorageBackend: () => state.storageBackend,
  // A reversible stand-in for the OS keychain: enough to tell stored bytes from the plain text.
  encryptString: (plain: string) => Buffer.from(`enc:${Buffer.from(plain).toString('base64').split('').reverse().join('')}`),
  decryptString: (data: Buffer) => {
    const text = data.toString();
    if (!text.startsWith('enc:')) throw new Error('not encrypted by this keychain');
    return Buffer.from(text.slice(4).split('').reverse().join(''), 'base64').toString();
  },
};

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu: (menu: { template: unknown[] }) => void (state.menuTemplate = menu.template),
};

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: (handler: Handler) => void (state.headersHandler = handler) },
    setPermissionRequestHandler: (handler: Handler) => void (state.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Handler) => void (state.permissionCheckHandler = handler),
  },
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => void state.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: Handler) => void state.protocolHandlers.set(scheme, handler),
};

/** What `vi.mock('electron', …)` returns. */
export const electronModule = { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, utilityProcess, safeStorage, Notification, Menu, session, protocol };
