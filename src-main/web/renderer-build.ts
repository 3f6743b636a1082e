// Builds the renderer before the web host serves it, when out/renderer is missing or older than its sources.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What the renderer bundle is made from: its own code, the shared code it imports, and the build configuration. */
const SOURCES = ['src-renderer', 'src-shared', 'electron.vite.config.ts', 'package.json'];

export function rendererDirOf(rootDir: string): string {
  return join(rootDir, 'out', 'renderer');
}

export function rendererIsStale(rootDir: string): boolean {
  const built = mtimeOf(join(rendererDirOf(rootDir), 'index.html'));
  if (built === null) return true;
  return SOURCES.some((s) => newestMtime(join(rootDir, s)) > built);
}

/** Runs `electron-vite build` (main, preload and renderer: a couple of seconds) when the renderer is stale. */
export async function ensureRendererBuilt(rootDir: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<boolean> {
  if (!rendererIsStale(rootDir)) return false;
  log('building the renderer (out/renderer is missing or older than its sources)…');
  const require = createRequire(join(rootDir, 'package.json'));
  const bin = join(require.resolve('electron-vite/package.json'), '..', 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [bin, 'build'], { cwd: rootDir, stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`building the renderer failed (electron-vite build exited with ${code})`);
  return true;
}

function mtimeOf(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}
