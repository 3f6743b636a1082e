// Desktop cores on real SQLite files syncing with the real server over loopback HTTP, on PGlite and PostgreSQL.
import { expect, it } from 'vitest';
import { forEachDatabase } from '../../helpers/server-db';
import { useTempDirs } from '../client/temp-dir';
import { mutation, push, syncTenant } from './sync-fixtures';
import { eventually, openDesktop, replicaSnapshot, serverSnapshot, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();

forEachDatabase('desktop sync', (env) => {
  it('first sync fills an empty replica with exactly the user’s view; a local write reaches the server once', async () => {
    const t = await syncTenant(env(), 9301, 'desk-first');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1, { pageLimit: 25, chunkRows: 10 });
    try {
      const status = await rep1.sync.syncNow();
      expect(status).toMatchObject({ phase: 'idle', pending: 0, progress: null });
      expect(replicaSnapshot(rep1.core)).toEqual(await serverSnapshot(env(), t.rep1));
      const { lead } = await rep1.core.call('leads.create', { lastName: 'Offline', email: 'offline@example.com' });
      expect(rep1.sync.status().pending).toBe(1);
      await rep1.sync.syncNow();
      expect(rep1.sync.status().pending).toBe(0);
      const server = await serverSnapshot(env(), t.rep1);
      expect(server['leads']![lead.id]).toMatchObject({ lastName: 'Offline', ownerId: t.rep1.userId });
      expect(replicaSnapshot(rep1.core)).toEqual(server);
    } finally {
      await rep1.close();
    }
  });

  it('loses nothing when the desktop closes after a local write and before any push', async () => {
    const t = await syncTenant(env(), 9302, 'desk-kill');
    const url = await serverUrl(env());
    const dir = tempDir();
    const first = openDesktop(env(), url, dir, t.rep1);
    await first.sync.syncNow();
    const { lead: created } = await first.core.call('leads.create', { lastName: 'Unpushed', email: 'unpushed@example.com' });
    await first.close();
    const reopened = openDesktop(env(), url, dir, t.rep1);
    try {
      expect(reopened.sync.status().pending).toBe(1);
      await reopened.sync.syncNow();
      // Pushed again after a lost response: still one lead, one creation.
      await reopened.sync.syncNow();
      const server = await serverSnapshot(env(), t.rep1);
      expect(server['leads']![created.id]).toMatchObject({ lastName: 'Unpushed' });
      expect(Object.values(server['audit_log']!).filter((a) => a['entityId'] === created.id && a['action'] === 'create')).toHaveLength(1);
      expect(replicaSnapshot(reopened.core)).toEqual(server);
    } finally {
      await reopened.close();
    }
  });

  it('rolls back a refused mutation’s optimistic effect and tells the user why', async () => {
    const t = await syncTenant(env(), 9303, 'desk-refuse');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1);
    try {
      await rep1.sync.syncNow();
      const lead = t.seeded.dataset.leads.find((l) => l.ownerId === t.rep1.userId && l.status === 'NEW' && l.email !== null)!;
      // Offline, the rep qualifies the lead (it has an email locally) …
      await rep1.core.call('leads.qualify', { id: lead.id });
      expect((await rep1.core.call('leads.get', { id: lead.id })).status).toBe('QUALIFIED');
      // … while on the server the admin clears the email the tenant requires for qualification.
      await push(env().app, t.admin, [mutation(t.admin, 1, 'leads.update', { id: lead.id, patch: { email: '' } })]);
      const refused: string[] = [];
      rep1.sync.on('refused', (r) => refused.push(r.error.code));
      const status = await rep1.sync.syncNow();
      expect(refused).toEqual(['QUALIFICATION_FAILED']);
      expect(status.refusals.map((r) => r.name)).toEqual(['leads.qualify']);
      const after = await rep1.core.call('leads.get', { id: lead.id });
      expect(after).toMatchObject({ status: 'NEW', email: null });
      const notes = await rep1.core.call('notifications.list', { unreadOnly: true });
      expect(notes.items.map((n) => n.kind)).toContain('mutation.refused');
      expect(replicaSnapshot(rep1.core)).toEqual(await serverSnapshot(env(), t.rep1));
    } finally {
      await rep1.close();
    }
  });

  it('drops a lead reassigned away from the replica, with its activities, and brings both to the new owner', async () => {
    const t = await syncTenant(env(), 9304, 'desk-exit');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1);
    const rep2 = openDesktop(env(), url, tempDir(), t.rep2);
    try {
      await rep1.sync.syncNow();
      await rep2.sync.syncNow();
      const lead = t.seeded.dataset.leads.find((l) => l.ownerId === t.rep1.userId && !l.archived && t.seeded.dataset.activities.some((a) => a.entityId === l.id))!;
      const activityIds = t.seeded.dataset.activities.filter((a) => a.entityId === lead.id).map((a) => a.id);
      expect(replicaSnapshot(rep1.core)['activities']![activityIds[0]!]).toBeDefined();
      await push(env().app, t.admin, [mutation(t.admin, 1, 'leads.assign', { ids: [lead.id], ownerId: t.rep2.userId })]);
      await rep1.sync.syncNow();
      await rep2.sync.syncNow();
      const one = replicaSnapshot(rep1.core);
      const two = replicaSnapshot(rep2.core);
      expect(one['leads']![lead.id]).toBeUndefined();
      expect(activityIds.filter((id) => one['activities']![id])).toEqual([]);
      expect(two['leads']![lead.id]).toMatchObject({ ownerId: t.rep2.userId });
      expect(activityIds.filter((id) => !two['activities']![id])).toEqual([]);
      expect(one).toEqual(await serverSnapshot(env(), t.rep1));
      expect(two).toEqual(await serverSnapshot(env(), t.rep2));
    } finally {
      await rep1.close();
      await rep2.close();
    }
  });

  it('lands offline edits of different fields from two desktops, and makes a conflict of the same high-risk field', async () => {
    const t = await syncTenant(env(), 9305, 'desk-merge');
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1);
    const manager = openDesktop(env(), url, tempDir(), t.manager);
    try {
      await rep1.sync.syncNow();
      await manager.sync.syncNow();
      const deal = t.seeded.dataset.deals.find((d) => d.ownerId === t.rep1.userId && d.status === 'open')!;
      // Both offline: different fields of one deal, and the same high-risk field (the amount).
      await rep1.core.call('deals.update', { id: deal.id, patch: { name: 'Rep renamed', amountMinor: 111_00 } });
      await manager.core.call('deals.update', { id: deal.id, patch: { nextStep: 'Manager next step', amountMinor: 222_00 } });
      await manager.sync.syncNow();
      await rep1.sync.syncNow();
      await manager.sync.syncNow();
      for (const d of [rep1, manager]) {
        const row = replicaSnapshot(d.core)['deals']![deal.id];
        expect(row).toMatchObject({ name: 'Rep renamed', nextStep: 'Manager next step', amountMinor: 222_00 });
        const open = await d.core.call('conflicts.list', {});
        expect(open.items).toEqual([expect.objectContaining({ entityId: deal.id, field: 'amountMinor', serverValue: 222_00, clientValue: 111_00, clientUserId: t.rep1.userId, serverUserId: t.manager.userId })]);
      }
      // The rep keeps their amount: it applies through the usual rules and the conflict closes everywhere.
      const conflict = (await rep1.core.call('conflicts.list', {})).items[0]!;
      await rep1.core.call('conflicts.resolve', { id: conflict.id, keep: 'client' });
      await rep1.sync.syncNow();
      await manager.sync.syncNow();
      for (const d of [rep1, manager]) {
        expect(replicaSnapshot(d.core)['deals']![deal.id]).toMatchObject({ amountMinor: 111_00 });
        expect((await d.core.call('conflicts.list', {})).items).toEqual([]);
      }
      expect(replicaSnapshot(rep1.core)).toEqual(await serverSnapshot(env(), t.rep1));
      expect(replicaSnapshot(manager.core)).toEqual(await serverSnapshot(env(), t.manager));
    } finally {
      await rep1.close();
      await manager.close();
    }
  });

  it('shows a change made on one desktop on another connected one without asking (poke over the WebSocket)', async () => {
    const t = await syncTenant(env(), 9306, 'desk-poke');
    const url = await serverUrl(env());
    const admin = openDesktop(env(), url, tempDir(), t.admin, { live: true, syncOnWrite: true });
    const manager = openDesktop(env(), url, tempDir(), t.manager, { live: true, syncOnWrite: true });
    try {
      await eventually('both desktops are live and synced', () => [admin, manager].every((d) => d.sync.status().live && d.sync.status().lastSyncAt !== null));
      const { lead } = await admin.core.call('leads.create', { lastName: 'Live', email: 'live@example.com', ownerId: t.manager.userId });
      await eventually('the manager’s replica holds the new lead', () => replicaSnapshot(manager.core)['leads']![lead.id] !== undefined);
    } finally {
      await admin.close();
      await manager.close();
    }
  });
});
