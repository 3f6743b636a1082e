// `npm run seed`: fills a local desktop profile with a deterministic demo data set (sizes up to 100k/20k/200k).
import { parseArgs } from 'node:util';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateDemoDataset } from '../../src-shared/demo/demo-dataset';
import { openClient } from '../core/client-core';
import { SEED_SIZES, seedStore } from './seed-store';

const USAGE = `usage: npm run seed -- [--size small|medium|large] [--leads N] [--deals N] [--activities N] [--seed N] [--data-dir DIR] [--fresh]
  small: 2,000 leads / 400 deals / 4,000 activities (default)   medium: 20k / 4k / 40k   large: 100k / 20k / 200k
  --data-dir  the profile directory (default .data/seed); --fresh deletes it first`;

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new Error(`--${name} must be a whole number from 0 to 1000000, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' }, leads: { type: 'string' }, deals: { type: 'string' }, activities: { type: 'string' },
      seed: { type: 'string' }, 'data-dir': { type: 'string', default: '.data/seed' }, fresh: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const size = SEED_SIZES[values.size as keyof typeof SEED_SIZES];
  if (!size) throw new Error(`--size must be one of ${Object.keys(SEED_SIZES).join(', ')}, got "${values.size}"`);
  const dataDir = resolve(values['data-dir']);
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });

  const opts = {
    seed: count('seed', values.seed, 1),
    now: Date.UTC(2026, 10, 1),
    leads: count('leads', values.leads, size.leads),
    deals: count('deals', values.deals, size.deals),
    activities: count('activities', values.activities, size.activities),
    extraReps: size.extraReps,
  };
  const started = performance.now();
  console.log(`generating ${opts.leads} leads, ${opts.deals} deals, ${opts.activities} activities (seed ${opts.seed})…`);
  const data = generateDemoDataset(opts);
  const admin = data.users.find((u) => u.role === 'admin')!;
  const client = openClient({ dataDir, identity: { tenantId: data.tenant.id, userId: admin.id } });
  try {
    await seedStore(client, data, (done, total, what) => process.stdout.write(`\r  ${what}: ${done}/${total}   `));
  } finally {
    await client.close();
  }
  console.log(`\nseeded ${dataDir}/crm.db in ${((performance.now() - started) / 1000).toFixed(1)} s (signed in as ${admin.email})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(USAGE);
  process.exit(1);
});
