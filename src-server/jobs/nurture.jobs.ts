// Nurture jobs: enrol leads in matching sequences, stop enrolments, and carry out due steps (emails and tasks).
import { and, asc, eq, inArray, lte, notExists, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import { DAY_MS } from '../../src-shared/domain/common.schema';
import type { LeadStatus } from '../../src-shared/domain/leads.schema';
import type { AppDb } from '../db/database';
import { activities } from '../db/schema/activities.table';
import { nurtureEnrollments, nurtureSequences } from '../db/schema/automation.table';
import { nurtureEnrollmentOrigins, nurtureStepRuns } from '../db/schema/jobs.table';
import { leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import { writeAudit } from '../audit/audit-log';
import { insertNotifications } from '../notifications/notifications.repo';
import type { JobContext } from './job-context';
import type { LeadJob, NurtureStepJob } from './queues';
import { fillTemplate, firstRunAt, positionAfterStep, shouldEnroll, stopReasonFor } from './nurture-plan';

type EnrollmentRow = typeof nurtureEnrollments.$inferSelect;
type SequenceRow = typeof nurtureSequences.$inferSelect;
type LeadRow = typeof leads.$inferSelect;
type StopReason = NonNullable<EnrollmentRow['stopReason']>;

// Fixed namespace for the ids the jobs derive (enrolments, nurture tasks), so a repeated run derives the same id.
const NURTURE_NAMESPACE = 'b3c1f0a2-5d6e-4f70-8a9b-0c1d2e3f4a5b';

/** A lead enrols in a sequence at most once: the enrolment id is derived from the pair. */
export const enrollmentIdFor = (sequenceId: string, leadId: string): string => uuidv5(`enrollment:${sequenceId}:${leadId}`, NURTURE_NAMESPACE);
const taskIdFor = (enrollmentId: string, stepIndex: number): string => uuidv5(`task:${enrollmentId}:${stepIndex}`, NURTURE_NAMESPACE);

/** The Message-ID of a step's email: the same on every retry of that step. */
export const messageIdFor = (enrollmentId: string, stepIndex: number, domain: string): string => `<${enrollmentId}.${stepIndex}@${domain}>`;

async function stopEnrollment(tx: AppDb, enrollmentId: string, reason: StopReason, version: number): Promise<void> {
  await tx.update(nurtureEnrollments).set({ status: 'stopped', stopReason: reason, nextRunAt: null, version }).where(eq(nurtureEnrollments.id, enrollmentId));
}

/** Takes the transaction's change version on first use, so a run that writes nothing bumps nothing. */
function lazyVersion(tx: AppDb, tenantId: string): () => Promise<number> {
  let version: Promise<number> | null = null;
  return () => (version ??= nextVersion(tx, tenantId));
}

export interface NurtureEvaluation {
  enrolled: string[];
  stopped: { enrollmentId: string; reason: StopReason }[];
}

/**
 * Brings one lead's enrolments up to date: stops the active ones it no longer qualifies for (converted, status
 * changed) and enrols it in each active sequence it matches and was never enrolled in. Idempotent.
 */
export async function evaluateLeadNurture(ctx: Pick<JobContext, 'db' | 'clock'>, job: LeadJob): Promise<NurtureEvaluation> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const result: NurtureEvaluation = { enrolled: [], stopped: [] };
    const [lead] = await tx.select().from(leads).where(and(eq(leads.id, job.leadId), eq(leads.tenantId, job.tenantId)));
    if (!lead) return result;
    const version = lazyVersion(tx, job.tenantId);
    const existing = await tx
      .select({ enrollment: nurtureEnrollments, origin: nurtureEnrollmentOrigins.leadStatus })
      .from(nurtureEnrollments)
      .leftJoin(nurtureEnrollmentOrigins, eq(nurtureEnrollmentOrigins.enrollmentId, nurtureEnrollments.id))
      .where(and(eq(nurtureEnrollments.tenantId, job.tenantId), eq(nurtureEnrollments.leadId, lead.id)))
      .for('update', { of: nurtureEnrollments });
    for (const { enrollment, origin } of existing) {
      if (enrollment.status !== 'active') continue;
      const reason = stopReasonFor(lead, (origin as LeadStatus | null) ?? null);
      if (reason) {
        await stopEnrollment(tx, enrollment.id, reason, await version());
        result.stopped.push({ enrollmentId: enrollment.id, reason });
      }
    }
    const sequences = await tx.select().from(nurtureSequences).where(and(eq(nurtureSequences.tenantId, job.tenantId), eq(nurtureSequences.active, true)));
    const enrolledIn = new Set(existing.map((e) => e.enrollment.sequenceId));
    for (const sequence of sequences) {
      if (enrolledIn.has(sequence.id) || !shouldEnroll(lead, sequence)) continue;
      const id = await enroll(tx, lead, sequence, now, await version());
      if (id) result.enrolled.push(id);
    }
    return result;
  });
}

async function enroll(tx: AppDb, lead: LeadRow, sequence: SequenceRow, now: number, version: number): Promise<string | null> {
  const id = enrollmentIdFor(sequence.id, lead.id);
  const inserted = await tx
    .insert(nurtureEnrollments)
    .values({ id, tenantId: lead.tenantId, sequenceId: sequence.id, leadId: lead.id, stepIndex: 0, status: 'active', stopReason: null, nextRunAt: firstRunAt(sequence.steps, now), enrolledAt: now, version })
    .onConflictDoNothing()
    .returning({ id: nurtureEnrollments.id });
  if (inserted.length === 0) return null;
  await tx.insert(nurtureEnrollmentOrigins).values({ enrollmentId: id, tenantId: lead.tenantId, leadStatus: lead.status }).onConflictDoNothing();
  return id;
}

/**
 * Enrols, tenant by tenant and sequence by sequence, the leads that match an active sequence and were never
 * enrolled in it (e.g. leads that existed before the sequence). Returns how many enrolments it made.
 */
export async function enrollSweep(ctx: Pick<JobContext, 'db' | 'clock'>, batchSize = 500): Promise<number> {
  const now = ctx.clock.now();
  let made = 0;
  const sequences = await ctx.db.select().from(nurtureSequences).where(eq(nurtureSequences.active, true)).orderBy(asc(nurtureSequences.tenantId), asc(nurtureSequences.id));
  for (const sequence of sequences) {
    if (sequence.enrollStatuses.length === 0) continue;
    let after = '';
    for (;;) {
      const batch = await ctx.db
        .select()
        .from(leads)
        .where(and(
          eq(leads.tenantId, sequence.tenantId),
          eq(leads.archived, false),
          inArray(leads.status, sequence.enrollStatuses),
          sql`${leads.id} > ${after}`,
          notExists(ctx.db.select({ one: sql`1` }).from(nurtureEnrollments).where(and(eq(nurtureEnrollments.sequenceId, sequence.id), eq(nurtureEnrollments.leadId, leads.id)))),
        ))
        .orderBy(asc(leads.id))
        .limit(batchSize);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      const matching = batch.filter((lead) => shouldEnroll(lead, sequence));
      if (matching.length > 0) {
        made += await ctx.db.transaction(async (tx) => {
          const version = await nextVersion(tx, sequence.tenantId);
          let n = 0;
          for (const lead of matching) if (await enroll(tx, lead, sequence, now, version)) n++;
          return n;
        });
      }
      if (batch.length < batchSize) break;
    }
  }
  return made;
}

/** Active enrolments whose next step is due, as step jobs. */
export async function dueNurtureSteps(db: AppDb, now: number, limit = 500): Promise<NurtureStepJob[]> {
  const rows = await db
    .select({ tenantId: nurtureEnrollments.tenantId, enrollmentId: nurtureEnrollments.id, stepIndex: nurtureEnrollments.stepIndex })
    .from(nurtureEnrollments)
    .where(and(eq(nurtureEnrollments.status, 'active'), lte(nurtureEnrollments.nextRunAt, now)))
    .orderBy(asc(nurtureEnrollments.nextRunAt))
    .limit(limit);
  return rows;
}

export type NurtureStepResult =
  | { kind: 'stale' }
  | { kind: 'notDue' }
  | { kind: 'stopped'; reason: StopReason }
  | { kind: 'completed' }
  /** The step's marker existed (a retry after the step was done): only the position was brought up to date. */
  | { kind: 'alreadyDone' }
  | { kind: 'emailSent'; messageId: string }
  | { kind: 'taskCreated'; activityId: string; leadId: string }
  | { kind: 'skipped'; reason: string };

type Plan = Exclude<NurtureStepResult, { kind: 'emailSent' }> | { kind: 'sendEmail'; to: string; subject: string; text: string; messageId: string };

/**
 * Carries out one due step of one enrolment. A step is done exactly when its marker (`nurture_step_runs`) exists;
 * the marker is written in the same transaction that advances the enrolment, and checked first, so a retried or
 * duplicated job never creates a task twice nor sends a sent email again. The one window left is a crash after
 * the SMTP peer accepted an email and before that transaction committed: the retry sends it again, with the same
 * Message-ID so the receiving side can tell.
 */
export async function runNurtureStep(ctx: Pick<JobContext, 'db' | 'clock' | 'newId' | 'mailer' | 'messageIdDomain'>, job: NurtureStepJob): Promise<NurtureStepResult> {
  const now = ctx.clock.now();
  const plan: Plan = await ctx.db.transaction(async (tx): Promise<Plan> => {
    const [enrollment] = await tx
      .select()
      .from(nurtureEnrollments)
      .where(and(eq(nurtureEnrollments.id, job.enrollmentId), eq(nurtureEnrollments.tenantId, job.tenantId)))
      .for('update');
    if (!enrollment || enrollment.status !== 'active' || enrollment.stepIndex !== job.stepIndex) return { kind: 'stale' };
    if (enrollment.nextRunAt !== null && enrollment.nextRunAt > now) return { kind: 'notDue' };
    const [lead] = await tx.select().from(leads).where(and(eq(leads.id, enrollment.leadId), eq(leads.tenantId, job.tenantId)));
    const [sequence] = await tx.select().from(nurtureSequences).where(and(eq(nurtureSequences.id, enrollment.sequenceId), eq(nurtureSequences.tenantId, job.tenantId)));
    const [origin] = await tx.select().from(nurtureEnrollmentOrigins).where(eq(nurtureEnrollmentOrigins.enrollmentId, enrollment.id));

    const reason: StopReason | null = !lead || !sequence || !sequence.active ? 'manual' : stopReasonFor(lead, (origin?.leadStatus as LeadStatus | undefined) ?? null);
    if (reason || !lead || !sequence) {
      await stopEnrollment(tx, enrollment.id, reason ?? 'manual', await nextVersion(tx, job.tenantId));
      return { kind: 'stopped', reason: reason ?? 'manual' };
    }

    const [marker] = await tx.select().from(nurtureStepRuns).where(and(eq(nurtureStepRuns.enrollmentId, enrollment.id), eq(nurtureStepRuns.stepIndex, job.stepIndex)));
    if (marker) {
      await advance(tx, enrollment, sequence, now, await nextVersion(tx, job.tenantId));
      return { kind: 'alreadyDone' };
    }
    const step = sequence.steps[job.stepIndex];
    if (!step) {
      // The sequence lost steps since this enrolment reached this one.
      await advance(tx, enrollment, sequence, now, await nextVersion(tx, job.tenantId));
      return { kind: 'completed' };
    }
    const subject = fillTemplate(step.subject, lead);
    const body = step.body === null ? null : fillTemplate(step.body, lead);

    if (step.kind === 'task') {
      const version = await nextVersion(tx, job.tenantId);
      const activityId = taskIdFor(enrollment.id, job.stepIndex);
      await tx.insert(activities).values({
        id: activityId,
        tenantId: job.tenantId,
        entityType: 'lead',
        entityId: lead.id,
        kind: 'task',
        subject,
        body,
        occurredAt: now,
        // A nurture task is due a day after it is created.
        dueAt: now + DAY_MS,
        doneAt: null,
        ownerId: lead.ownerId,
        createdAt: now,
        version,
      });
      await writeAudit(tx, ctx, { tenantId: job.tenantId, actorId: null, entityType: 'lead', entityId: lead.id, action: 'create', before: null, after: { activityId, kind: 'task', subject, nurtureEnrollmentId: enrollment.id, step: job.stepIndex }, version });
      await tx.insert(nurtureStepRuns).values({ enrollmentId: enrollment.id, stepIndex: job.stepIndex, tenantId: job.tenantId, outcome: 'taskCreated', ref: activityId, detail: null, at: now });
      await advance(tx, enrollment, sequence, now, version);
      if (lead.ownerId) {
        await insertNotifications(tx, [{ tenantId: job.tenantId, userId: lead.ownerId, kind: 'task.due', title: `New task: ${subject}`, body: `For ${lead.firstName} ${lead.lastName}`.trim(), entityType: 'lead', entityId: lead.id }], { now, version, newId: ctx.newId });
      }
      return { kind: 'taskCreated', activityId, leadId: lead.id };
    }

    if (!lead.email) {
      const version = await nextVersion(tx, job.tenantId);
      await tx.insert(nurtureStepRuns).values({ enrollmentId: enrollment.id, stepIndex: job.stepIndex, tenantId: job.tenantId, outcome: 'skipped', ref: null, detail: 'the lead has no email address', at: now });
      await advance(tx, enrollment, sequence, now, version);
      return { kind: 'skipped', reason: 'the lead has no email address' };
    }
    return { kind: 'sendEmail', to: lead.email, subject, text: body ?? '', messageId: messageIdFor(enrollment.id, job.stepIndex, ctx.messageIdDomain) };
  });
  if (plan.kind !== 'sendEmail') return plan;

  // Outside any transaction: on PGlite a transaction held across SMTP would stall every other query.
  await ctx.mailer.send({ to: plan.to, subject: plan.subject, text: plan.text, messageId: plan.messageId });

  await ctx.db.transaction(async (tx) => {
    const [enrollment] = await tx.select().from(nurtureEnrollments).where(eq(nurtureEnrollments.id, job.enrollmentId)).for('update');
    const inserted = await tx
      .insert(nurtureStepRuns)
      .values({ enrollmentId: job.enrollmentId, stepIndex: job.stepIndex, tenantId: job.tenantId, outcome: 'emailSent', ref: plan.messageId, detail: plan.to, at: now })
      .onConflictDoNothing()
      .returning({ stepIndex: nurtureStepRuns.stepIndex });
    // Stopped while the mail was in flight (a reply, a status change): the email is recorded, the position stays.
    if (inserted.length === 0 || !enrollment || enrollment.status !== 'active' || enrollment.stepIndex !== job.stepIndex) return;
    const [sequence] = await tx.select().from(nurtureSequences).where(eq(nurtureSequences.id, enrollment.sequenceId));
    await advance(tx, enrollment, sequence ?? null, now, await nextVersion(tx, job.tenantId));
  });
  return { kind: 'emailSent', messageId: plan.messageId };
}

async function advance(tx: AppDb, enrollment: EnrollmentRow, sequence: SequenceRow | null, now: number, version: number): Promise<void> {
  const position = positionAfterStep(sequence?.steps ?? [], enrollment.stepIndex, now);
  await tx.update(nurtureEnrollments).set({ ...position, version }).where(eq(nurtureEnrollments.id, enrollment.id));
}

/**
 * Stops the lead's active enrolments because the lead replied; call inside the transaction that records the
 * inbound email. Returns the stopped enrolment ids.
 */
export async function stopNurtureOnReply(tx: AppDb, tenantId: string, leadId: string, version: number): Promise<string[]> {
  const rows = await tx
    .update(nurtureEnrollments)
    .set({ status: 'stopped', stopReason: 'replied', nextRunAt: null, version })
    .where(and(eq(nurtureEnrollments.tenantId, tenantId), eq(nurtureEnrollments.leadId, leadId), eq(nurtureEnrollments.status, 'active')))
    .returning({ id: nurtureEnrollments.id });
  return rows.map((r) => r.id);
}

