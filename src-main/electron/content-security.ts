// The window's Content Security Policy and the session's permission policy: the renderer loads only the app and asks for nothing.
import type { Session } from 'electron';

/**
 * Scripts and styles from the app only; no network at all (every call goes through IPC). The dev server needs an
 * inline preamble and its HMR socket, and gets them only when unpackaged.
 */
export function appContentPolicy(devServerUrl: string | null): string {
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  return [
    "default-src 'none'",
    dev ? `script-src 'self' 'unsafe-inline' ${dev.origin}` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? `connect-src 'self' ${dev.origin} ws://${dev.host}` : "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Sets the CSP header on every response of the session, and refuses every permission (camera, geolocation, …). */
export function installSessionSecurity(session: Session, contentPolicy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    // Replace, never add to, whatever the response carried.
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [contentPolicy] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
