// The app's own origin, app://fieldcrm: the built renderer is served from it, and only it may navigate or call the API.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { resolveStaticFile } from '../web/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldcrm';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** Must run before the app is ready: a standard, secure scheme behaves like https for the renderer (origin, storage, CSP 'self'). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves out/renderer under app://fieldcrm/, never a file outside it, each response with the CSP. */
export function serveRenderer(rendererDir: string, contentPolicy: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(await readFile(file.path), {
      headers: { 'content-type': file.type, 'content-security-policy': contentPolicy, 'x-content-type-options': 'nosniff' },
    });
  });
}

/**
 * Whether a URL belongs to the app: its own origin, or (unpackaged, `electron-vite dev`) the dev server's.
 * Everything else is refused for navigation, new windows and IPC.
 */
export function appUrlChecker(devServerUrl: string | null): (url: string) => boolean {
  // Scheme and host, not URL.origin: Node's URL gives a custom scheme the opaque origin "null".
  const originOf = (url: string) => {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  };
  const origins = new Set([APP_ORIGIN]);
  if (devServerUrl) origins.add(originOf(devServerUrl));
  return (url) => {
    try {
      return origins.has(originOf(url));
    } catch {
      return false;
    }
  };
}
