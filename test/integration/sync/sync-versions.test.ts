// Versions across an upgrade: a later server applies older clients' mutations within its window (upgrading their
// args) and refuses older ones as recorded refusals; an unsupported desktop goes read-only with its outbox untouched.
import { expect, it } from 'vitest';
import type { Mutation } from '../../../src-shared/mutators/mutator';
import { PROTOCOL_VERSION, SCHEMA_VERSION, THIS_VERSION } from '../../../src-shared/sync/sync-protocol';
import type { VersionInfo } from '../../../src-shared/sync/sync-protocol';
import type { ClientCore } from '../../../src-main/core/client-core';
import { createHttpTransport } from '../../../src-main/sync/sync-transport';
import type { SyncTransport } from '../../../src-main/sync/sync-transport';
import { createTokenSession } from '../../../src-main/sync/token-session';
import { setMutationPolicy } from '../../../src-server/sync/sync-versions';
import type { TestEnv } from '../../helpers/server-db';
import { forEachDatabase } from '../../helpers/server-db';
import { request } from '../server/api-client';
import { useTempDirs } from '../client/temp-dir';
import { MapReplica, push } from './sync-fixtures';
import type { SyncUser } from './sync-fixtures';
import { syncTenant } from './sync-fixtures';
import { openDesktop, replicaSnapshot, serverSnapshot, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();

/** A later protocol's history, made up: version 2's leads.create called the last name `surname`. */
const renamedSurname = (m: Mutation): Mutation => {
  const { surname, ...rest } = m.args as { surname?: string };
  return { name: m.name, args: { ...rest, lastName: surname } };
};

/** The HTTP transport, with the server's advertised versions under the test's control. */
function withInfo(env: TestEnv, url: string, user: SyncUser, info: () => VersionInfo): SyncTransport {
  const real = createHttpTransport({ baseUrl: url, auth: createTokenSession({ baseUrl: url, session: user.session, clock: () => env.clock.now() }) });
  return { info: async () => info(), push: (req) => real.push(req), pull: (req) => real.pull(req) };
}

/** The outbox and the id counter exactly as stored: every column, args as the JSON text on disk. */
function outboxBytes(core: ClientCore): string {
  const rows = core.store.sqlite.prepare('SELECT * FROM outbox ORDER BY mutation_id').all();
  const next = core.store.sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'nextMutationId'`).get();
  return JSON.stringify({ rows, next });
}

forEachDatabase('sync versions', (env) => {
  it('a later server applies an older client’s mutations within its window, upgraded, and refuses older ones as recorded refusals that sync back', async () => {
    const t = await syncTenant(env(), 9601, 'versions-window');
    const { app } = env();
    // The server of protocol 3, still reading mutations recorded under 2 (with their old args), no longer those of 1.
    const restore = setMutationPolicy({ window: { oldest: 2, current: 3 }, upgrades: { 2: { 'leads.create': renamedSurname } } });
    try {
      const stamped = (mutationId: number, protocolVersion: number, args: object) => ({ clientId: t.rep1.clientId, mutationId, name: 'leads.create', args, protocolVersion });
      const res = await push(app, t.rep1, [
        stamped(1, 1, { id: 'lead-v1', lastName: 'One', email: 'one@example.com' }),
        stamped(2, 2, { id: 'lead-v2', surname: 'Two', email: 'two@example.com' }),
        stamped(3, 3, { id: 'lead-v3', lastName: 'Three', email: 'three@example.com' }),
      ]);
      // The refusal advances the client's id like any other: the outbox behind it moves on.
      expect(res.lastMutationId).toBe(3);
      expect(res.outcomes.map((o) => o.status)).toEqual(['refused', 'applied', 'applied']);
      expect(res.outcomes[0]!.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'protocolVersion' }] });
      expect(res.outcomes[0]!.error!.message).toMatch(/too old for the server .*protocol 1.*oldest still accepted is 2/);

      const replica = new MapReplica();
      await replica.sync(app, t.rep1);
      expect(replica.row('leads', 'lead-v1')).toBeUndefined();
      expect(replica.row('leads', 'lead-v2')).toMatchObject({ lastName: 'Two', email: 'two@example.com' });
      expect(replica.row('leads', 'lead-v3')).toMatchObject({ lastName: 'Three' });
      expect(replica.results).toEqual([{ mutationId: 1, name: 'leads.create', error: expect.objectContaining({ code: 'VALIDATION' }) }]);
      const notes = [...(replica.tables.get('notifications')?.values() ?? [])].filter((n) => n['kind'] === 'mutation.refused');
      expect(notes.map((n) => n['body'])).toEqual([expect.stringMatching(/too old/)]);
    } finally {
      restore();
    }
  });

  it('leaves a mutation from a newer protocol than it reads untouched: READ_ONLY, nothing processed', async () => {
    const t = await syncTenant(env(), 9602, 'versions-newer');
    const { app } = env();
    const newer = { clientId: t.rep1.clientId, mutationId: 1, name: 'leads.create', args: { id: 'lead-next', lastName: 'Next' }, protocolVersion: PROTOCOL_VERSION + 1 };
    const res = await request(app, 'POST', '/api/v1/sync/push', { token: t.rep1.token, body: { clientId: t.rep1.clientId, protocolVersion: PROTOCOL_VERSION, schemaVersion: SCHEMA_VERSION, mutations: [newer] } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'READ_ONLY' });
    // Mutation 1 is still to come: the server has processed nothing of this client.
    const next = await push(app, t.rep1, [{ ...newer, protocolVersion: PROTOCOL_VERSION }]);
    expect(next.outcomes).toEqual([{ mutationId: 1, status: 'applied' }]);
  });

  it('an unsupported desktop goes read-only with its outbox byte for byte untouched and refuses writes, and the upgraded app drains it', async () => {
    const t = await syncTenant(env(), 9603, 'versions-readonly');
    const url = await serverUrl(env());
    let server: VersionInfo = THIS_VERSION;
    const transport = withInfo(env(), url, t.rep1, () => server);
    const dir = tempDir();
    const first = openDesktop(env(), url, dir, t.rep1, { transport });
    await first.sync.syncNow();
    const { lead } = await first.core.call('leads.create', { lastName: 'Offline', email: 'offline@example.com' });
    await first.core.call('leads.update', { id: lead.id, patch: { title: 'Buyer' } });
    const { lead: second } = await first.core.call('leads.create', { lastName: 'Second', email: 'second@example.com' });
    const before = outboxBytes(first.core);
    await first.close();

    // The server moves on to a protocol this app does not speak.
    server = { protocolVersion: PROTOCOL_VERSION + 1, minProtocolVersion: PROTOCOL_VERSION + 1, schemaVersion: SCHEMA_VERSION };
    const old = openDesktop(env(), url, dir, t.rep1, { transport });
    await expect(old.sync.syncNow()).rejects.toThrow(/too old/);
    expect(old.sync.status()).toMatchObject({ phase: 'readOnly', pending: 3, readOnly: expect.stringMatching(/too old for the server: upgrade it to sync again\. Your offline changes are kept/) });
    await expect(old.core.call('leads.create', { lastName: 'Refused' })).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/upgrade/) });
    await expect(old.core.call('leads.update', { id: second.id, patch: { title: 'Refused' } })).rejects.toMatchObject({ code: 'READ_ONLY' });
    await old.close();
    // Still read-only when reopened, before any round has asked the server again: the mode is kept in the store.
    const reopened = openDesktop(env(), url, dir, t.rep1, { transport });
    expect(reopened.sync.status().readOnly).toMatch(/too old/);
    await expect(reopened.core.call('leads.create', { lastName: 'Refused again' })).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(reopened.sync.syncNow()).rejects.toThrow(/too old/);
    expect(reopened.sync.status().phase).toBe('readOnly');
    expect(outboxBytes(reopened.core)).toBe(before);
    await reopened.close();

    // The upgraded app on the same store (here: an app the server serves again) pushes the kept outbox.
    server = THIS_VERSION;
    const upgraded = openDesktop(env(), url, dir, t.rep1, { transport });
    try {
      expect(await upgraded.sync.syncNow()).toMatchObject({ phase: 'idle', pending: 0, readOnly: null, refusals: [] });
      const view = await serverSnapshot(env(), t.rep1);
      expect(view['leads']![lead.id]).toMatchObject({ lastName: 'Offline', title: 'Buyer' });
      expect(view['leads']![second.id]).toMatchObject({ lastName: 'Second' });
      expect(Object.keys(view['leads']!).filter((id) => /Refused/.test(String(view['leads']![id]!['lastName'])))).toEqual([]);
      await expect(upgraded.core.call('leads.create', { lastName: 'Writable again' })).resolves.toBeDefined();
    } finally {
      await upgraded.close();
    }
  });

  it('a desktop whose mutations are older than the server’s window sees them refused and rolled back, and syncs on', async () => {
    const t = await syncTenant(env(), 9604, 'versions-refused');
    const url = await serverUrl(env());
    const desktop = openDesktop(env(), url, tempDir(), t.rep1);
    try {
      await desktop.sync.syncNow();
      const { lead } = await desktop.core.call('leads.create', { lastName: 'Too old', email: 'too-old@example.com' });
      // The server no longer reads what this app records (a later server's window, starting after this protocol).
      const restore = setMutationPolicy({ window: { oldest: PROTOCOL_VERSION + 1, current: PROTOCOL_VERSION + 1 }, upgrades: {} });
      try {
        const status = await desktop.sync.syncNow();
        expect(status).toMatchObject({ phase: 'idle', pending: 0 });
        expect(status.refusals).toEqual([expect.objectContaining({ mutationId: 1, name: 'leads.create', error: expect.objectContaining({ message: expect.stringMatching(/too old/) }) })]);
      } finally {
        restore();
      }
      expect(replicaSnapshot(desktop.core)['leads']![lead.id]).toBeUndefined();
      // Not wedged: the next write goes through.
      const { lead: next } = await desktop.core.call('leads.create', { lastName: 'Next', email: 'next@example.com' });
      expect(await desktop.sync.syncNow()).toMatchObject({ pending: 0 });
      expect((await serverSnapshot(env(), t.rep1))['leads']![next.id]).toMatchObject({ lastName: 'Next' });
    } finally {
      await desktop.close();
    }
  });
});
