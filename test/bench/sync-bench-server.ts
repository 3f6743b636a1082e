// The sync benchmark's server, in its own process (as in production): PostgreSQL, a seeded tenant, HTTP on loopback.
import { createTestEnv } from '../helpers/server-db';
import { seedDemoTenant } from '../../src-server/seed/demo-tenant';

const [leads, deals, activities] = process.argv.slice(2).map(Number) as [number, number, number];
const env = await createTestEnv('postgres');
await seedDemoTenant(env.ctx.db, { now: env.clock.now(), seed: 5, slug: 'bench', leads, deals, activities, formKey: null });
const url = await env.app.listen({ port: 0, host: '127.0.0.1' });
process.send!({ url, now: env.clock.now() });
process.on('message', () => {
  void env.dispose().then(() => process.exit(0));
});
