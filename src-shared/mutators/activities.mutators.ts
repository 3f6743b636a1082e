// Activity writes: log a call/email/meeting/note/task on a record (rescoring a lead), complete a task.
import { z } from 'zod';
import { AppError, ErrorCode } from '../api/errors';
import type { Activity } from '../domain/activities.schema';
import { ActivityKind } from '../domain/activities.schema';
import { Id, Instant, LongText, ShortText } from '../domain/common.schema';
import { mustBeNew, mustGet, requireDealEditable, requireLeadEditable } from './access';
import { scoreFields } from './lead-score-step';
import { defineMutator } from './mutator';
import type { MutatorEnv } from './mutator';
import type { MutationTx } from './mutation-tx';

const ActivityEntityType = z.enum(['lead', 'deal', 'contact', 'company']);

/** The record must exist and, for leads and deals, be one the actor may change. */
async function requireEntity(tx: MutationTx, env: MutatorEnv, entityType: Activity['entityType'], entityId: string): Promise<void> {
  switch (entityType) {
    case 'lead':
      return requireLeadEditable(env.actor, await mustGet(tx, 'leads', entityId, 'lead'));
    case 'deal': {
      const deal = await mustGet(tx, 'deals', entityId, 'deal');
      return requireDealEditable(env.actor, deal, await mustGet(tx, 'pipelines', deal.pipelineId, 'pipeline'));
    }
    case 'contact':
      await mustGet(tx, 'contacts', entityId, 'contact');
      return;
    case 'company':
      await mustGet(tx, 'companies', entityId, 'company');
      return;
  }
}

export const ActivitiesLogArgs = z.object({
  id: Id,
  entityType: ActivityEntityType,
  entityId: Id,
  kind: ActivityKind,
  subject: ShortText.min(1),
  body: LongText.nullable().optional(),
  /** Defaults to now. */
  occurredAt: Instant.optional(),
  /** Tasks only. */
  dueAt: Instant.nullable().optional(),
  ownerId: Id.nullable().optional(),
});

export const activitiesLog = defineMutator({
  name: 'activities.log',
  args: ActivitiesLogArgs,
  async run(tx, a, env) {
    await mustBeNew(tx, 'activities', a.id, 'activity');
    if (a.dueAt != null && a.kind !== 'task') throw new AppError(ErrorCode.VALIDATION, 'only tasks have a due date', [{ path: 'dueAt', message: 'only for tasks' }]);
    await requireEntity(tx, env, a.entityType, a.entityId);
    if (a.ownerId) await mustGet(tx, 'users', a.ownerId, 'user');
    const activity: Activity = {
      id: a.id, tenantId: env.actor.tenantId, entityType: a.entityType, entityId: a.entityId, kind: a.kind, subject: a.subject,
      body: a.body ?? null, occurredAt: a.occurredAt ?? env.now, dueAt: a.dueAt ?? null, doneAt: null,
      ownerId: a.ownerId === undefined ? env.actor.userId : a.ownerId, createdAt: env.now,
    };
    await tx.insert('activities', activity);
    if (a.entityType !== 'lead') return;
    // Engagement moves the lead's score; an open task is not engagement yet, so it does not touch the last activity.
    const lead = await mustGet(tx, 'leads', a.entityId, 'lead');
    const last = a.kind === 'task' ? lead.lastActivityAt : Math.max(lead.lastActivityAt ?? 0, activity.occurredAt);
    await tx.update('leads', lead.id, { lastActivityAt: last, ...(await scoreFields(tx, lead, env.now, true)) });
  },
});

export const activitiesComplete = defineMutator({
  name: 'activities.complete',
  args: z.object({ id: Id, done: z.boolean().default(true) }),
  async run(tx, a, env) {
    const activity = await mustGet(tx, 'activities', a.id, 'activity');
    if (activity.kind !== 'task') throw new AppError(ErrorCode.INVALID_TRANSITION, `a ${activity.kind} cannot be completed, only a task`);
    if (activity.ownerId !== env.actor.userId) await requireEntity(tx, env, activity.entityType, activity.entityId);
    await tx.update('activities', activity.id, { doneAt: a.done ? env.now : null });
  },
});
