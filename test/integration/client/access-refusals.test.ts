// Refusals by access rules: another rep's records cannot be changed through any write, and nothing is written.
import { describe, expect, it } from 'vitest';
import type { ClientCore } from '../../../src-main/core/client-core';
import { openAs, PIPELINE, REASON, S, snapshotCounts, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

interface Made {
  leadId: string;
  dealId: string;
  notificationId: string;
}

/** rep1's lead and deal (with a notification for the manager), then a client for rep3, who has no team. */
async function othersRecords(): Promise<{ rep3: ClientCore; made: Made }> {
  const dir = tempDir();
  const clock = new TestClock();
  const manager = openAs(dir, U.manager, clock);
  const deal = await manager.call('deals.create', { name: 'Theirs', pipelineId: PIPELINE, ownerId: U.rep1 });
  await manager.close();
  const rep1 = openAs(dir, U.rep1, clock, { fresh: false });
  const { lead } = await rep1.call('leads.create', { lastName: 'Theirs', email: 't@x.de' });
  const [note] = (await rep1.call('notifications.list', {})).items;
  await rep1.close();
  return { rep3: openAs(dir, U.rep3, clock, { fresh: false }), made: { leadId: lead.id, dealId: deal.id, notificationId: note!.id } };
}

const ATTEMPTS: [string, (c: ClientCore, m: Made) => Promise<unknown>, string][] = [
  ['leads.update', (c, m) => c.call('leads.update', { id: m.leadId, patch: { title: 'x' } }), 'FORBIDDEN'],
  ['leads.qualify', (c, m) => c.call('leads.qualify', { id: m.leadId }), 'FORBIDDEN'],
  ['leads.disqualify', (c, m) => c.call('leads.disqualify', { id: m.leadId, reason: 'spam' }), 'FORBIDDEN'],
  ['leads.assign', (c, m) => c.call('leads.assign', { ids: [m.leadId], ownerId: U.rep3 }), 'FORBIDDEN'],
  ['leads.convert', (c, m) => c.call('leads.convert', { leadId: m.leadId }), 'FORBIDDEN'],
  ['deals.update', (c, m) => c.call('deals.update', { id: m.dealId, patch: { nextStep: 'x' } }), 'FORBIDDEN'],
  ['deals.move', (c, m) => c.call('deals.move', { id: m.dealId, toStageId: S.proposal, patch: { amountMinor: 1 } }), 'FORBIDDEN'],
  ['deals.close', (c, m) => c.call('deals.close', { id: m.dealId, outcome: 'lost', reasonId: REASON.lostPrice }), 'FORBIDDEN'],
  ['activities.log on a deal', (c, m) => c.call('activities.log', { entityType: 'deal', entityId: m.dealId, kind: 'call', subject: 'x' }), 'FORBIDDEN'],
  ['notifications.markRead', (c, m) => c.call('notifications.markRead', { ids: [m.notificationId] }), 'NOT_FOUND'],
  ['leads.get of a missing lead', (c) => c.call('leads.get', { id: 'nope' }), 'NOT_FOUND'],
  ['deals.get of a missing deal', (c) => c.call('deals.get', { id: 'nope' }), 'NOT_FOUND'],
  ['approvals.history of a missing request', (c) => c.call('approvals.history', { requestId: 'nope' }), 'NOT_FOUND'],
  ['deals.boardStage of a stage elsewhere', (c) => c.call('deals.boardStage', { pipelineId: 'other', stageId: S.leadIn }), 'NOT_FOUND'],
];

describe('access refusals', () => {
  it.each(ATTEMPTS)('%s is refused and writes nothing', async (_name, attempt, code) => {
    const { rep3, made } = await othersRecords();
    const before = snapshotCounts(rep3);
    await expect(attempt(rep3, made)).rejects.toMatchObject({ code });
    expect(snapshotCounts(rep3)).toEqual(before);
    await rep3.close();
  });
});
