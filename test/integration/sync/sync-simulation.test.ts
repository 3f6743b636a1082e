// A seeded subset of the sync simulation (npm run sim runs the full set): five desktops under faults, on both databases.
import { expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../helpers/server-db';
import { runSim } from '../../sim/sim';

it.each(DATABASE_KINDS)('keeps every replica equal to the server’s view of it under faults [%s]', async (kind) => {
  const report = await runSim({ kind, runs: 4, seed: 20_260_115, maxSteps: 24 });
  expect(report.failed, report.message).toBe(false);
}, 300_000);
