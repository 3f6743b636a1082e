// Several server processes on one PostgreSQL: a notification written through one reaches a socket on another.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { API_PREFIX } from '../../../src-server/app/server-areas';
import { buildServer } from '../../../src-server/app/build-server';
import { createContext } from '../../../src-server/app/server-context';
import { openDatabase } from '../../../src-server/db/database';
import { createTestEnv, testConfig } from '../../helpers/server-db';
import type { TestEnv } from '../../helpers/server-db';
import { seedTenant, signIn } from '../server/api-client';
import { connectWs } from './ws-client';
import { notify } from './notifications-fixtures';

let first: TestEnv;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  first = await createTestEnv('postgres');
  stops.push(() => first.dispose());
});
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

it('delivers a notification written through one instance to a socket connected to the other, via LISTEN/NOTIFY', async () => {
  const seeded = await seedTenant(first, 801, 'fanout', { leads: 2, deals: 1 });
  const rep2 = seeded.dataset.users.find((u) => u.email === 'rep2@demo.test')!;

  // The second instance: its own pool, its own app and hub, the same database.
  const database = await openDatabase({ kind: 'postgres', url: first.database.pool!.options.connectionString! });
  const ctx = createContext({ config: testConfig('postgres'), database, log: pino({ level: 'silent' }), signingKey: first.ctx.signingKey, clock: first.clock });
  const app = buildServer(ctx);
  stops.push(async () => {
    await app.close();
    await database.close();
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const token = (await signIn(app, 'rep2@demo.test', { tenant: 'fanout' })).accessToken;
  const client = connectWs(`${url.replace(/^http/, 'ws')}${API_PREFIX}/ws?token=${token}`);
  try {
    await client.next('ready');
    // Written through the first instance's pool, which the second instance's process knows nothing of.
    await notify(first.ctx.db, first.clock.now(), [{ tenantId: seeded.tenantId, userId: rep2.id, kind: 'approval.requested', title: 'across processes', entityType: 'approval', entityId: 'req-1' }]);
    expect((await client.next('notification')).notification).toMatchObject({ userId: rep2.id, title: 'across processes', kind: 'approval.requested' });
  } finally {
    client.close();
  }
});
