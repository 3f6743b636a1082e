// The end-to-end scenario: two reps and a manager; one rep works offline for a "day" (hundreds of changes, some
// conflicting with the manager's), then reconnects. The outcome is asserted record by record.
import { expect, it } from 'vitest';
import { forEachDatabase } from '../../helpers/server-db';
import { useTempDirs } from '../client/temp-dir';
import { syncTenant } from './sync-fixtures';
import { openDesktop, replicaSnapshot, serverSnapshot, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();
const NEW_LEADS = 250;
const ACTIVITIES = 150;

forEachDatabase('a day offline', (env) => {
  it('reconciles a day of offline work with the team’s: nothing lost, nothing twice, conflicts recorded', async () => {
    const t = await syncTenant(env(), 9601, 'offline-day', { leads: 60, deals: 24 });
    const url = await serverUrl(env());
    const rep1 = openDesktop(env(), url, tempDir(), t.rep1);
    const rep2 = openDesktop(env(), url, tempDir(), t.rep2);
    const manager = openDesktop(env(), url, tempDir(), t.manager);
    try {
      for (const d of [rep1, rep2, manager]) await d.sync.syncNow();
      rep1.sync.pause();

      // Rep 1's day offline: new leads, edits of each, calls logged, and edits of the open deals.
      const created: string[] = [];
      for (let i = 0; i < NEW_LEADS; i++) created.push((await rep1.core.call('leads.create', { lastName: `Day${i}`, email: `day${i}@example.com` })).lead.id);
      for (const [i, id] of created.entries()) await rep1.core.call('leads.update', { id, patch: { title: `Title ${i}` } });
      for (let i = 0; i < ACTIVITIES; i++) await rep1.core.call('activities.log', { entityType: 'lead', entityId: created[i]!, kind: 'call', subject: `Call ${i}` });
      const deals = t.seeded.dataset.deals.filter((d) => d.ownerId === t.rep1.userId && d.status === 'open');
      for (const d of deals) await rep1.core.call('deals.update', { id: d.id, patch: { nextStep: `Rep step ${d.id}`, amountMinor: 11_111_00 } });
      expect(rep1.sync.status().pending).toBe(NEW_LEADS * 2 + ACTIVITIES + deals.length);

      // Meanwhile, online: the manager renames and re-prices the same deals; rep 2 works on their own leads.
      for (const d of deals) await manager.core.call('deals.update', { id: d.id, patch: { name: `Mgr ${d.id}`, amountMinor: 22_222_00 } });
      const rep2Leads = [];
      for (let i = 0; i < 20; i++) rep2Leads.push((await rep2.core.call('leads.create', { lastName: `Rep2-${i}` })).lead.id);
      await manager.sync.syncNow();
      await rep2.sync.syncNow();

      rep1.sync.resume();
      await rep1.sync.syncNow();
      for (const d of [manager, rep2, rep1]) await d.sync.syncNow();
      expect(rep1.sync.status()).toMatchObject({ phase: 'idle', pending: 0 });

      const server = await serverSnapshot(env(), t.admin);
      for (const [i, id] of created.entries()) expect(server['leads']![id], `lead ${i}`).toMatchObject({ lastName: `Day${i}`, title: `Title ${i}`, ownerId: t.rep1.userId });
      const creates = Object.values(server['audit_log']!).filter((a) => a['action'] === 'create' && created.includes(String(a['entityId'])));
      expect(creates).toHaveLength(NEW_LEADS);
      const calls = Object.values(server['activities']!).filter((a) => created.includes(String(a['entityId'])));
      expect(calls.map((a) => a['subject']).sort()).toEqual(Array.from({ length: ACTIVITIES }, (_, i) => `Call ${i}`).sort());
      for (const d of deals) {
        // Disjoint fields both landed; the amount both changed stays the server's (the manager's), in conflict.
        expect(server['deals']![d.id]).toMatchObject({ name: `Mgr ${d.id}`, nextStep: `Rep step ${d.id}`, amountMinor: 22_222_00 });
        const conflict = Object.values(server['conflicts']!).filter((c) => c['entityId'] === d.id);
        expect(conflict).toEqual([expect.objectContaining({ field: 'amountMinor', serverValue: 22_222_00, clientValue: 11_111_00, clientUserId: t.rep1.userId, serverUserId: t.manager.userId, status: 'open' })]);
      }
      // Each replica holds exactly its user's view: the manager sees the team's new leads and the conflicts; rep 2 none of rep 1's.
      for (const [d, user] of [[rep1, t.rep1], [rep2, t.rep2], [manager, t.manager]] as const) expect(replicaSnapshot(d.core)).toEqual(await serverSnapshot(env(), user));
      expect(Object.keys(replicaSnapshot(rep2.core)['leads']!).filter((id) => created.includes(id))).toEqual([]);
      expect(Object.values(replicaSnapshot(manager.core)['conflicts']!)).toHaveLength(deals.length);
    } finally {
      for (const d of [rep1, rep2, manager]) await d.close();
    }
  }, 240_000);
});
