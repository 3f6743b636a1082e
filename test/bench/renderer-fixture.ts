// The renderer benchmarks' fixture: a local profile holding 100k leads / 20k deals / 200k activities, and the web host serving it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generateDemoDataset } from '../../src-shared/demo/demo-dataset';
import { openClient } from '../../src-main/core/client-core';
import { openProfileRegistry } from '../../src-main/host/profile-registry';
import { seedStore, SEED_SIZES } from '../../src-main/seed/seed-store';

export const ROOT_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const PROFILE_ID = 'bench-100k';
const SIZE = SEED_SIZES.large;

/** The host's data directory with one local profile of the large data set; seeded once (~1–2 min) and reused. */
export async function prepareBenchProfile(rootDir: string, log: (msg: string) => void): Promise<{ leads: number; dbFile: string }> {
  const registry = openProfileRegistry(rootDir);
  const dataDir = registry.dataDirOf(PROFILE_ID);
  const dbFile = join(dataDir, 'crm.db');
  if (registry.get(PROFILE_ID) && existsSync(dbFile)) {
    const db = new Database(dbFile, { readonly: true });
    const leads = (db.prepare('SELECT count(*) AS n FROM leads').get() as { n: number }).n;
    db.close();
    if (leads === SIZE.leads) return { leads, dbFile };
  }
  log(`seeding ${SIZE.leads} leads, ${SIZE.deals} deals, ${SIZE.activities} activities into ${dataDir} (once; reused by later runs)…`);
  const data = generateDemoDataset({ seed: 7, now: Date.UTC(2026, 10, 1), ...SIZE });
  const rep = data.users.find((u) => u.role === 'admin')!;
  const client = openClient({ dataDir, identity: { tenantId: data.tenant.id, userId: rep.id } });
  try {
    let last = 0;
    await seedStore(client, data, (done, total, what) => {
      if (performance.now() - last > 5_000) log(`  ${what}: ${done}/${total}`);
      last = performance.now();
    });
  } finally {
    await client.close();
  }
  const now = Date.now();
  registry.put({
    id: PROFILE_ID, name: 'Benchmark 100k', kind: 'local', serverUrl: null, tenantId: data.tenant.id, tenantName: data.tenant.name,
    userId: rep.id, userName: rep.name, email: rep.email, role: rep.role, clientId: null, createdAt: now, lastOpenedAt: now,
  });
  return { leads: SIZE.leads, dbFile };
}

export interface WebHostProcess {
  readonly openUrl: string;
  readonly pid: number;
  /** Resident memory of the host process (where the web host runs the profile's client core), in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

/** `npm run web` in its own process, on a local profile directory, with no tenant server (SERVER_URL points nowhere). */
export async function startWebHost(dataDir: string): Promise<WebHostProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src-main/web/web-main.ts')], {
    cwd: ROOT_DIR,
    env: { ...process.env, PORT: '0', WEB_DATA_DIR: dataDir, SERVER_URL: 'http://127.0.0.1:9' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ready: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the web host exited with ${code} before it was ready`)));
  });
  const pid = child.pid!;
  return {
    openUrl,
    pid,
    rssMb() {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      return kb / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
