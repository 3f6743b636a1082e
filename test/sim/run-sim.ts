// npm run sim -- --runs N --seed S [--db pglite|postgres|both] [--steps M] [--path P] [--shrink-seconds T]:
// the deterministic sync simulation. A failure prints the command that replays the failing scenario on its own.
import { parseArgs } from 'node:util';
import { runSim } from './sim';
import type { SimReport } from './sim';

const USAGE = 'usage: npm run sim -- --runs N --seed S [--db pglite|postgres|both] [--steps M] [--path P] [--shrink-seconds T]';

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' },
      seed: { type: 'string' },
      db: { type: 'string', default: 'both' },
      steps: { type: 'string', default: '30' },
      path: { type: 'string' },
      'shrink-seconds': { type: 'string', default: '600' },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

const runs = Number(values['runs']);
const seed = values['seed'] === undefined ? Date.now() % 2_147_483_647 : Number(values['seed']);
const maxSteps = Number(values['steps']);
const shrinkSeconds = Number(values['shrink-seconds']);
const path = values['path'];
const kinds = values['db'] === 'both' ? (['pglite', 'postgres'] as const) : [values['db'] as 'pglite' | 'postgres'];
const problems = [
  !Number.isInteger(runs) || runs < 1 ? `--runs must be a whole number ≥ 1 (got ${values['runs']})` : null,
  !Number.isInteger(seed) ? `--seed must be a whole number (got ${values['seed']})` : null,
  !Number.isInteger(maxSteps) || maxSteps < 1 ? `--steps must be a whole number ≥ 1 (got ${values['steps']})` : null,
  !(shrinkSeconds >= 0) ? `--shrink-seconds must be a number ≥ 0 (got ${values['shrink-seconds']})` : null,
  path !== undefined && !/^\d+(:\d+)*$/.test(path) ? `--path must be fast-check's path, like 12:0:3 (got ${path})` : null,
  kinds.every((k) => k === 'pglite' || k === 'postgres') ? null : `--db must be pglite, postgres or both (got ${values['db']})`,
].filter((p) => p !== null);
if (problems.length > 0) {
  console.error(`${problems.join('\n')}\n${USAGE}`);
  process.exit(2);
}

const reports: SimReport[] = [];
for (const kind of kinds) {
  const started = performance.now();
  console.log(path === undefined ? `[${kind}] ${runs} runs, seed ${seed}, up to ${maxSteps} steps each` : `[${kind}] replaying seed ${seed} path ${path}`);
  const report = await runSim({ kind, runs, seed, maxSteps, shrinkBudgetMs: shrinkSeconds * 1000, log: (line) => console.log(line), ...(path !== undefined ? { path } : {}) });
  reports.push(report);
  const seconds = (performance.now() - started) / 1000;
  console.log(`[${kind}] ${report.failed ? 'FAILED' : 'ok'} in ${seconds.toFixed(1)} s${report.failed ? '' : ` (${((seconds * 1000) / report.runs).toFixed(0)} ms a run)`}: ${report.message}`);
  if (report.failed) console.log(`[${kind}] seed ${seed}; replay the failing scenario with: ${report.reproduce ?? `npm run sim -- --db ${kind} --seed ${seed} --runs ${runs} --steps ${maxSteps}`}`);
}
process.exit(reports.some((r) => r.failed) ? 1 : 0);
