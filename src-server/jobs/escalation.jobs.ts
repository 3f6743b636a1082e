// Approval escalation job: applies a level's timeout action to approvals past their deadline, recording every hop.
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { resolveApprover, timeoutOutcome } from '../../src-shared/domain/approval-levels';
import type { ApproverContext } from '../../src-shared/domain/approval-levels';
import type { ApprovalEventKind, ApprovalLevel, ApproverSpec } from '../../src-shared/domain/approvals.schema';
import { HOUR_MS } from '../../src-shared/domain/common.schema';
import type { AppDb } from '../db/database';
import { roles, users } from '../db/schema/accounts.table';
import { approvalEvents, approvalPolicies, approvalRequests, delegations } from '../db/schema/approvals.table';
import { deals } from '../db/schema/deals.table';
import { nextVersion } from '../db/tenant-version';
import { changedFields, writeAudit } from '../audit/audit-log';
import { insertNotifications } from '../notifications/notifications.repo';
import type { NotificationDraft } from '../notifications/notifications.repo';
import type { JobContext } from './job-context';

type RequestRow = typeof approvalRequests.$inferSelect;

export type EscalationResult =
  | { kind: 'escalated'; requestId: string; events: ApprovalEventKind[]; status: RequestRow['status']; approverId: string | null }
  /** Decided, voided or given a new deadline since it was found (a retry, another process): nothing done. */
  | { kind: 'notDue'; requestId: string };

/** Pending approvals whose deadline has passed, oldest deadline first. */
export async function overdueApprovals(db: AppDb, now: number, limit = 200): Promise<{ id: string; tenantId: string }[]> {
  return db
    .select({ id: approvalRequests.id, tenantId: approvalRequests.tenantId })
    .from(approvalRequests)
    .where(and(eq(approvalRequests.status, 'pending'), isNotNull(approvalRequests.dueAt), lte(approvalRequests.dueAt, now)))
    .orderBy(asc(approvalRequests.dueAt))
    .limit(limit);
}

/** Escalates every overdue approval, each in its own transaction. */
export async function escalateOverdueApprovals(ctx: Pick<JobContext, 'db' | 'clock' | 'newId' | 'log'>, limit = 200): Promise<EscalationResult[]> {
  const results: EscalationResult[] = [];
  for (const { id } of await overdueApprovals(ctx.db, ctx.clock.now(), limit)) {
    try {
      results.push(await escalateApproval(ctx, id));
    } catch (err) {
      // One broken request (e.g. a policy edited into an inconsistent state) must not hold up the others.
      ctx.log.error({ err, requestId: id }, 'approval escalation failed');
    }
  }
  return results;
}

interface Hop {
  kind: ApprovalEventKind;
  step: number;
  onBehalfOf: string | null;
  comment: string;
}

/**
 * Applies the timeout action of the request's current level, if its deadline has passed. The request row is locked
 * and re-checked first, and every outcome either ends the request or moves its deadline, so a second run (a retry,
 * a second process) finds nothing due and does nothing.
 */
export async function escalateApproval(ctx: Pick<JobContext, 'db' | 'clock' | 'newId'>, requestId: string): Promise<EscalationResult> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [request] = await tx.select().from(approvalRequests).where(eq(approvalRequests.id, requestId)).for('update');
    if (!request || request.status !== 'pending' || request.dueAt === null || request.dueAt > now) return { kind: 'notDue', requestId };
    const tenantId = request.tenantId;
    const [policy] = await tx.select().from(approvalPolicies).where(and(eq(approvalPolicies.id, request.policyId), eq(approvalPolicies.tenantId, tenantId)));
    const [deal] = await tx.select().from(deals).where(and(eq(deals.id, request.dealId), eq(deals.tenantId, tenantId)));
    const level = policy?.levels[request.levelIndexes[request.currentStep] ?? -1];
    const dealName = deal?.name ?? 'a deal';

    const approverCtx: ApproverContext = {
      ownerId: deal?.ownerId ?? null,
      users: await tx.select({ id: users.id, role: users.role, managerId: users.managerId, active: users.active }).from(users).where(eq(users.tenantId, tenantId)),
      delegations: (await tx.select().from(delegations).where(eq(delegations.tenantId, tenantId))).map(({ version: _v, ...d }) => d),
      roles: (await tx.select().from(roles).where(eq(roles.tenantId, tenantId))).map(({ version: _v, ...r }) => r),
      now,
      amountMinor: deal?.amountMinor ?? null,
    };
    const resolve = (spec: ApproverSpec) => resolveApprover(spec, approverCtx);

    const hops: Hop[] = [];
    const notes: NotificationDraft[] = [];
    const note = (userId: string | null, kind: NotificationDraft['kind'], title: string, body: string | null = null) => {
      if (userId) notes.push({ tenantId, userId, kind, title, body, entityType: 'approval', entityId: request.id });
    };
    const patch: Partial<RequestRow> = {};
    const step = request.currentStep;
    const oldApprover = request.approverId;
    const waitAgain = (l: ApprovalLevel) => now + l.deadlineHours * HOUR_MS;

    if (!policy || !deal || !level) {
      // The policy, level or deal is gone: nobody can act on a timeout, so stop the clock and say so in the history.
      patch.dueAt = null;
      hops.push({ kind: 'notified', step, onBehalfOf: null, comment: 'deadline passed, but the approval policy level or the deal no longer exists; escalation stopped' });
      note(request.requestedBy, 'approval.escalated', `Approval for ${dealName} is stuck: its policy changed`);
      note(oldApprover, 'approval.escalated', `Approval for ${dealName} is overdue`);
    } else {
      const outcome = timeoutOutcome(level);
      switch (outcome.kind) {
        case 'reassign': {
          const target = resolve(outcome.to);
          if (target.ok && target.value.approverId !== oldApprover) {
            patch.approverId = target.value.approverId;
            patch.dueAt = waitAgain(level);
            hops.push({ kind: outcome.event, step, onBehalfOf: target.value.onBehalfOf, comment: `deadline passed; reassigned from ${oldApprover ?? 'nobody'} to ${target.value.approverId}` });
            note(target.value.approverId, 'approval.requested', `Approval needed: ${dealName}`, `Escalated to you: ${oldApprover ?? 'no approver'} did not decide in time.`);
            note(oldApprover, 'approval.escalated', `Approval for ${dealName} was reassigned`, 'The deadline passed, so it went to the escalation target.');
            note(request.requestedBy, 'approval.escalated', `Approval for ${dealName} was escalated`);
          } else {
            // Nobody else to take it: keep the approver, remind everyone concerned, and wait another deadline.
            const why = target.ok ? 'the escalation target is the current approver' : target.refusal.message;
            patch.dueAt = waitAgain(level);
            hops.push({ kind: 'notified', step, onBehalfOf: null, comment: `deadline passed; could not reassign (${why})` });
            note(oldApprover, 'approval.escalated', `Overdue approval: ${dealName}`);
            note(request.requestedBy, 'approval.escalated', `Approval for ${dealName} is overdue`);
          }
          break;
        }
        case 'autoApprove': {
          hops.push({ kind: outcome.event, step, onBehalfOf: null, comment: 'deadline passed; approved automatically' });
          const nextStep = step + 1;
          const nextLevel = policy.levels[request.levelIndexes[nextStep] ?? -1];
          if (nextLevel) {
            const next = resolve(nextLevel.approver);
            patch.currentStep = nextStep;
            patch.approverId = next.ok ? next.value.approverId : null;
            patch.dueAt = next.ok ? waitAgain(nextLevel) : null;
            hops.push({ kind: 'requested', step: nextStep, onBehalfOf: next.ok ? next.value.onBehalfOf : null, comment: next.ok ? `next level sent to ${next.value.approverId}` : `next level has no approver: ${next.refusal.message}` });
            if (next.ok) note(next.value.approverId, 'approval.requested', `Approval needed: ${dealName}`);
            note(request.requestedBy, 'approval.escalated', `Approval for ${dealName}: a level was approved automatically`, next.ok ? null : 'The next level has no approver.');
          } else {
            patch.status = 'approved';
            patch.decidedAt = now;
            patch.dueAt = null;
            note(request.requestedBy, 'approval.decided', `Approved automatically: ${dealName}`, 'The approver did not decide before the deadline.');
          }
          note(oldApprover, 'approval.escalated', `Approval for ${dealName} was approved automatically`, 'You did not decide before the deadline.');
          break;
        }
        case 'autoReject': {
          patch.status = 'rejected';
          patch.decidedAt = now;
          patch.dueAt = null;
          hops.push({ kind: outcome.event, step, onBehalfOf: null, comment: 'deadline passed; rejected automatically' });
          note(request.requestedBy, 'approval.decided', `Rejected automatically: ${dealName}`, 'The approver did not decide before the deadline.');
          note(oldApprover, 'approval.escalated', `Approval for ${dealName} was rejected automatically`, 'You did not decide before the deadline.');
          break;
        }
        case 'notify': {
          patch.dueAt = waitAgain(level);
          const target = outcome.escalateTo ? resolve(outcome.escalateTo) : null;
          const targetId = target?.ok ? target.value.approverId : null;
          hops.push({ kind: outcome.event, step, onBehalfOf: null, comment: `deadline passed; reminded ${[oldApprover, targetId].filter(Boolean).join(' and ') || 'nobody'}` });
          note(oldApprover, 'approval.escalated', `Overdue approval: ${dealName}`, 'The deadline passed; please decide.');
          note(targetId, 'approval.escalated', `Overdue approval: ${dealName}`, `Waiting on ${oldApprover ?? 'no approver'} past the deadline.`);
          break;
        }
      }
    }

    const version = await nextVersion(tx, tenantId);
    const [after] = await tx.update(approvalRequests).set({ ...patch, version }).where(eq(approvalRequests.id, request.id)).returning();
    for (const hop of hops) {
      await tx.insert(approvalEvents).values({ id: ctx.newId(), tenantId, requestId: request.id, step: hop.step, kind: hop.kind, actorId: null, onBehalfOf: hop.onBehalfOf, comment: hop.comment, at: now, version });
    }
    const keys = ['status', 'approverId', 'currentStep', 'dueAt', 'decidedAt'] as const;
    const diff = changedFields(request, after!, keys);
    await writeAudit(tx, ctx, {
      tenantId,
      actorId: null,
      entityType: 'approval',
      entityId: request.id,
      action: patch.status ? 'decide' : 'update',
      before: diff.before,
      after: { ...diff.after, escalation: hops.map((h) => h.kind) },
      version,
    });
    await insertNotifications(tx, notes, { now, version, newId: ctx.newId });
    return { kind: 'escalated', requestId: request.id, events: hops.map((h) => h.kind), status: after!.status, approverId: after!.approverId };
  });
}
