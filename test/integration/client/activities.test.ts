// Activities: logging rescores the lead, tasks complete, timelines list newest first with filters.
import { describe, expect, it } from 'vitest';
import { openAs, PIPELINE, refusal, snapshotCounts, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const DAY = 86_400_000;

describe('activities', () => {
  it('logging a call on a lead raises its engagement score and last activity time', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const { lead } = await client.call('leads.create', { lastName: 'Berg', email: 'b@berg.de' });
    clock.advance(DAY);
    const call = await client.call('activities.log', { entityType: 'lead', entityId: lead.id, kind: 'call', subject: 'intro call', occurredAt: clock.now - 1000 });
    expect(call).toMatchObject({ ownerId: U.rep1, doneAt: null, dueAt: null, createdAt: clock.now });
    const after = await client.call('leads.get', { id: lead.id });
    expect(after.lastActivityAt).toBe(clock.now - 1000);
    expect(after.score).toBeGreaterThan(lead.score);
    expect(after.scoreFactors.map((f) => f.key)).toContain('engagement:call');
    await client.close();
  });

  it('completes tasks, refuses to complete anything else, and lists the timeline with filters', async () => {
    const clock = new TestClock();
    const client = openAs(tempDir(), U.rep1, clock);
    const deal = await client.call('deals.create', { name: 'D', pipelineId: PIPELINE });
    const task = await client.call('activities.log', { entityType: 'deal', entityId: deal.id, kind: 'task', subject: 'send quote', dueAt: clock.now + DAY });
    clock.advance(1000);
    const note = await client.call('activities.log', { entityType: 'deal', entityId: deal.id, kind: 'note', subject: 'likes us' });
    expect((await refusal(client.call('activities.complete', { id: note.id }))).code).toBe('INVALID_TRANSITION');
    expect(await client.call('activities.list', { entityType: 'deal', entityId: deal.id, openTasksOnly: true })).toEqual([task]);
    clock.advance(1000);
    expect((await client.call('activities.complete', { id: task.id })).doneAt).toBe(clock.now);
    expect(await client.call('activities.list', { entityType: 'deal', entityId: deal.id, openTasksOnly: true })).toEqual([]);
    expect((await client.call('activities.list', { entityType: 'deal', entityId: deal.id })).map((a) => a.subject)).toEqual(['likes us', 'send quote']);
    expect((await client.call('activities.list', { entityType: 'deal', entityId: deal.id, kinds: ['note'] })).map((a) => a.id)).toEqual([note.id]);
    expect((await client.call('activities.complete', { id: task.id, done: false })).doneAt).toBeNull();
    // Logging and completing are changes like any other: audited with actor and before/after.
    const audit = await client.call('audit.history', { entityType: 'activity', entityId: task.id });
    expect(audit.map((e) => [e.action, e.actorId, e.before?.['doneAt'] ?? null, e.after?.['doneAt'] ?? null])).toEqual(
      expect.arrayContaining([['create', U.rep1, null, null], ['update', U.rep1, null, clock.now], ['update', U.rep1, clock.now, null]]),
    );
    expect(audit).toHaveLength(3);
    await client.close();
  });

  it.each([
    ['a due date on a call', { entityType: 'lead' as const, kind: 'call' as const, dueAt: 1 }, 'VALIDATION'],
    ['an unknown record', { entityType: 'deal' as const, kind: 'note' as const, entityId: 'nope' }, 'NOT_FOUND'],
  ])('refuses to log %s and writes nothing', async (_name, extra, code) => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const { lead } = await client.call('leads.create', { lastName: 'Berg' });
    const before = snapshotCounts(client);
    expect((await refusal(client.call('activities.log', { entityId: lead.id, subject: 's', ...extra }))).code).toBe(code);
    expect(snapshotCounts(client)).toEqual(before);
    await client.close();
  });

  it('refuses logging on a lead the actor may not change', async () => {
    const dir = tempDir();
    const clock = new TestClock();
    const rep = openAs(dir, U.rep1, clock);
    const { lead } = await rep.call('leads.create', { lastName: 'Berg' });
    await rep.close();
    const other = openAs(dir, U.rep3, clock, { fresh: false });
    expect((await refusal(other.call('activities.log', { entityType: 'lead', entityId: lead.id, kind: 'note', subject: 'x' }))).code).toBe('FORBIDDEN');
    await other.close();
  });
});
