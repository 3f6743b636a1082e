// `npm start`'s helper: rebuilds better-sqlite3 for Electron before the app starts (prestart) and back for Node after (poststart).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Which runtime the native modules were last built for; a fresh `npm install` builds them for Node. */
const MARKER = join(ROOT, 'node_modules', '.fieldcrm-native-runtime');
const NATIVE = ['better-sqlite3'];

function builtFor(): string {
  try {
    return readFileSync(MARKER, 'utf8').trim();
  } catch {
    return 'node';
  }
}

function main(): void {
  const runtime = process.argv[2];
  if (runtime !== 'electron' && runtime !== 'node') throw new Error('usage: native-abi.ts electron|node');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  const want = runtime === 'electron' ? `electron@${version}` : 'node';
  if (builtFor() === want) return;
  const env = { ...process.env };
  for (const key of ['npm_config_runtime', 'npm_config_target', 'npm_config_disturl']) delete env[key];
  // Electron's documented npm variables: prebuild-install fetches (or node-gyp builds) the module against Electron's headers.
  if (runtime === 'electron') Object.assign(env, { npm_config_runtime: 'electron', npm_config_target: version, npm_config_disturl: 'https://electronjs.org/headers' });
  process.stderr.write(`rebuilding ${NATIVE.join(', ')} for ${want}…\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['rebuild', ...NATIVE], { cwd: ROOT, env, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`npm rebuild ${NATIVE.join(' ')} for ${want} failed`);
  writeFileSync(MARKER, want);
}

try {
  main();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
