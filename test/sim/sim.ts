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
  log?: (line: string) => void;
}

export interface SimReport {
  kind: DatabaseKind;
  runs: number;
  seed: number;
  failed: boolean;
  /** fast-check's report: the seed and path that reproduce a failure, and the shrunk scenario. */
  message: string;
}

export async function runSim(o: SimOptions): Promise<SimReport> {
  const server = await startSimServer(o.kind);
  try {
    let done = 0;
    const details = await fc.check(
      fc.asyncProperty(scenarioArb(o.maxSteps), async (scenario) => {
        await runScenario(server, scenario);
        done++;
        if (o.log && done % 10 === 0) o.log(`[${o.kind}] ${done} scenarios passed`);
      }),
      { seed: o.seed, numRuns: o.runs, endOnFailure: false, maxSkipsPerRun: 0 },
    );
    return { kind: o.kind, runs: details.numRuns, seed: o.seed, failed: details.failed, message: details.failed ? fc.defaultReportMessage(details) ?? 'failed' : `${details.numRuns} runs passed; exercised ${JSON.stringify(STATS)}` };
  } finally {
    await server.dispose();
  }
}
