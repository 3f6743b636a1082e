// Deals through the client core: create, edit, move with required fields and stage history, close with reasons, board.
import { describe, expect, it } from 'vitest';
import { count, openAs, PIPELINE, REASON, refusal, S, snapshotCounts, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const DAY = 86_400_000;

describe('deals', () => {
  it('creates a deal in the first open stage with its first stage-history entry', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const deal = await client.call('deals.create', { name: 'Acme rollout', pipelineId: PIPELINE });
    expect(deal).toMatchObject({ stageId: S.leadIn, status: 'open', ownerId: U.rep1, teamId: 'team-east', currency: 'EUR', probability: 10 });
    const { stageHistory } = await client.call('deals.get', { id: deal.id });
    expect(stageHistory).toMatchObject([{ stageId: S.leadIn, exitedAt: null, actorId: U.rep1 }]);
    await client.close();
  });

  it.each([
    ['a stage needing fields the deal lacks', { stageId: S.proposal }, 'MISSING_FIELDS'],
    ['a gated stage', { stageId: S.negotiation, amountMinor: 5, expectedCloseDate: '2026-03-01' }, 'INVALID_TRANSITION'],
    ['a closed stage', { stageId: S.won }, 'INVALID_TRANSITION'],
    ['an unknown pipeline', { pipelineId: 'nope' }, 'NOT_FOUND'],
  ])('refuses to create a deal in %s, writing nothing', async (_name, extra, code) => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const before = snapshotCounts(client);
    expect((await refusal(client.call('deals.create', { name: 'X', pipelineId: PIPELINE, ...extra }))).code).toBe(code);
    expect(snapshotCounts(client)).toEqual(before);
    await client.close();
  });

  it('refuses a move missing required fields and leaves deals, stage history and audit unchanged', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const deal = await client.call('deals.create', { name: 'Acme', pipelineId: PIPELINE });
    const before = snapshotCounts(client);
    const err = await refusal(client.call('deals.move', { id: deal.id, toStageId: S.proposal }));
    expect(err).toMatchObject({ code: 'MISSING_FIELDS', fields: [{ path: 'amountMinor' }], details: { missing: ['amountMinor'] } });
    expect(snapshotCounts(client)).toEqual(before);
    expect((await client.call('deals.get', { id: deal.id })).deal).toEqual(deal);
    await client.close();
  });

  it('moves with the missing fields filled on drop, exiting and entering stage history, audited as a move', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const deal = await client.call('deals.create', { name: 'Acme', pipelineId: PIPELINE });
    clock.advance(DAY);
    const result = await client.call('deals.move', { id: deal.id, toStageId: S.proposal, patch: { amountMinor: 5000_00 } });
    expect(result).toMatchObject({ kind: 'moved', deal: { stageId: S.proposal, amountMinor: 5000_00, probability: 40, stageEnteredAt: clock.now } });
    const { stageHistory } = await client.call('deals.get', { id: deal.id });
    expect(stageHistory.map((h) => [h.stageId, h.enteredAt, h.exitedAt])).toEqual([[S.leadIn, clock.now - DAY, clock.now], [S.proposal, clock.now, null]]);
    const [entry] = await client.call('audit.history', { entityType: 'deal', entityId: deal.id });
    expect(entry).toMatchObject({ action: 'move', before: { stageId: S.leadIn, amountMinor: null }, after: { stageId: S.proposal, amountMinor: 5000_00 } });
    await client.close();
  });

  it('closes a deal won with a reason and a note; refuses a close without a fitting reason', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const deal = await client.call('deals.create', { name: 'Acme', pipelineId: PIPELINE, amountMinor: 900_00 });
    expect((await refusal(client.call('deals.close', { id: deal.id, outcome: 'won', reasonId: REASON.lostPrice }))).code).toBe('VALIDATION');
    expect((await refusal(client.call('deals.move', { id: deal.id, toStageId: S.lost }))).code).toBe('REASON_REQUIRED');
    const won = await client.call('deals.close', { id: deal.id, outcome: 'won', reasonId: REASON.wonFit, note: 'signed' });
    expect(won).toMatchObject({ kind: 'moved', deal: { status: 'won', stageId: S.won, wonLostReasonId: REASON.wonFit, wonLostNote: 'signed', closedAt: clock.now, probability: 100 } });
    expect(count(client, 'stage_history', 'deal_id = ? AND exited_at IS NULL', deal.id)).toBe(1);
    await client.close();
  });

  it('edits a deal and hands it to another rep when the actor manages the team; a rep cannot give a deal away', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const deal = await rep.call('deals.create', { name: 'Acme', pipelineId: PIPELINE });
    expect(await rep.call('deals.update', { id: deal.id, patch: { nextStep: 'Call CFO', amountMinor: 12_00 } })).toMatchObject({ nextStep: 'Call CFO', amountMinor: 12_00 });
    expect((await refusal(rep.call('deals.update', { id: deal.id, patch: { ownerId: U.rep3 } }))).code).toBe('FORBIDDEN');
    await rep.close();
    const manager = openAs(dir, U.manager, clock, { fresh: false });
    expect(await manager.call('deals.update', { id: deal.id, patch: { ownerId: U.rep2 } })).toMatchObject({ ownerId: U.rep2, teamId: 'team-east' });
    await manager.close();
  });

  it('builds the board: per-stage counts, sums, weighted sums, rotting flags, top cards and paging per stage', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await client.call('deals.create', { name: `Deal ${i}`, pipelineId: PIPELINE, amountMinor: (i + 1) * 100_00 })).id);
      clock.advance(DAY);
    }
    await client.call('deals.move', { id: ids[4]!, toStageId: S.proposal });
    clock.advance(12 * DAY);
    const board = await client.call('deals.board', { pipelineId: PIPELINE, cardsPerStage: 2 });
    const leadIn = board.columns.find((c) => c.stage.id === S.leadIn)!;
    expect(leadIn).toMatchObject({ count: 4, sumAmountMinor: 1000_00, weightedAmountMinor: 100_00, hasMore: true });
    // Created 16, 15, 14 and 13 days ago; the stage rots after 14 days.
    expect(leadIn.rottingCount).toBe(3);
    expect(leadIn.cards.map((c) => [c.name, c.rotting])).toEqual([['Deal 3', false], ['Deal 2', true]]);
    expect(board.columns.map((c) => c.count)).toEqual([4, 1, 0, 0, 0]);
    const page = await client.call('deals.boardStage', { pipelineId: PIPELINE, stageId: S.leadIn, offset: 2, limit: 5 });
    expect(page).toMatchObject({ hasMore: false });
    expect(page.cards.map((c) => c.name)).toEqual(['Deal 1', 'Deal 0']);
    const mine = await client.call('deals.board', { pipelineId: PIPELINE, ownerId: [U.rep2] });
    expect(mine.columns.every((c) => c.count === 0)).toBe(true);
    const lists = await client.call('pipelines.list', {});
    expect(lists.map((p) => [p.pipeline.id, p.stages.length])).toEqual([[PIPELINE, 5]]);
    await client.close();
  });
});
