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
  const root = resolve(rootDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = resolve(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  if (isFile(candidate)) return { path: candidate, type: TYPES[extname(candidate).toLowerCase()] ?? 'application/octet-stream', immutable: candidate.startsWith(join(root, 'assets') + sep) };
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
