// Approval escalation on PGlite and PostgreSQL: each timeout action, the recorded hops, notifications, and once only.
import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { ApprovalLevel } from '../../../src-shared/domain/approvals.schema';
import { HOUR_MS } from '../../../src-shared/domain/common.schema';
import { escalateApproval, escalateOverdueApprovals } from '../../../src-server/jobs/escalation.jobs';
import { approvalEvents, approvalRequests } from '../../../src-server/db/schema/approvals.table';
import type { AppDb } from '../../../src-server/db/database';
import { forEachDatabase } from '../../helpers/server-db';
import { auditOf, insertDelegation, insertPendingApproval, jobContext, notificationsOf, seedJobTenant } from './jobs-fixtures';

const level = (l: Partial<ApprovalLevel>): ApprovalLevel => ({ minAmountMinor: 0, approver: { kind: 'managerOfOwner' }, deadlineHours: 24, escalationTarget: null, timeoutAction: 'notify', ...l });

async function requestOf(db: AppDb, id: string) {
  const [row] = await db.select().from(approvalRequests).where(eq(approvalRequests.id, id));
  return row!;
}
async function eventsOf(db: AppDb, id: string) {
  return db.select({ kind: approvalEvents.kind, step: approvalEvents.step, actorId: approvalEvents.actorId, onBehalfOf: approvalEvents.onBehalfOf, comment: approvalEvents.comment })
    .from(approvalEvents).where(eq(approvalEvents.requestId, id)).orderBy(asc(approvalEvents.at), asc(approvalEvents.id));
}

forEachDatabase('approval escalation', (env) => {
  const db = () => env().ctx.db;
  const now = () => env().clock.now();
  let n = 0;
  /** A fresh tenant with one pending approval whose deadline passed an hour ago. */
  async function overdue(levels: ApprovalLevel[], approver: 'mgr' | 'admin' | null = 'mgr') {
    const t = `ES-${++n}`;
    await seedJobTenant(db(), t, now());
    const id = `${t}-req`;
    await insertPendingApproval(db(), t, now() - 25 * HOUR_MS, { id, levels, approverId: approver && `${t}-${approver}`, dueAt: now() - HOUR_MS });
    return { t, id };
  }

  it('reassigns to the escalation target with a new deadline, recording the hop and alerting everyone concerned', async () => {
    const { t, id } = await overdue([level({ timeoutAction: 'reassign', escalationTarget: { kind: 'role', role: 'admin' } })]);
    const [result] = (await escalateOverdueApprovals(jobContext(env()))).filter((r) => r.requestId === id);
    expect(result).toMatchObject({ kind: 'escalated', events: ['reassigned'], status: 'pending', approverId: `${t}-admin` });
    expect(await requestOf(db(), id)).toMatchObject({ status: 'pending', approverId: `${t}-admin`, dueAt: now() + 24 * HOUR_MS, currentStep: 0 });
    expect(await eventsOf(db(), id)).toEqual([{ kind: 'reassigned', step: 0, actorId: null, onBehalfOf: null, comment: `deadline passed; reassigned from ${t}-mgr to ${t}-admin` }]);
    expect(await notificationsOf(db(), `${t}-admin`)).toMatchObject([{ kind: 'approval.requested', entityType: 'approval', entityId: id }]);
    expect(await notificationsOf(db(), `${t}-mgr`)).toMatchObject([{ kind: 'approval.escalated', entityId: id }]);
    expect(await notificationsOf(db(), `${t}-rep1`)).toMatchObject([{ kind: 'approval.escalated', entityId: id }]);
    expect(await auditOf(db(), id)).toMatchObject([{ action: 'update', before: { approverId: `${t}-mgr` }, after: { approverId: `${t}-admin`, escalation: ['reassigned'] } }]);
  });

  it('reassigns to the delegate of the escalation target when one is in force', async () => {
    const { t, id } = await overdue([level({ timeoutAction: 'reassign', escalationTarget: { kind: 'role', role: 'admin' } })]);
    await insertDelegation(db(), t, { id: `${t}-del`, from: `${t}-admin`, to: `${t}-rep2`, startsAt: now() - HOUR_MS, endsAt: now() + HOUR_MS });
    await escalateApproval(jobContext(env()), id);
    expect((await requestOf(db(), id)).approverId).toBe(`${t}-rep2`);
    expect(await eventsOf(db(), id)).toMatchObject([{ kind: 'reassigned', onBehalfOf: `${t}-admin` }]);
  });

  it('approves the last level automatically and tells the requester', async () => {
    const { t, id } = await overdue([level({ timeoutAction: 'autoApprove' })]);
    await escalateApproval(jobContext(env()), id);
    expect(await requestOf(db(), id)).toMatchObject({ status: 'approved', decidedAt: now(), dueAt: null });
    expect(await eventsOf(db(), id)).toMatchObject([{ kind: 'autoApproved', step: 0 }]);
    expect(await notificationsOf(db(), `${t}-rep1`)).toMatchObject([{ kind: 'approval.decided', title: expect.stringContaining('Approved automatically') }]);
    expect(await auditOf(db(), id)).toMatchObject([{ action: 'decide', after: { status: 'approved' } }]);
  });

  it('auto-approving a level that is not the last sends the request on to the next level', async () => {
    const { t, id } = await overdue([
      level({ timeoutAction: 'autoApprove' }),
      level({ minAmountMinor: 10_000_00, approver: { kind: 'role', role: 'admin' }, deadlineHours: 48, timeoutAction: 'notify' }),
    ]);
    await escalateApproval(jobContext(env()), id);
    expect(await requestOf(db(), id)).toMatchObject({ status: 'pending', currentStep: 1, approverId: `${t}-admin`, dueAt: now() + 48 * HOUR_MS });
    expect(await eventsOf(db(), id)).toMatchObject([{ kind: 'autoApproved', step: 0 }, { kind: 'requested', step: 1 }]);
    expect(await notificationsOf(db(), `${t}-admin`)).toMatchObject([{ kind: 'approval.requested' }]);
  });

  it('rejects automatically and tells the requester and the approver', async () => {
    const { t, id } = await overdue([level({ timeoutAction: 'autoReject' })]);
    await escalateApproval(jobContext(env()), id);
    expect(await requestOf(db(), id)).toMatchObject({ status: 'rejected', decidedAt: now(), dueAt: null });
    expect(await eventsOf(db(), id)).toMatchObject([{ kind: 'autoRejected' }]);
    expect(await notificationsOf(db(), `${t}-rep1`)).toMatchObject([{ kind: 'approval.decided', title: expect.stringContaining('Rejected automatically') }]);
    expect(await notificationsOf(db(), `${t}-mgr`)).toMatchObject([{ kind: 'approval.escalated' }]);
  });

  it('reminds the approver and waits another deadline', async () => {
    const { t, id } = await overdue([level({ timeoutAction: 'notify' })]);
    await escalateApproval(jobContext(env()), id);
    expect(await requestOf(db(), id)).toMatchObject({ status: 'pending', approverId: `${t}-mgr`, dueAt: now() + 24 * HOUR_MS });
    expect(await eventsOf(db(), id)).toMatchObject([{ kind: 'notified', comment: `deadline passed; reminded ${t}-mgr` }]);
    expect(await notificationsOf(db(), `${t}-mgr`)).toMatchObject([{ kind: 'approval.escalated', title: expect.stringContaining('Overdue approval') }]);
  });

  it('also alerts the escalation target of a notify level', async () => {
    const { t, id } = await overdue([level({ timeoutAction: 'notify', escalationTarget: { kind: 'role', role: 'admin' } })]);
    await escalateApproval(jobContext(env()), id);
    expect(await eventsOf(db(), id)).toMatchObject([{ kind: 'notified', comment: `deadline passed; reminded ${t}-mgr and ${t}-admin` }]);
    expect(await notificationsOf(db(), `${t}-admin`)).toMatchObject([{ kind: 'approval.escalated' }]);
  });

  it('falls back to a reminder when the reassignment target cannot be resolved', async () => {
    const { t, id } = await overdue([level({ timeoutAction: 'reassign', escalationTarget: { kind: 'user', userId: 'nobody' } })]);
    await escalateApproval(jobContext(env()), id);
    expect(await requestOf(db(), id)).toMatchObject({ status: 'pending', approverId: `${t}-mgr`, dueAt: now() + 24 * HOUR_MS });
    expect(await eventsOf(db(), id)).toMatchObject([{ kind: 'notified', comment: expect.stringContaining('could not reassign') }]);
  });

  describe('once only', () => {
    it.each(['reassign', 'autoApprove', 'autoReject', 'notify'] as const)('a second run after %s finds nothing due and changes nothing', async (action) => {
      const { t, id } = await overdue([level({ timeoutAction: action, escalationTarget: { kind: 'role', role: 'admin' } })]);
      const ctx = jobContext(env());
      await escalateApproval(ctx, id);
      const after = await requestOf(db(), id);
      const events = await eventsOf(db(), id);
      const notes = (await notificationsOf(db(), `${t}-rep1`)).length;
      expect(await escalateApproval(ctx, id)).toEqual({ kind: 'notDue', requestId: id });
      expect((await escalateOverdueApprovals(ctx)).filter((r) => r.requestId === id)).toEqual([]);
      expect(await requestOf(db(), id)).toEqual(after);
      expect(await eventsOf(db(), id)).toEqual(events);
      expect(await notificationsOf(db(), `${t}-rep1`)).toHaveLength(notes);
    });

    it('leaves approvals whose deadline has not passed alone', async () => {
      const t = `ES-${++n}`;
      await seedJobTenant(db(), t, now());
      await insertPendingApproval(db(), t, now(), { id: `${t}-req`, levels: [level({ timeoutAction: 'autoReject' })], approverId: `${t}-mgr`, dueAt: now() + HOUR_MS });
      expect(await escalateApproval(jobContext(env()), `${t}-req`)).toEqual({ kind: 'notDue', requestId: `${t}-req` });
      expect((await requestOf(db(), `${t}-req`)).status).toBe('pending');
    });
  });
});
