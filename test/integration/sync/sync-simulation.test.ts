// The seeded sync simulation in CI: 100 scenarios on each database (five desktops under faults each), run by
// `npm run sim` in two processes side by side, since vitest runs one test file at a time on these 2-core machines.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseKind } from '../../helpers/server-db';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Per database: scenarios, and the seed they are drawn from (a different one each, so 200 distinct scenarios). */
const PLAN: Record<DatabaseKind, { runs: number; seed: number }> = {
  pglite: { runs: 100, seed: 20_260_115 },
  postgres: { runs: 100, seed: 20_260_116 },
};
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function runSimProcess(kind: DatabaseKind): Promise<{ code: number | null; output: string }> {
  const { runs, seed } = PLAN[kind];
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/sim/run-sim.ts', '--db', kind, '--runs', String(runs), '--seed', String(seed), '--steps', '30', '--shrink-seconds', '120'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, output });
    });
  });
}

describe.concurrent('sync simulation', () => {
  it.each(['pglite', 'postgres'] as const)('keeps every replica equal to the server’s view of it under faults, 100 seeded scenarios [%s]', async (kind) => {
    const { code, output } = await runSimProcess(kind);
    // The output names the seed and the command that replays a failing scenario on its own.
    expect(code, output).toBe(0);
    expect(output).toMatch(new RegExp(`\\[${kind}\\] ok .*${PLAN[kind].runs} runs passed`));
  }, 30 * 60_000);
});
