// Resolves a request path to a file of the built renderer, never outside its folder; unknown routes get the app page.
import { statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  path: string;
  type: string;
  /** Hashed build assets never change under the same name. */
  immutable: boolean;
}

export function resolveStaticFile(rootDir: string, pathname: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  return decoded.includes('\0') ? null : resolveDecoded(resolve(rootDir), decoded);
}

function resolveDecoded(root: string, decoded: string): StaticFile | null {
  const candidate = resolve(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  if (isFile(candidate)) return { path: candidate, type: TYPES[extname(candidate).toLowerCase()] ?? 'application/octet-stream', immutable: candidate.startsWith(join(root, 'assets') + sep) };
  // The built page links its assets relatively (./assets/…, so Electron can load it too): under a client-side
  // route such as /leads/42 they are asked for as /leads/assets/…, and are the same files.
  const nested = decoded.lastIndexOf('/assets/');
  if (nested > 0) return resolveDecoded(root, decoded.slice(nested));
  // A client-side route (no extension) is the app itself; a missing asset is a 404.
  if (extname(decoded) === '') {
    const index = join(root, 'index.html');
    if (isFile(index)) return { path: index, type: TYPES['.html']!, immutable: false };
  }
  return null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
