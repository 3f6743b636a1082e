// Desktop sync through the hard cases: read-only on a version mismatch, an interrupted first sync, pausing, token
// expiry, an offline move into a gated stage, and an offline edit of a record deleted on the server.
import { expect, it } from 'vitest';
import { HOUR_MS } from '../../../src-shared/domain/common.schema';
import type { PullRequest, PullResponse } from '../../../src-shared/sync/sync-protocol';
import { NetworkError, createHttpTransport } from '../../../src-main/sync/sync-transport';
import type { SyncTransport } from '../../../src-main/sync/sync-transport';
import { createTokenSession } from '../../../src-main/sync/token-session';
import type { TestEnv } from '../../helpers/server-db';
import { forEachDatabase } from '../../helpers/server-db';
import { useTempDirs } from '../client/temp-dir';
import { mutation, push, signedIn, syncTenant } from './sync-fixtures';
import type { SyncUser } from './sync-fixtures';
import { eventually, openDesktop, replicaSnapshot, serverSnapshot, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();

/** The real HTTP transport with hooks to tamper with what goes through it. */
function tapped(env: TestEnv, url: string, user: SyncUser, hooks: { info?: SyncTransport['info']; pull?: (req: PullRequest, real: SyncTransport['pull']) => Promise<PullResponse> }): SyncTransport {
  const real = createHttpTransport({ baseUrl: url, auth: createTokenSession({ baseUrl: url, session: user.session, clock: () => env.clock.now() }) });
  return {
    info: hooks.info ?? (() => real.info()),
    push: (req) => real.push(req),
    pull: (req) => (hooks.pull ? hooks.pull(req, (r) => real.pull(r)) : real.pull(req)),
  };
}

forEachDatabase('desktop sync, hard cases', (env) => {
  it('goes read-only when the server cannot serve its versions, keeps the outbox, and resumes after the upgrade', async () => {
    const t = await syncTenant(env(), 9401, 'desk-readonly');
    const url = await serverUrl(env());
    let serverSchema = 1;
    const transport = tapped(env(), url, t.rep1, { info: async () => ({ protocolVersion: 1, minProtocolVersion: 1, schemaVersion: serverSchema }) });
    const dir = tempDir();
    const first = openDesktop(env(), url, dir, t.rep1, { transport });
    await first.sync.syncNow();
    const { lead } = await first.core.call('leads.create', { lastName: 'Before upgrade', email: 'before@example.com' });
    await first.close();
    // The server moves to a new schema; this desktop cannot follow yet.
    serverSchema = 2;
    const old = openDesktop(env(), url, dir, t.rep1, { transport });
    await expect(old.sync.syncNow()).rejects.toThrow(/too old/);
    expect(old.sync.status()).toMatchObject({ phase: 'readOnly', pending: 1, readOnly: expect.stringMatching(/upgrade/) });
    await expect(old.core.call('leads.create', { lastName: 'Refused' })).rejects.toMatchObject({ code: 'READ_ONLY' });
    await old.close();
    // After the upgrade (here: the server is back to a version it serves) the kept outbox goes through.
    serverSchema = 1;
    const upgraded = openDesktop(env(), url, dir, t.rep1, { transport });
    try {
      const status = await upgraded.sync.syncNow();
      expect(status).toMatchObject({ phase: 'idle', pending: 0, readOnly: null });
      expect((await serverSnapshot(env(), t.rep1))['leads']![lead.id]).toMatchObject({ lastName: 'Before upgrade' });
    } finally {
      await upgraded.close();
    }
  });

  it('resumes an interrupted first sync where it stopped and ends with exactly the user’s view', async () => {
    const t = await syncTenant(env(), 9402, 'desk-resume', { leads: 80, deals: 30 });
    const url = await serverUrl(env());
    const dir = tempDir();
    let broken = false;
    let pages = 0;
    let failAfter = 3;
    const answered: PullResponse['position'][] = [];
    const requested: (PullRequest['position'] | undefined)[] = [];
    const flaky = tapped(env(), url, t.admin, {
      pull: async (req, real) => {
        requested.push(req.position);
        // The connection drops after the third page and stays down until the desktop is reopened.
        if (broken || ++pages > failAfter) {
          broken = true;
          throw new NetworkError('connection reset');
        }
        const page = await real(req);
        answered.push(page.position);
        return page;
      },
    });
    const first = openDesktop(env(), url, dir, t.admin, { transport: flaky, pageLimit: 20, chunkRows: 7 });
    await eventually('the first sync stopped offline', () => first.sync.status().phase === 'offline');
    expect(first.sync.status().lastSyncAt).toBeNull();
    await first.close();
    broken = false;
    failAfter = Infinity;
    requested.length = 0;
    const again = openDesktop(env(), url, dir, t.admin, { transport: flaky, pageLimit: 20, chunkRows: 7 });
    try {
      await again.sync.syncNow();
      // It went on from the last page it had applied rather than starting over.
      expect(requested[0]).toEqual(answered[2]);
      expect(replicaSnapshot(again.core)).toEqual(await serverSnapshot(env(), t.admin));
    } finally {
      await again.close();
    }
  });

  it('holds writes in the outbox while paused ("work offline") and sends them on resume', async () => {
    const t = await syncTenant(env(), 9403, 'desk-pause');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1, { syncOnWrite: true });
    try {
      await rep1.sync.syncNow();
      rep1.sync.pause();
      const { lead } = await rep1.core.call('leads.create', { lastName: 'Paused', email: 'paused@example.com' });
      await new Promise((r) => setImmediate(r));
      expect(rep1.sync.status()).toMatchObject({ phase: 'paused', pending: 1 });
      await expect(rep1.sync.syncNow()).rejects.toThrow(/paused/);
      expect((await serverSnapshot(env(), t.rep1))['leads']![lead.id]).toBeUndefined();
      rep1.sync.resume();
      await rep1.sync.syncNow();
      expect(rep1.sync.status()).toMatchObject({ phase: 'idle', pending: 0 });
      expect((await serverSnapshot(env(), t.rep1))['leads']![lead.id]).toBeDefined();
    } finally {
      await rep1.close();
    }
  });

  it('refreshes an expired access token without losing the outbox', async () => {
    const t = await syncTenant(env(), 9404, 'desk-token');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1);
    try {
      await rep1.sync.syncNow();
      const { lead } = await rep1.core.call('leads.create', { lastName: 'Later', email: 'later@example.com' });
      env().clock.advance(2 * HOUR_MS);
      await rep1.sync.syncNow();
      expect(rep1.sync.status().pending).toBe(0);
      const fresh = await signedIn(env().app, 'rep1@demo.test', t.slug);
      expect((await serverSnapshot(env(), fresh))['leads']![lead.id]).toBeDefined();
    } finally {
      env().clock.advance(-2 * HOUR_MS);
      await rep1.close();
    }
  });

  it('turns an offline move into a gated stage into an approval request the manager sees', async () => {
    const t = await syncTenant(env(), 9405, 'desk-gate');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1);
    const manager = openDesktop(env(), url, tempDir(), t.manager);
    try {
      await rep1.sync.syncNow();
      const gated = t.seeded.dataset.stages.find((s) => s.approvalPolicyId !== null)!;
      const deal = await rep1.core.call('deals.create', { name: 'Gate test', pipelineId: gated.pipelineId });
      await rep1.sync.syncNow();
      const contactId = t.seeded.dataset.contacts[0]!.id;
      const moved = await rep1.core.call('deals.move', { id: deal.id, toStageId: gated.id, patch: { amountMinor: 20_000_00, expectedCloseDate: '2026-03-31', contactId } });
      expect(moved.kind).toBe('approvalRequired');
      await rep1.sync.syncNow();
      await manager.sync.syncNow();
      const inbox = replicaSnapshot(manager.core)['approval_requests']!;
      const request = Object.values(inbox).find((r) => r['dealId'] === deal.id && r['status'] === 'pending');
      expect(request).toMatchObject({ approverId: t.manager.userId, requestedBy: t.rep1.userId });
      expect(replicaSnapshot(rep1.core)['deals']![deal.id]).toMatchObject({ stageId: deal.stageId, amountMinor: 20_000_00 });
    } finally {
      await rep1.close();
      await manager.close();
    }
  });

  it('lets a server delete win over an offline edit, with a conflict record the editor sees', async () => {
    const t = await syncTenant(env(), 9406, 'desk-deleted');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1);
    try {
      await rep1.sync.syncNow();
      const [winner, loser] = t.seeded.dataset.leads.filter((l) => l.ownerId === t.rep1.userId && !l.archived && l.status !== 'CONVERTED');
      await rep1.core.call('leads.update', { id: loser!.id, patch: { title: 'Edited offline' } });
      await push(env().app, t.admin, [mutation(t.admin, 1, 'leads.merge', { winnerId: winner!.id, loserId: loser!.id })]);
      const refused: string[] = [];
      rep1.sync.on('refused', (r) => refused.push(r.error.code));
      await rep1.sync.syncNow();
      expect(refused).toEqual(['NOT_FOUND']);
      const replica = replicaSnapshot(rep1.core);
      expect(replica['leads']![loser!.id]).toBeUndefined();
      expect(Object.values(replica['conflicts']!)).toEqual([expect.objectContaining({ kind: 'deleted', entityId: loser!.id, clientUserId: t.rep1.userId, status: 'open' })]);
      expect(replica).toEqual(await serverSnapshot(env(), t.rep1));
    } finally {
      await rep1.close();
    }
  });
});

