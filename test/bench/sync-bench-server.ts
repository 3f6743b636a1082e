// The sync benchmark's server, in its own process (as in production): PostgreSQL, a seeded tenant, HTTP on loopback.
// SYNC_BENCH_SERVER_PROFILE=file.cpuprofile profiles it from the end of seeding until it stops.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createTestEnv } from '../helpers/server-db';
import { seedDemoTenant } from '../../src-server/seed/demo-tenant';

const [leads, deals, activities] = process.argv.slice(2).map(Number) as [number, number, number];
const env = await createTestEnv('postgres');
await seedDemoTenant(env.ctx.db, { now: env.clock.now(), seed: 5, slug: 'bench', leads, deals, activities, formKey: null });
const profileTo = process.env.SYNC_BENCH_SERVER_PROFILE;
const profiler = profileTo ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const url = await env.app.listen({ port: 0, host: '127.0.0.1' });
process.send!({ url, now: env.clock.now() });
process.on('message', () => {
  void (async () => {
    if (profiler) writeFileSync(profileTo!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
    await env.dispose();
    process.exit(0);
  })();
});
