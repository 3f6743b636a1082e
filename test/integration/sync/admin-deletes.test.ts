// Admin deletes reach desktops: a pipeline, stage, rule, reason, team, delegation, policy or sequence the admin API
// deletes leaves every replica at its next pull (and a live desktop without asking), on PGlite and PostgreSQL.
import { expect, it } from 'vitest';
import { API_PREFIX } from '../../../src-server/app/server-areas';
import { HOUR_MS } from '../../../src-shared/domain/common.schema';
import { forEachDatabase } from '../../helpers/server-db';
import type { TestEnv } from '../../helpers/server-db';
import { request } from '../server/api-client';
import type { ApiResponse } from '../server/api-client';
import { useTempDirs } from '../client/temp-dir';
import { syncTenant } from './sync-fixtures';
import type { SyncUser } from './sync-fixtures';
import { eventually, openDesktop, replicaSnapshot, serverSnapshot, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();

/** The admin API as `user`, failing loudly on any status other than the one expected. */
function adminApi(env: TestEnv, user: SyncUser) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, status: number): Promise<ApiResponse> => {
    const res = await request(env.app, method, `${API_PREFIX}/admin${path}`, { token: user.token, ...(body === undefined ? {} : { body }) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res;
  };
  return {
    create: async (path: string, body: unknown) => (await call('POST', path, body, 201)).body,
    get: async (path: string) => (await call('GET', path, undefined, 200)).body,
    remove: async (path: string) => {
      await call('DELETE', path, undefined, 204);
    },
  };
}

const level = (minAmountMinor: number) => ({ minAmountMinor, approver: { kind: 'managerOfOwner' }, deadlineHours: 24, escalationTarget: null, timeoutAction: 'notify' });

forEachDatabase('admin deletes in sync', (env) => {
  it('drops every kind of configuration row the admin API deletes from a replica at its next pull, cascades included', async () => {
    const t = await syncTenant(env(), 9701, 'admin-deletes');
    const admin = adminApi(env(), t.admin);
    const now = env().clock.now();
    const pipeline = await admin.create('/pipelines', {
      name: 'Partners', stages: [{ name: 'New', probability: 10 }, { name: 'Talking', probability: 40 }, { name: 'Won', probability: 100, kind: 'won' }, { name: 'Lost', probability: 0, kind: 'lost' }],
    });
    const [newStage, talking] = pipeline.stages as { id: string }[];
    const rule = await admin.create(`/pipelines/${pipeline.id}/transition-rules`, { fromStageId: newStage!.id, toStageId: talking!.id, effect: 'allow', expectedConfigVersion: 1 });
    const extra = await admin.create(`/pipelines/${pipeline.id}/stages`, { name: 'Pilot', probability: 60, expectedConfigVersion: 2 });
    const reason = await admin.create('/win-loss-reasons', { kind: 'lost', label: 'Went quiet' });
    const team = await admin.create('/teams', { name: 'North', managerId: null });
    const delegation = await admin.create('/delegations', { fromUserId: t.manager.userId, toUserId: t.admin.userId, startsAt: now, endsAt: now + 24 * HOUR_MS });
    const distribution = await admin.create('/distribution-rules', { name: 'Everyone', method: 'roundRobin', memberIds: [t.rep1.userId, t.rep2.userId] });
    const sequence = await admin.create('/nurture-sequences', { name: 'Welcome', enrollStatuses: ['NEW'], steps: [{ kind: 'task', waitHours: 1, subject: 'Call', body: null }] });
    const policy = await admin.create('/approval-policies', { name: 'Unused', levels: [level(1_000_00)] });

    const manager = openDesktop(env(), await serverUrl(env()), tempDir(), t.manager);
    try {
      await manager.sync.syncNow();
      const held = (table: string, id: string) => replicaSnapshot(manager.core)[table]![id] !== undefined;
      const created: [string, string][] = [
        ['pipelines', pipeline.id], ['stages', newStage!.id], ['stages', talking!.id], ['stages', extra.id], ['stage_transition_rules', rule.id],
        ['win_loss_reasons', reason.id], ['teams', team.id], ['delegations', delegation.id], ['distribution_rules', distribution.id],
        ['nurture_sequences', sequence.id], ['approval_policies', policy.id],
      ];
      for (const [table, id] of created) expect(held(table, id), `${table} ${id} replicated`).toBe(true);

      // The stage alone first (the pipeline's config version moves on with it), then everything else.
      await admin.remove(`/stages/${extra.id}`);
      await manager.sync.syncNow();
      expect(held('stages', extra.id)).toBe(false);
      expect(held('stages', talking!.id)).toBe(true);

      await admin.remove(`/win-loss-reasons/${reason.id}`);
      await admin.remove(`/teams/${team.id}`);
      await admin.remove(`/delegations/${delegation.id}`);
      await admin.remove(`/distribution-rules/${distribution.id}`);
      await admin.remove(`/nurture-sequences/${sequence.id}`);
      await admin.remove(`/approval-policies/${policy.id}`);
      // Its stages and transition rules go with it.
      await admin.remove(`/pipelines/${pipeline.id}`);
      await manager.sync.syncNow();
      for (const [table, id] of created) expect(held(table, id), `${table} ${id} deleted`).toBe(false);
      expect(replicaSnapshot(manager.core)).toEqual(await serverSnapshot(env(), t.manager));
    } finally {
      await manager.close();
    }
  });

  it('deletes the row from a live desktop without a sync being asked for (the delete pokes)', async () => {
    const t = await syncTenant(env(), 9702, 'admin-deletes-live');
    const admin = adminApi(env(), t.admin);
    const reason = await admin.create('/win-loss-reasons', { kind: 'won', label: 'Best price' });
    const rep = openDesktop(env(), await serverUrl(env()), tempDir(), t.rep1, { live: true });
    try {
      await eventually('the rep is live with the reason', () => rep.sync.status().live && replicaSnapshot(rep.core)['win_loss_reasons']![reason.id] !== undefined);
      await admin.remove(`/win-loss-reasons/${reason.id}`);
      await eventually('the reason is gone from the rep’s replica', () => replicaSnapshot(rep.core)['win_loss_reasons']![reason.id] === undefined, 5_000);
      await eventually('the rep is idle', () => rep.sync.status().phase === 'idle');
      expect(replicaSnapshot(rep.core)).toEqual(await serverSnapshot(env(), t.rep1));
    } finally {
      await rep.close();
    }
  });
});
