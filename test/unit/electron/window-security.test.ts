// The window's security settings: web preferences, navigation and window.open refused, the CSP header, permissions, the app origin.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, fakeEvent, resetElectron, state } from './fake-electron';
import type { FakeWebContents } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { createMainWindow } = await import('../../../src-main/electron/main-window');
const { appContentPolicy, installSessionSecurity } = await import('../../../src-main/electron/content-security');
const { APP_START_URL, appUrlChecker, serveRenderer } = await import('../../../src-main/electron/app-protocol');
const { session } = await import('electron');

const isAppUrl = appUrlChecker(null);

function openWindow() {
  createMainWindow({ preloadPath: '/app/out/preload/index.cjs', startUrl: APP_START_URL, isAppUrl });
  return BrowserWindow.all.at(-1)!;
}

function navigate(contents: FakeWebContents, eventName: string, url: string): boolean {
  const event = fakeEvent({ url });
  contents.emit(eventName, event);
  return event.defaultPrevented;
}

describe('the main window', () => {
  beforeEach(resetElectron);

  it('is isolated and sandboxed, without Node, webviews or insecure content, with our preload', () => {
    const win = openWindow();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.loadedUrl).toBe('app://fieldcrm/index.html');
  });

  it.each([
    ['will-navigate', 'https://evil.example/phish', true],
    ['will-navigate', 'file:///etc/passwd', true],
    ['will-navigate', 'app://other/index.html', true],
    ['will-frame-navigate', 'https://evil.example/frame', true],
    ['will-redirect', 'http://127.0.0.1:8787/', true],
    ['will-navigate', 'app://fieldcrm/leads', false],
  ])('%s to %s is refused: %s', (eventName, url, refused) => {
    const win = openWindow();
    expect(navigate(win.webContents, eventName, url)).toBe(refused);
  });

  it.each(['https://evil.example/', 'app://fieldcrm/index.html', 'about:blank'])('window.open(%s) is denied', (url) => {
    const win = openWindow();
    expect(win.webContents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a webview', () => {
    const win = openWindow();
    const event = fakeEvent({});
    win.webContents.emit('will-attach-webview', event);
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('content security', () => {
  beforeEach(resetElectron);

  it('sets a strict CSP header on every response, replacing any the response carried', () => {
    installSessionSecurity(session.defaultSession as never, appContentPolicy(null));
    let headers: Record<string, string[]> = {};
    state.headersHandler!({ responseHeaders: { 'content-security-policy': ["default-src *"], 'x-other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers['x-other']).toEqual(['1']);
    expect(headers['content-security-policy']).toBeUndefined();
    const csp = headers['Content-Security-Policy']![0]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-eval/);
  });

  it('allows the dev server and its inline preamble only when given one (unpackaged dev)', () => {
    expect(appContentPolicy(null)).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(appContentPolicy('http://localhost:5173')).toMatch(/script-src 'self' 'unsafe-inline' http:\/\/localhost:5173/);
  });

  it('grants the page no permission', () => {
    installSessionSecurity(session.defaultSession as never, appContentPolicy(null));
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) state.permissionRequestHandler!(null, permission, (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(state.permissionCheckHandler!(null, 'media')).toBe(false);
  });
});

describe('the app origin', () => {
  beforeEach(resetElectron);

  it.each([
    ['app://fieldcrm/index.html', null, true],
    ['app://fieldcrm/assets/x.js', null, true],
    ['app://fieldcrm.evil/index.html', null, false],
    ['http://localhost:5173/', null, false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['file:///app/out/renderer/index.html', null, false],
    ['not a url', null, false],
  ])('%s belongs to the app (dev server %s): %s', (url, dev, expected) => {
    expect(appUrlChecker(dev)(url)).toBe(expected);
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renderer-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');
    serveRenderer(dir, 'default-src \'none\'');
    const handler = state.protocolHandlers.get('app')!;
    const page: Response = await handler({ url: 'app://fieldcrm/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe('default-src \'none\'');
    expect(await page.text()).toContain('<title>app</title>');
    expect((await handler({ url: 'app://fieldcrm/assets/app.js' })).headers.get('content-type')).toContain('javascript');
    for (const url of ['app://fieldcrm/..%2fsecret.txt', 'app://fieldcrm/assets/missing.js', 'app://other/index.html']) {
      expect((await handler({ url })).status, url).toBe(404);
    }
  });
});
