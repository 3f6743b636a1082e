// npm run sim -- --runs N --seed S [--db pglite|postgres|both] [--steps M]: the deterministic sync simulation.
import { parseArgs } from 'node:util';
import { runSim } from './sim';
import type { SimReport } from './sim';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string' },
    db: { type: 'string', default: 'both' },
    steps: { type: 'string', default: '30' },
  },
});

const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2_147_483_647 : Number(values.seed);
const maxSteps = Number(values.steps);
const kinds = values.db === 'both' ? (['pglite', 'postgres'] as const) : [values.db as 'pglite' | 'postgres'];
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !Number.isInteger(maxSteps) || maxSteps < 1 || !kinds.every((k) => k === 'pglite' || k === 'postgres')) {
  console.error('usage: npm run sim -- --runs N --seed S [--db pglite|postgres|both] [--steps M]');
  process.exit(2);
}

const reports: SimReport[] = [];
for (const kind of kinds) {
  const started = performance.now();
  console.log(`[${kind}] ${runs} runs, seed ${seed}, up to ${maxSteps} steps each`);
  const report = await runSim({ kind, runs, seed, maxSteps, log: (line) => console.log(line) });
  reports.push(report);
  console.log(`[${kind}] ${report.failed ? 'FAILED' : 'ok'} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.message}`);
  if (report.failed) console.log(`reproduce with: npm run sim -- --db ${kind} --seed ${seed} --runs ${runs} --steps ${maxSteps}`);
}
process.exit(reports.some((r) => r.failed) ? 1 : 0);
