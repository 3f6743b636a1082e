// `npm run web` as a process: with no configuration it starts the demo tenant server, prints one URL with the token,
// serves the app behind it, and stops everything (the server too) on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const answers = async (url: string) => fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);

describe('npm run web', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-web-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the demo tenant server and the browser host, prints the URL to open, and stops both on SIGTERM', async () => {
    const [port, serverPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main', 'web', 'web-main.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), SERVER_PORT: String(serverPort), WEB_DATA_DIR: join(dir, 'web'), DATA_DIR: join(dir, 'server'), LOG_LEVEL: 'warn', SERVER_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = new Promise<string>((resolve) => createInterface({ input: child.stdout }).on('line', (line) => {
      stdout.push(line);
      if (line.startsWith('FieldCRM is ready: ')) resolve(line.slice('FieldCRM is ready: '.length));
    }));
    const openUrl = await Promise.race([ready, exited.then((code) => { throw new Error(`exited with ${code}: ${stderr}`); })]);
    try {
      expect(openUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{40,}$`));
      expect(stdout).toEqual([`FieldCRM is ready: ${openUrl}`]);
      expect(await answers(openUrl)).toBe(303);
      expect(await answers(`http://127.0.0.1:${port}/`)).toBe(401);
      expect(await answers(`http://127.0.0.1:${serverPort}/healthz`)).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(await answers(`http://127.0.0.1:${serverPort}/healthz`)).toBe(0);
  }, 240_000);
});
