// Approvals through sync on PGlite and PostgreSQL: an offline change of a bound field voids the approval and routes a
// new request by the new amount; a manager's offline decision applies, or is refused and explained when the request
// was voided, decided or escalated meanwhile; a delegation routes requests to the delegate during its window. Whoever a
// request is routed to (a delegate or an escalation target of another team) gets its deal on their desktop for as long
// as the request is theirs.
import { expect, it } from 'vitest';
import type { MutationResult } from '../../../src-shared/sync/sync-protocol';
import { API_PREFIX } from '../../../src-server/app/server-areas';
import { escalateApproval } from '../../../src-server/jobs/escalation.jobs';
import { HOUR_MS } from '../../../src-shared/domain/common.schema';
import type { SyncedClient } from '../../../src-main/sync/synced-client';
import { forEachDatabase } from '../../helpers/server-db';
import type { TestEnv } from '../../helpers/server-db';
import { as } from '../server/api-client';
import { useTempDirs } from '../client/temp-dir';
import type { ApprovalLevel } from '../../../src-shared/domain/approvals.schema';
import { jobContext } from '../jobs/jobs-fixtures';
import { signedIn, syncTenant } from './sync-fixtures';
import type { SyncTenant } from './sync-fixtures';
import { openDesktop, replicaSnapshot, serverSnapshot, serverUrl } from './desktop-fixtures';

const tempDir = useTempDirs();
type Row = Record<string, unknown>;

/** The demo tenant's gated stage (Negotiation: approvals from 10,000.00, a second level from 50,000.00). */
const gatedStage = (t: SyncTenant) => t.seeded.dataset.stages.find((s) => s.approvalPolicyId !== null)!;

/** A deal of the rep's, created and synced, then moved into the gated stage (offline) and synced: returns its request. */
async function requestApproval(t: SyncTenant, rep: SyncedClient, name: string, amountMinor: number): Promise<{ dealId: string; requestId: string }> {
  const gated = gatedStage(t);
  const deal = await rep.core.call('deals.create', { name, pipelineId: gated.pipelineId });
  const moved = await rep.core.call('deals.move', { id: deal.id, toStageId: gated.id, patch: { amountMinor, expectedCloseDate: '2026-03-31', contactId: t.seeded.dataset.contacts[0]!.id } });
  if (moved.kind !== 'approvalRequired') throw new Error(`expected the move to need approval, got ${moved.kind}`);
  await rep.sync.syncNow();
  return { dealId: deal.id, requestId: moved.request.id };
}

async function server(env: TestEnv, t: SyncTenant): Promise<Record<string, Record<string, Row>>> {
  return serverSnapshot(env, t.admin);
}

const requestsOf = (snapshot: Record<string, Record<string, Row>>, dealId: string) =>
  Object.values(snapshot['approval_requests']!).filter((r) => r['dealId'] === dealId).sort((a, b) => Number(a['createdAt']) - Number(b['createdAt']) || String(a['id']).localeCompare(String(b['id'])));

function refusals(client: SyncedClient): MutationResult[] {
  const seen: MutationResult[] = [];
  client.sync.on('refused', (r) => seen.push(r));
  return seen;
}

forEachDatabase('approvals through sync', (env) => {
  const desktops = async (t: SyncTenant, ...users: (keyof Pick<SyncTenant, 'admin' | 'manager' | 'rep1' | 'rep2'>)[]) => {
    const url = await serverUrl(env());
    const opened = users.map((u) => openDesktop(env(), url, tempDir(), t[u]));
    for (const d of opened) await d.sync.syncNow();
    return opened;
  };

  it('voids a granted approval when the rep changes the amount offline, and routes a new request at the levels of the new amount', async () => {
    const t = await syncTenant(env(), 9951, 'appr-void');
    const [rep, manager] = await desktops(t, 'rep1', 'manager');
    try {
      const { dealId, requestId } = await requestApproval(t, rep!, 'Void me', 20_000_00);
      await manager!.sync.syncNow();
      expect((await manager!.core.call('approvals.inbox', {})).map((i) => i.request.id)).toEqual([requestId]);
      await manager!.core.call('approvals.decide', { requestId, decision: 'approve' });
      await manager!.sync.syncNow();
      let s = await server(env(), t);
      expect(s['approval_requests']![requestId]).toMatchObject({ status: 'approved', levelIndexes: [0] });
      expect(s['deals']![dealId]).toMatchObject({ stageId: gatedStage(t).id, amountMinor: 20_000_00 });

      // Offline: the rep raises the amount past the second level's threshold.
      await rep!.sync.syncNow();
      await rep!.core.call('deals.update', { id: dealId, patch: { amountMinor: 60_000_00 } });
      await rep!.sync.syncNow();

      s = await server(env(), t);
      const [voided, fresh] = requestsOf(s, dealId);
      expect(voided).toMatchObject({ id: requestId, status: 'voided' });
      expect(fresh).toMatchObject({ status: 'pending', levelIndexes: [0, 1], currentStep: 0, approverId: t.manager.userId, binding: { amountMinor: 60_000_00, targetStageId: gatedStage(t).id } });
      expect(Object.values(s['approval_events']!).filter((e) => e['requestId'] === requestId).map((e) => e['kind'])).toEqual(['requested', 'approved', 'voided']);
      expect(replicaSnapshot(rep!.core)).toEqual(await serverSnapshot(env(), t.rep1));

      // The manager's level passes it on to the admin's: the new amount needs both.
      await manager!.sync.syncNow();
      expect((await manager!.core.call('approvals.inbox', {})).map((i) => i.request.id)).toEqual([fresh!['id']]);
      await manager!.core.call('approvals.decide', { requestId: String(fresh!['id']), decision: 'approve' });
      await manager!.sync.syncNow();
      expect((await server(env(), t))['approval_requests']![String(fresh!['id'])]).toMatchObject({ status: 'pending', currentStep: 1, approverId: t.admin.userId });
    } finally {
      for (const d of [rep, manager]) await d!.close();
    }
  });

  it('applies a manager’s offline approval when it syncs', async () => {
    const t = await syncTenant(env(), 9952, 'appr-offline');
    const [rep, manager] = await desktops(t, 'rep1', 'manager');
    try {
      const { dealId, requestId } = await requestApproval(t, rep!, 'Approve offline', 15_000_00);
      await manager!.sync.syncNow();
      // Offline from here until the sync: the decision and its effect are local first.
      const decided = await manager!.core.call('approvals.decide', { requestId, decision: 'approve', comment: 'Fine by me' });
      expect(decided.request.status).toBe('approved');
      expect(manager!.sync.status().pending).toBe(1);
      await manager!.sync.syncNow();
      const s = await server(env(), t);
      expect(s['approval_requests']![requestId]).toMatchObject({ status: 'approved' });
      expect(Object.values(s['approval_events']!).find((e) => e['requestId'] === requestId && e['kind'] === 'approved')).toMatchObject({ actorId: t.manager.userId, comment: 'Fine by me' });
      expect(s['deals']![dealId]).toMatchObject({ stageId: gatedStage(t).id });
      expect(replicaSnapshot(manager!.core)).toEqual(await serverSnapshot(env(), t.manager));
    } finally {
      for (const d of [rep, manager]) await d!.close();
    }
  });

  it('refuses a manager’s offline decision on a request voided meanwhile and tells the manager; the new request waits in their inbox', async () => {
    const t = await syncTenant(env(), 9953, 'appr-stale');
    const [rep, manager] = await desktops(t, 'rep1', 'manager');
    try {
      const { dealId, requestId } = await requestApproval(t, rep!, 'Changed meanwhile', 20_000_00);
      await manager!.sync.syncNow();
      await manager!.core.call('approvals.decide', { requestId, decision: 'approve' });
      // Before the manager reconnects, the rep changes the close date, which the request is bound to.
      await rep!.core.call('deals.update', { id: dealId, patch: { expectedCloseDate: '2026-06-30' } });
      await rep!.sync.syncNow();
      const refused = refusals(manager!);
      await manager!.sync.syncNow();

      expect(refused).toEqual([expect.objectContaining({ name: 'approvals.decide', error: expect.objectContaining({ code: 'INVALID_TRANSITION', message: expect.stringContaining('voided') }) })]);
      const s = await server(env(), t);
      const [voided, fresh] = requestsOf(s, dealId);
      expect(voided).toMatchObject({ id: requestId, status: 'voided' });
      expect(fresh).toMatchObject({ status: 'pending', approverId: t.manager.userId, binding: { expectedCloseDate: '2026-06-30' } });
      expect(s['deals']![dealId]!['stageId']).not.toBe(gatedStage(t).id);
      const replica = replicaSnapshot(manager!.core);
      expect(Object.values(replica['notifications']!).filter((n) => n['kind'] === 'mutation.refused' && n['userId'] === t.manager.userId)).toHaveLength(1);
      expect((await manager!.core.call('approvals.inbox', {})).map((i) => i.request.id)).toEqual([fresh!['id']]);
      expect(replica).toEqual(await serverSnapshot(env(), t.manager));
    } finally {
      for (const d of [rep, manager]) await d!.close();
    }
  });

  it('refuses a manager’s offline decision on a request escalated meanwhile, says to whom, and leaves it with the escalation target', async () => {
    const t = await syncTenant(env(), 9954, 'appr-escalated');
    const [rep, manager] = await desktops(t, 'rep1', 'manager');
    try {
      const { requestId } = await requestApproval(t, rep!, 'Escalated meanwhile', 20_000_00);
      await manager!.sync.syncNow();
      await manager!.core.call('approvals.decide', { requestId, decision: 'reject', comment: 'Too expensive' });
      // The level's 48-hour deadline passes while the manager is offline: the job reassigns it to the admin.
      env().clock.advance(49 * HOUR_MS);
      try {
        expect(await escalateApproval(jobContext(env()), requestId)).toMatchObject({ kind: 'escalated', approverId: t.admin.userId });
      } finally {
        env().clock.advance(-49 * HOUR_MS);
      }
      const refused = refusals(manager!);
      await manager!.sync.syncNow();

      const adminName = t.seeded.dataset.users.find((u) => u.id === t.admin.userId)!.name;
      expect(refused).toEqual([expect.objectContaining({ name: 'approvals.decide', error: expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining(`escalated to ${adminName}`) }) })]);
      const s = await server(env(), t);
      expect(s['approval_requests']![requestId]).toMatchObject({ status: 'pending', approverId: t.admin.userId });
      expect(Object.values(s['approval_events']!).filter((e) => e['requestId'] === requestId).map((e) => e['kind'])).toEqual(['requested', 'reassigned']);
      const replica = replicaSnapshot(manager!.core);
      const told = Object.values(replica['notifications']!).filter((n) => n['userId'] === t.manager.userId);
      expect(told).toEqual(expect.arrayContaining([
        expect.objectContaining({ kind: 'approval.escalated', entityId: requestId }),
        expect.objectContaining({ kind: 'mutation.refused', title: 'Not applied: approvals.decide', body: expect.stringContaining(`escalated to ${adminName}`) }),
      ]));
      expect(replica['approval_requests']![requestId]).toMatchObject({ status: 'pending', approverId: t.admin.userId });
      expect(await manager!.core.call('approvals.inbox', {})).toEqual([]);
      expect(replica).toEqual(await serverSnapshot(env(), t.manager));
    } finally {
      for (const d of [rep, manager]) await d!.close();
    }
  });

  it('routes requests to the delegate during a delegation made through the admin API, who decides them offline; after its window they go to the delegator again', async () => {
    const t = await syncTenant(env(), 9955, 'appr-delegate');
    const now = env().clock.now();
    const delegation = await as(env().app, t.admin.token).post(`${API_PREFIX}/admin/delegations`, { fromUserId: t.manager.userId, toUserId: t.admin.userId, startsAt: now - HOUR_MS, endsAt: now + 24 * HOUR_MS });
    expect(delegation.status).toBe(201);
    const [rep, manager, admin] = await desktops(t, 'rep1', 'manager', 'admin');
    try {
      const { dealId, requestId } = await requestApproval(t, rep!, 'While away', 20_000_00);
      await manager!.sync.syncNow();
      await admin!.sync.syncNow();
      expect(await manager!.core.call('approvals.inbox', {})).toEqual([]);
      const inbox = await admin!.core.call('approvals.inbox', {});
      expect(inbox).toEqual([expect.objectContaining({ request: expect.objectContaining({ id: requestId, approverId: t.admin.userId }), deal: expect.objectContaining({ id: dealId }) })]);
      const s0 = await server(env(), t);
      expect(Object.values(s0['approval_events']!).find((e) => e['requestId'] === requestId && e['kind'] === 'requested')).toMatchObject({ onBehalfOf: t.manager.userId });

      await admin!.core.call('approvals.decide', { requestId, decision: 'approve' });
      await admin!.sync.syncNow();
      expect((await server(env(), t))['approval_requests']![requestId]).toMatchObject({ status: 'approved' });
      expect((await server(env(), t))['deals']![dealId]).toMatchObject({ stageId: gatedStage(t).id });

      // After the window, a new request goes to the manager again.
      env().clock.advance(25 * HOUR_MS);
      try {
        const later = await requestApproval(t, rep!, 'After the window', 12_000_00);
        const admin2 = await signedIn(env().app, 'admin@demo.test', t.slug);
        expect((await serverSnapshot(env(), admin2))['approval_requests']![later.requestId]).toMatchObject({ status: 'pending', approverId: t.manager.userId });
        await manager!.sync.syncNow();
        expect((await manager!.core.call('approvals.inbox', {})).map((i) => i.request.id)).toEqual([later.requestId]);
      } finally {
        env().clock.advance(-25 * HOUR_MS);
      }
    } finally {
      for (const d of [rep, manager, admin]) await d!.close();
    }
  });
  it('brings a request delegated to a rep of another team to their desktop with its deal and the pipeline hidden from them; they decide it offline; once it moves on, the deal and pipeline leave their replica', async () => {
    const t = await syncTenant(env(), 9956, 'appr-deleg-rep');
    const admin = as(env().app, t.admin.token);
    const gated = gatedStage(t);
    const pipeline = t.seeded.dataset.pipelines.find((p) => p.id === gated.pipelineId)!;
    const east = t.seeded.dataset.teams.find((team) => team.name === 'East')!;
    // Only team East sees the pipeline now: rep2 (West, a rep who sees only their own deals) sees neither it nor rep1's deals.
    expect((await admin.patch(`${API_PREFIX}/admin/pipelines/${pipeline.id}`, { access: { ...pipeline.access, viewTeamIds: [east.id] }, expectedConfigVersion: pipeline.configVersion })).status).toBe(200);
    const now = env().clock.now();
    const delegation = await admin.post(`${API_PREFIX}/admin/delegations`, { fromUserId: t.manager.userId, toUserId: t.rep2.userId, startsAt: now - HOUR_MS, endsAt: now + 24 * HOUR_MS });
    expect(delegation.status).toBe(201);
    const [rep, delegate] = await desktops(t, 'rep1', 'rep2');
    const rep2Api = as(env().app, t.rep2.token);
    try {
      expect(replicaSnapshot(delegate!.core)['pipelines']![pipeline.id]).toBeUndefined();
      const { dealId, requestId } = await requestApproval(t, rep!, 'Delegated across teams', 20_000_00);
      await delegate!.sync.syncNow();

      expect(await delegate!.core.call('approvals.inbox', {})).toEqual([expect.objectContaining({
        request: expect.objectContaining({ id: requestId, approverId: t.rep2.userId }),
        deal: expect.objectContaining({ id: dealId, name: 'Delegated across teams', amountMinor: 20_000_00 }),
        targetStageName: gated.name,
      })]);
      let replica = replicaSnapshot(delegate!.core);
      expect(replica['pipelines']![pipeline.id]).toMatchObject({ name: pipeline.name });
      expect(replica['stages']![gated.id]).toMatchObject({ name: gated.name });
      expect(Object.values(replica['stage_history']!).filter((h) => h['dealId'] === dealId)).toHaveLength(1);
      expect(replica).toEqual(await serverSnapshot(env(), t.rep2));
      // The server agrees: rep2 reads the deal and its pipeline, and may not change the deal.
      expect((await rep2Api.get(`${API_PREFIX}/deals/${dealId}`)).body).toMatchObject({ id: dealId, name: 'Delegated across teams' });
      expect((await rep2Api.get(`${API_PREFIX}/pipelines`)).body.items.map((p: { id: string }) => p.id)).toContain(pipeline.id);
      expect((await rep2Api.patch(`${API_PREFIX}/deals/${dealId}`, { nextStep: 'mine now' })).status).toBe(403);

      // Offline: the delegate approves; the approved move happens locally first.
      const decided = await delegate!.core.call('approvals.decide', { requestId, decision: 'approve', comment: 'For Max' });
      expect(decided.deal).toMatchObject({ id: dealId, stageId: gated.id });
      await delegate!.sync.syncNow();
      let s = await server(env(), t);
      expect(s['approval_requests']![requestId]).toMatchObject({ status: 'approved', approverId: t.rep2.userId });
      const events = Object.values(s['approval_events']!).filter((e) => e['requestId'] === requestId);
      expect(events.find((e) => e['kind'] === 'requested')).toMatchObject({ onBehalfOf: t.manager.userId });
      expect(events.find((e) => e['kind'] === 'approved')).toMatchObject({ actorId: t.rep2.userId, comment: 'For Max' });
      expect(s['deals']![dealId]).toMatchObject({ stageId: gated.id });
      // Decided by them: still theirs to read.
      replica = replicaSnapshot(delegate!.core);
      expect(replica['deals']![dealId]).toMatchObject({ stageId: gated.id });
      expect(replica).toEqual(await serverSnapshot(env(), t.rep2));

      // The delegation ends, then the rep raises the amount: the approval is voided and a new request goes to the manager.
      expect((await admin.patch(`${API_PREFIX}/admin/delegations/${delegation.body.id}`, { endsAt: now, expectedVersion: delegation.body.version })).status).toBe(200);
      await rep!.sync.syncNow();
      await rep!.core.call('deals.update', { id: dealId, patch: { amountMinor: 30_000_00 } });
      await rep!.sync.syncNow();
      s = await server(env(), t);
      expect(requestsOf(s, dealId).map((r) => [r['status'], r['approverId']])).toEqual([['voided', t.rep2.userId], ['pending', t.manager.userId]]);

      await delegate!.sync.syncNow();
      replica = replicaSnapshot(delegate!.core);
      expect(replica['deals']![dealId]).toBeUndefined();
      expect(replica['pipelines']![pipeline.id]).toBeUndefined();
      expect(Object.values(replica['stage_history']!).filter((h) => h['dealId'] === dealId)).toEqual([]);
      // Their own (voided) request stays in their history, without the deal.
      expect(replica['approval_requests']![requestId]).toMatchObject({ status: 'voided' });
      expect(await delegate!.core.call('approvals.inbox', {})).toEqual([]);
      expect(replica).toEqual(await serverSnapshot(env(), t.rep2));
      expect((await rep2Api.get(`${API_PREFIX}/deals/${dealId}`)).status).toBe(404);
    } finally {
      for (const d of [rep, delegate]) await d!.close();
    }
  });

  it('escalates to a manager of another team, whose desktop gets the deal; their offline decision on a request voided meanwhile is refused and the deal leaves their replica', async () => {
    const t = await syncTenant(env(), 9957, 'appr-esc-outside');
    const admin = as(env().app, t.admin.token);
    const team = await admin.post(`${API_PREFIX}/admin/teams`, { name: 'North' });
    expect(team.status).toBe(201);
    const nora = await admin.post(`${API_PREFIX}/admin/users`, { email: 'nora@demo.test', name: 'Nora North', role: 'manager', teamId: team.body.id, password: 'demo1234' });
    expect(nora.status).toBe(201);
    expect((await admin.patch(`${API_PREFIX}/admin/teams/${team.body.id}`, { managerId: nora.body.id, expectedVersion: team.body.version })).status).toBe(200);
    const policy = t.seeded.dataset.approvalPolicies[0]!;
    const levels: ApprovalLevel[] = policy.levels.map((l, i) => (i === 0 ? { ...l, escalationTarget: { kind: 'user', userId: nora.body.id } } : l));
    expect((await admin.patch(`${API_PREFIX}/admin/approval-policies/${policy.id}`, { levels, expectedConfigVersion: policy.configVersion })).status).toBe(200);
    const north = await signedIn(env().app, 'nora@demo.test', t.slug);
    const [rep, manager] = await desktops(t, 'rep1', 'manager');
    const outsider = openDesktop(env(), await serverUrl(env()), tempDir(), north);
    try {
      await outsider.sync.syncNow();
      const { dealId, requestId } = await requestApproval(t, rep!, 'Escalated outside', 20_000_00);
      await outsider.sync.syncNow();
      expect(replicaSnapshot(outsider.core)['deals']![dealId]).toBeUndefined();

      // The manager does not decide within the level's 48 hours: the job hands the request to Nora.
      env().clock.advance(49 * HOUR_MS);
      try {
        expect(await escalateApproval(jobContext(env()), requestId)).toMatchObject({ kind: 'escalated', approverId: nora.body.id });
      } finally {
        env().clock.advance(-49 * HOUR_MS);
      }
      await outsider.sync.syncNow();
      expect(await outsider.core.call('approvals.inbox', {})).toEqual([expect.objectContaining({
        request: expect.objectContaining({ id: requestId, approverId: nora.body.id }), deal: expect.objectContaining({ id: dealId, name: 'Escalated outside' }), onBehalfOf: null,
      })]);
      expect(replicaSnapshot(outsider.core)).toEqual(await serverSnapshot(env(), north));
      // The manager still sees the deal (their team's), no longer the request in their inbox.
      await manager!.sync.syncNow();
      expect(await manager!.core.call('approvals.inbox', {})).toEqual([]);
      expect(replicaSnapshot(manager!.core)['deals']![dealId]).toBeDefined();

      // Offline, Nora approves; before she reconnects, the rep changes the close date, which voids the request.
      expect((await outsider.core.call('approvals.decide', { requestId, decision: 'approve' })).deal.stageId).toBe(gatedStage(t).id);
      await rep!.sync.syncNow();
      await rep!.core.call('deals.update', { id: dealId, patch: { expectedCloseDate: '2026-06-30' } });
      await rep!.sync.syncNow();
      const refused = refusals(outsider);
      await outsider.sync.syncNow();

      expect(refused).toEqual([expect.objectContaining({ name: 'approvals.decide', error: expect.objectContaining({ code: 'INVALID_TRANSITION', message: expect.stringContaining('voided') }) })]);
      const s = await server(env(), t);
      const [voided, fresh] = requestsOf(s, dealId);
      expect(voided).toMatchObject({ id: requestId, status: 'voided', approverId: nora.body.id });
      expect(fresh).toMatchObject({ status: 'pending', approverId: t.manager.userId });
      expect(s['deals']![dealId]!['stageId']).not.toBe(gatedStage(t).id);
      const replica = replicaSnapshot(outsider.core);
      expect(replica['deals']![dealId]).toBeUndefined();
      expect(Object.values(replica['stage_history']!).filter((h) => h['dealId'] === dealId)).toEqual([]);
      expect(Object.values(replica['notifications']!).filter((n) => n['kind'] === 'mutation.refused')).toHaveLength(1);
      expect(await outsider.core.call('approvals.inbox', {})).toEqual([]);
      expect(replica).toEqual(await serverSnapshot(env(), north));
      expect((await as(env().app, north.token).get(`${API_PREFIX}/deals/${dealId}`)).status).toBe(404);
      await manager!.sync.syncNow();
      expect((await manager!.core.call('approvals.inbox', {})).map((i) => i.request.id)).toEqual([fresh!['id']]);
    } finally {
      for (const d of [rep, manager, outsider]) await d!.close();
    }
  });
});
