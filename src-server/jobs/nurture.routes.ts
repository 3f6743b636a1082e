// HTTP route of nurturing: POST /nurture/replies records a lead's reply, which stops its nurture sequences.
import type { FastifyPluginAsync } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { Id, Instant, LongText, ShortText } from '../../src-shared/domain/common.schema';
import { canEditLead } from '../../src-shared/domain/visibility';
import type { AreaOptions } from '../app/server-areas';
import { authOf, requireAuth } from '../auth/authenticate';
import { writeAudit } from '../audit/audit-log';
import { activities } from '../db/schema/activities.table';
import { leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import { parseInput } from '../http/parse-input';
import { leadVisibleTo } from '../records/visibility-sql';
import { onLeadActivityLogged } from './lead-events';
import { stopNurtureOnReply } from './nurture.jobs';

/** An email the lead sent back, as a rep's mail client or an inbound-mail hook reports it. */
export const NurtureReplyRequest = z.strictObject({
  leadId: Id,
  subject: ShortText.min(1),
  body: LongText.nullable().default(null),
  /** When the reply arrived; defaults to now. */
  occurredAt: Instant.optional(),
});
export type NurtureReplyRequest = z.infer<typeof NurtureReplyRequest>;

export interface NurtureReplyResponse {
  activityId: string;
  /** The enrolments the reply stopped. */
  stoppedEnrollmentIds: string[];
}

/**
 * Registered under `/api/v1/nurture`. The reply is logged on the lead's timeline as an email activity and stops
 * every active enrolment of the lead, in one transaction; the caller must be allowed to edit the lead.
 */
export const nurtureRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  app.addHook('onRequest', requireAuth(ctx));

  app.post('/replies', async (request, reply): Promise<NurtureReplyResponse> => {
    const { viewer } = authOf(request);
    const input = parseInput(NurtureReplyRequest, request.body, 'body');
    const now = ctx.clock.now();
    const result = await ctx.db.transaction(async (tx) => {
      const [lead] = await tx.select().from(leads).where(and(eq(leads.id, input.leadId), leadVisibleTo(viewer))).for('update');
      if (!lead) throw new AppError(ErrorCode.NOT_FOUND, 'no such lead');
      if (!canEditLead(viewer, lead)) throw new AppError(ErrorCode.FORBIDDEN, 'you may see this lead but not change it');
      const version = await nextVersion(tx, lead.tenantId);
      const activityId = ctx.newId();
      const occurredAt = input.occurredAt ?? now;
      await tx.insert(activities).values({
        id: activityId,
        tenantId: lead.tenantId,
        entityType: 'lead',
        entityId: lead.id,
        kind: 'email',
        subject: input.subject,
        body: input.body,
        occurredAt,
        dueAt: null,
        doneAt: null,
        ownerId: viewer.userId,
        createdAt: now,
        version,
      });
      const lastActivityAt = Math.max(lead.lastActivityAt ?? 0, occurredAt);
      await tx.update(leads).set({ lastActivityAt, version }).where(eq(leads.id, lead.id));
      const stoppedEnrollmentIds = await stopNurtureOnReply(tx, lead.tenantId, lead.id, version);
      await writeAudit(tx, ctx, {
        tenantId: lead.tenantId,
        actorId: viewer.userId,
        entityType: 'lead',
        entityId: lead.id,
        action: 'update',
        before: { lastActivityAt: lead.lastActivityAt },
        after: { lastActivityAt, reply: { activityId, subject: input.subject }, stoppedEnrollmentIds },
        version,
      });
      return { tenantId: lead.tenantId, activityId, stoppedEnrollmentIds };
    });
    await onLeadActivityLogged(ctx, { tenantId: result.tenantId, leadId: input.leadId });
    reply.code(201);
    return { activityId: result.activityId, stoppedEnrollmentIds: result.stoppedEnrollmentIds };
  });
};
