// Approval-gated moves: requests routed by amount, decided level by level (also by delegates), voided by later edits.
import { describe, expect, it } from 'vitest';
import type { ClientCore } from '../../../src-main/core/client-core';
import { openAs, PIPELINE, POLICY, refusal, S, snapshotCounts, T0, TENANT, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const HOUR = 3_600_000;

/** A deal of rep1's in Proposal, asking to go to the gated Negotiation stage. */
async function gatedMove(rep: ClientCore, amountMinor: number) {
  const deal = await rep.call('deals.create', { name: 'Big one', pipelineId: PIPELINE, amountMinor });
  await rep.call('deals.move', { id: deal.id, toStageId: S.proposal });
  return rep.call('deals.move', { id: deal.id, toStageId: S.negotiation, patch: { expectedCloseDate: '2026-03-31' } });
}

describe('approvals', () => {
  it('turns a gated move into a request to the owner’s manager; the approval moves the deal', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const result = await gatedMove(rep, 50_000_00);
    if (result.kind !== 'approvalRequired') throw new Error('expected an approval request');
    expect(result.deal).toMatchObject({ stageId: S.proposal, expectedCloseDate: '2026-03-31' });
    expect(result.request).toMatchObject({
      policyId: POLICY, requestedBy: U.rep1, approverId: U.manager, status: 'pending', levelIndexes: [0], currentStep: 0, dueAt: T0 + 24 * HOUR,
      binding: { amountMinor: 50_000_00, expectedCloseDate: '2026-03-31', targetStageId: S.negotiation, discountPct: null },
    });
    const again = await rep.call('deals.move', { id: result.deal.id, toStageId: S.negotiation });
    expect(again).toMatchObject({ kind: 'approvalRequired', request: { id: result.request.id } });
    const before = snapshotCounts(rep);
    expect((await refusal(rep.call('approvals.decide', { requestId: result.request.id, decision: 'approve' }))).code).toBe('FORBIDDEN');
    expect(snapshotCounts(rep)).toEqual(before);
    await rep.close();

    clock.advance(HOUR);
    const manager = openAs(dir, U.manager, clock, { fresh: false });
    const inbox = await manager.call('approvals.inbox', {});
    expect(inbox).toMatchObject([{ request: { id: result.request.id }, deal: { name: 'Big one' }, targetStageName: 'Negotiation', onBehalfOf: null }]);
    expect((await manager.call('notifications.list', {})).items[0]).toMatchObject({ kind: 'approval.requested', entityId: result.request.id });
    const decided = await manager.call('approvals.decide', { requestId: result.request.id, decision: 'approve', comment: 'go' });
    expect(decided.request).toMatchObject({ status: 'approved', decidedAt: clock.now });
    expect(decided.deal).toMatchObject({ stageId: S.negotiation, stageEnteredAt: clock.now });
    const [history] = await manager.call('approvals.history', { dealId: result.deal.id });
    expect(history!.events.map((e) => [e.kind, e.actorId, e.comment])).toEqual([['requested', U.rep1, null], ['approved', U.manager, 'go']]);
    expect(await manager.call('approvals.inbox', {})).toEqual([]);
    await manager.close();
  });

  it('routes a large deal through every level it reaches, in order', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const result = await gatedMove(rep, 250_000_00);
    if (result.kind !== 'approvalRequired') throw new Error('expected an approval request');
    expect(result.request.levelIndexes).toEqual([0, 1]);
    await rep.close();
    const manager = openAs(dir, U.manager, clock, { fresh: false });
    const first = await manager.call('approvals.decide', { requestId: result.request.id, decision: 'approve' });
    expect(first.request).toMatchObject({ status: 'pending', currentStep: 1, approverId: U.admin, dueAt: clock.now + 48 * HOUR });
    expect(first.deal.stageId).toBe(S.proposal);
    await manager.close();
    const admin = openAs(dir, U.admin, clock, { fresh: false });
    expect((await admin.call('approvals.decide', { requestId: result.request.id, decision: 'approve' })).deal.stageId).toBe(S.negotiation);
    await admin.close();
  });

  it('lets an active delegate decide for the approver, recorded as on behalf of them; a rejection leaves the deal', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    rep.bootstrap({ delegations: [{ id: 'dlg-1', tenantId: TENANT, fromUserId: U.manager, toUserId: U.rep2, startsAt: T0 - HOUR, endsAt: T0 + 48 * HOUR }] });
    const result = await gatedMove(rep, 20_000_00);
    if (result.kind !== 'approvalRequired') throw new Error('expected an approval request');
    expect(result.request.approverId).toBe(U.rep2);
    await rep.close();
    const delegate = openAs(dir, U.rep2, clock, { fresh: false });
    expect(await delegate.call('approvals.inbox', {})).toMatchObject([{ request: { id: result.request.id } }]);
    const decided = await delegate.call('approvals.decide', { requestId: result.request.id, decision: 'reject', comment: 'too cheap' });
    expect(decided.request.status).toBe('rejected');
    expect(decided.deal.stageId).toBe(S.proposal);
    await delegate.close();
  });

  it('voids an approval when the amount changes afterwards and routes a new request by the new amount', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const result = await gatedMove(rep, 50_000_00);
    if (result.kind !== 'approvalRequired') throw new Error('expected an approval request');
    await rep.call('deals.update', { id: result.deal.id, patch: { amountMinor: 150_000_00 } });
    const requests = await rep.call('approvals.history', { dealId: result.deal.id });
    expect(requests.map((r) => [r.request.status, r.request.levelIndexes, r.request.binding.amountMinor])).toEqual([
      ['voided', [0], 50_000_00],
      ['pending', [0, 1], 150_000_00],
    ]);
    expect(requests[0]!.events.map((e) => e.kind)).toEqual(['requested', 'voided']);
    await rep.close();
    const manager = openAs(dir, U.manager, clock, { fresh: false });
    expect((await refusal(manager.call('approvals.decide', { requestId: result.request.id, decision: 'approve' }))).code).toBe('INVALID_TRANSITION');
    await manager.close();
  });

  it('lists a request whose deal has not reached the replica (yet) with what the request carries, and the others in full', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const missing = await gatedMove(rep, 50_000_00);
    clock.advance(1000);
    const present = await gatedMove(rep, 20_000_00);
    if (missing.kind !== 'approvalRequired' || present.kind !== 'approvalRequired') throw new Error('expected approval requests');
    await rep.close();
    const manager = openAs(dir, U.manager, clock, { fresh: false });
    // As on a replica whose pull brought the request but not its deal (a pull under way, an older server).
    manager.store.sqlite.prepare('DELETE FROM deals WHERE id = ?').run(missing.deal.id);
    expect(await manager.call('approvals.inbox', {})).toEqual([
      { request: missing.request, deal: null, targetStageName: 'Negotiation', onBehalfOf: null },
      { request: present.request, deal: expect.objectContaining({ id: present.deal.id, name: 'Big one', amountMinor: 20_000_00 }), targetStageName: 'Negotiation', onBehalfOf: null },
    ]);
    expect(missing.request.binding).toMatchObject({ amountMinor: 50_000_00, expectedCloseDate: '2026-03-31' });
    await manager.close();
  });

  it('asks for an approval explicitly, and refuses to when the move needs none', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const deal = await client.call('deals.create', { name: 'D', pipelineId: PIPELINE, amountMinor: 30_000_00 });
    await client.call('deals.move', { id: deal.id, toStageId: S.proposal });
    expect((await refusal(client.call('approvals.request', { dealId: deal.id, toStageId: S.lost }))).code).toBe('REASON_REQUIRED');
    expect((await refusal(client.call('approvals.request', { dealId: deal.id, toStageId: S.leadIn }))).code).toBe('INVALID_TRANSITION');
    const request = await client.call('approvals.request', { dealId: deal.id, toStageId: S.negotiation, patch: { expectedCloseDate: '2026-06-30' } });
    expect(request).toMatchObject({ status: 'pending', approverId: U.manager, binding: { targetStageId: S.negotiation } });
    await client.close();
  });
});
