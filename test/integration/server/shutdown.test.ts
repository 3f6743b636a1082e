// Graceful shutdown: stop accepting, finish in-flight requests, stop background services, then close the database.
import { describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { startServer } from '../../../src-server/app/start-server';
import { HTTP_AREAS } from '../../../src-server/app/server-areas';
import type { BackgroundService, HttpArea } from '../../../src-server/app/server-areas';
import { createContext } from '../../../src-server/app/server-context';
import { buildServer } from '../../../src-server/app/build-server';
import { createTestDatabase, DATABASE_KINDS, testConfig } from '../../helpers/server-db';

/** One request on a fresh connection: its status, or the connection error's code. */
function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe.each(DATABASE_KINDS)('graceful shutdown [%s]', (kind) => {
  it('refuses new connections, lets the in-flight request finish, stops services, then closes the database', async () => {
    const testDb = await createTestDatabase(kind);
    try {
      const entered = deferred();
      const release = deferred();
      const slow: HttpArea = {
        name: 'slow', prefix: '/test',
        plugin: async (app) => {
          app.get('/slow', async () => {
            entered.resolve();
            await release.promise;
            return { done: true };
          });
        },
      };
      const events: string[] = [];
      const service: BackgroundService = {
        name: 'recorder',
        start: async () => void events.push('service started'),
        stop: async () => void events.push(`service stopped (database ${testDb.database.closed ? 'closed' : 'open'})`),
      };
      const server = await startServer(testConfig(kind), { database: testDb.database, log: pino({ level: 'silent' }), areas: [...HTTP_AREAS, slow], services: [service] });
      expect(events).toEqual(['service started']);

      const inFlight = get(`${server.url}/test/slow`);
      await entered.promise;
      const stopping = server.stop();
      // New connections are refused (or told 503) while the slow request is still running.
      let refused = false;
      for (let i = 0; i < 100 && !refused; i++) {
        const res = await get(`${server.url}/healthz`);
        refused = 'error' in res || res.status === 503;
        if (!refused) await new Promise((r) => setTimeout(r, 20));
      }
      expect(refused).toBe(true);
      expect(testDb.database.closed).toBe(false);

      release.resolve();
      expect(await inFlight).toEqual({ status: 200, body: JSON.stringify({ done: true }) });
      await stopping;
      expect(events).toEqual(['service started', 'service stopped (database open)']);
      expect(testDb.database.closed).toBe(true);
      if (kind === 'pglite') expect(testDb.database.pglite!.closed).toBe(true);
      else expect(testDb.database.pool!.ended).toBe(true);

      // Readiness over the closed database reports it unreachable rather than failing.
      const ctx = server.ctx;
      const health = HTTP_AREAS.filter((a) => a.name === 'health');
      const app = buildServer(createContext({ config: ctx.config, database: testDb.database, log: ctx.log, signingKey: ctx.signingKey }), { areas: health });
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      await app.close();
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'not-ready', database: 'unreachable', migrations: null });
    } finally {
      await testDb.dispose();
    }
  });
});
