// Runs seeded simulations with fast-check (random scenarios, shrinking on failure) on one database kind.
import fc from 'fast-check';
import type { DatabaseKind } from '../helpers/server-db';
import { STATS, runScenario, scenarioArb } from './sim-run';
import { startSimServer } from './sim-server';

export interface SimOptions {
  kind: DatabaseKind;
  runs: number;
  seed: number;
  /** Most steps in one scenario. */
  maxSteps: number;
  /** Replays one counterexample (fast-check's path, printed with a failure) instead of `runs` new scenarios. */
  path?: string;
  /** Milliseconds shrinking a failure may take; then the smallest failing scenario found so far is reported. */
  shrinkBudgetMs?: number;
  log?: (line: string) => void;
}

export interface SimReport {
  kind: DatabaseKind;
  runs: number;
  seed: number;
  failed: boolean;
  /** What the runs exercised, or fast-check's report of a failure (the shrunk scenario and the error). */
  message: string;
  /** The command that replays the failing scenario (seed and path), when one failed. */
  reproduce: string | null;
}

/** The command line that replays a counterexample on its own. */
export function reproduceCommand(o: { kind: DatabaseKind; seed: number; maxSteps: number; path: string }): string {
  return `npm run sim -- --db ${o.kind} --seed ${o.seed} --steps ${o.maxSteps} --path ${o.path}`;
}

export async function runSim(o: SimOptions): Promise<SimReport> {
  const server = await startSimServer(o.kind);
  try {
    let done = 0;
    let firstFailureAt: number | null = null;
    const budget = o.shrinkBudgetMs ?? 10 * 60_000;
    const details = await fc.check(
      fc.asyncProperty(scenarioArb(o.maxSteps), async (scenario) => {
        // Past the shrinking budget every candidate passes, so fast-check stops at the smallest failure it has.
        if (firstFailureAt !== null && performance.now() - firstFailureAt > budget) return;
        try {
          await runScenario(server, scenario);
        } catch (err) {
          firstFailureAt ??= performance.now();
          throw err;
        }
        done++;
        if (o.log && firstFailureAt === null && done % 10 === 0) o.log(`[${o.kind}] ${done} scenarios passed`);
      }),
      { seed: o.seed, numRuns: o.runs, endOnFailure: false, maxSkipsPerRun: 0, ...(o.path !== undefined ? { path: o.path } : {}) },
    );
    const stats = { ...STATS };
    for (const key of Object.keys(STATS) as (keyof typeof STATS)[]) STATS[key] = 0;
    if (!details.failed) return { kind: o.kind, runs: details.numRuns, seed: o.seed, failed: false, message: `${details.numRuns} runs passed; exercised ${JSON.stringify(stats)}`, reproduce: null };
    const reproduce = details.counterexamplePath === null ? null : reproduceCommand({ kind: o.kind, seed: o.seed, maxSteps: o.maxSteps, path: details.counterexamplePath });
    return { kind: o.kind, runs: details.numRuns, seed: o.seed, failed: true, message: fc.defaultReportMessage(details) ?? 'failed', reproduce };
  } finally {
    await server.dispose();
  }
}
