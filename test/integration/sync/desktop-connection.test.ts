// A desktop notices at once when its server goes away (no write needed) and catches up when it comes back, through a loopback proxy.
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { forEachDatabase } from '../../helpers/server-db';
import { useTempDirs } from '../client/temp-dir';
import { syncTenant } from './sync-fixtures';
import { eventually, openDesktop, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();

/** A TCP proxy to the server that can be taken down (every connection cut) and brought back on the same port. */
async function cuttableProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let listenPort = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(port), hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(listenPort, '127.0.0.1', () => {
        listenPort = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  await up();
  return {
    url: () => `http://127.0.0.1:${listenPort}`,
    down: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
    up,
  };
}

forEachDatabase('desktop connection', (env) => {
  it('shows offline as soon as the server goes away, with no write, and syncs a change made meanwhile once it is back', async () => {
    const t = await syncTenant(env(), 9340, 'desk-conn');
    const proxy = await cuttableProxy(await serverUrl(env()));
    const rep = openDesktop(env(), proxy.url(), tempDir(), t.rep1, { live: true, syncOnWrite: true });
    try {
      await eventually('the desktop is live and synced', () => rep.sync.status().live && rep.sync.status().phase === 'idle' && rep.sync.status().lastSyncAt !== null);
      await proxy.down();
      await eventually('the desktop shows offline without any write', () => rep.sync.status().phase === 'offline' && !rep.sync.status().live);
      const { lead } = await rep.core.call('leads.create', { lastName: 'Meanwhile', email: 'meanwhile@example.com' });
      expect(rep.sync.status().pending).toBe(1);
      await proxy.up();
      await eventually('the desktop is back in step', () => rep.sync.status().live && rep.sync.status().pending === 0 && rep.sync.status().phase === 'idle', 20_000);
      const onServer = await env().ctx.db.execute(sql`SELECT last_name FROM leads WHERE id = ${lead.id}`);
      expect((onServer as unknown as { rows: { last_name: string }[] }).rows).toEqual([{ last_name: 'Meanwhile' }]);
    } finally {
      await rep.close();
      await proxy.down().catch(() => {});
    }
  });
});
