// The sync benchmarks' server, in its own process (as in production) on a PostgreSQL database the parent created.
// argv[2] is JSON: { db, port, seed? }. With `seed`, it first seeds the demo-sized tenant `live` (for the benchmarks
// with many desktops) and, if sized, the large tenant `bench`; without, it serves the database as it is (a restart).
// SYNC_BENCH_SERVER_PROFILE=file.cpuprofile profiles it from the end of seeding until it stops.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { createContext } from '../../src-server/app/server-context';
import { buildServer } from '../../src-server/app/build-server';
import { loadSigningKey } from '../../src-server/auth/signing-key';
import { openDatabase } from '../../src-server/db/database';
import { seedDemoTenant } from '../../src-server/seed/demo-tenant';
import { ManualClock, testConfig } from '../helpers/server-db';

export interface BenchServerArgs {
  db: string;
  port: number;
  seed?: { bench: { leads: number; deals: number; activities: number } | null };
}

export interface BenchServerReady {
  url: string;
  now: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as BenchServerArgs;
const database = await openDatabase({ kind: 'postgres', url: args.db });
// The same fixed "now" in every process: the access tokens signed before a restart stay valid after it.
const clock = new ManualClock();
if (args.seed) {
  if (args.seed.bench) await seedDemoTenant(database.db, { now: clock.now(), seed: 5, slug: 'bench', ...args.seed.bench, formKey: null });
  await seedDemoTenant(database.db, { now: clock.now(), seed: 6, slug: 'live', formKey: null });
  // What autovacuum does within a minute of a bulk load (visibility hints, statistics): the benchmarks measure sync
  // against a database in its usual state, not the first reads of rows written a moment ago.
  await database.db.execute(sql`VACUUM ANALYZE`);
}
const signingKey = await loadSigningKey(database.db, null, clock.now());
const ctx = createContext({ config: { ...testConfig('postgres'), database: { kind: 'postgres', url: args.db } }, database, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), signingKey, clock });
const app = buildServer(ctx);
await app.ready();
const profileTo = process.env.SYNC_BENCH_SERVER_PROFILE;
const profiler = profileTo ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const url = await app.listen({ port: args.port, host: '127.0.0.1' });
process.send!({ url, now: clock.now() } satisfies BenchServerReady);
process.on('message', () => {
  void (async () => {
    if (profiler) writeFileSync(profileTo!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
    await app.close();
    await database.close();
    process.exit(0);
  })();
});
