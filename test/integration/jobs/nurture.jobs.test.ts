// Nurturing on PGlite and PostgreSQL: enrolment rules, email steps over real SMTP, task steps, waits, stop conditions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { HOUR_MS, DAY_MS } from '../../../src-shared/domain/common.schema';
import type { NurtureStep } from '../../../src-shared/domain/automation.schema';
import { dueNurtureSteps, enrollSweep, enrollmentIdFor, evaluateLeadNurture, messageIdFor, runNurtureStep } from '../../../src-server/jobs/nurture.jobs';
import { createMailer } from '../../../src-server/mail/mailer';
import { API_PREFIX } from '../../../src-server/app/server-areas';
import { activities } from '../../../src-server/db/schema/activities.table';
import { nurtureEnrollments } from '../../../src-server/db/schema/automation.table';
import { nurtureStepRuns } from '../../../src-server/db/schema/jobs.table';
import { leads } from '../../../src-server/db/schema/leads.table';
import type { AppDb } from '../../../src-server/db/database';
import { forEachDatabase } from '../../helpers/server-db';
import { as, seedTenant, signIn } from '../server/api-client';
import { insertLead, insertSequence, jobContext, notificationsOf, seedJobTenant, startSmtpPeer } from './jobs-fixtures';

const email = (subject: string, waitHours = 0): NurtureStep => ({ kind: 'email', waitHours, subject, body: 'Hello {{firstName}} at {{companyName}}' });
const task = (subject: string, waitHours = 0): NurtureStep => ({ kind: 'task', waitHours, subject, body: null });

async function enrollmentOf(db: AppDb, sequenceId: string, leadId: string) {
  const [row] = await db.select().from(nurtureEnrollments).where(and(eq(nurtureEnrollments.sequenceId, sequenceId), eq(nurtureEnrollments.leadId, leadId)));
  return row ?? null;
}

forEachDatabase('nurture jobs', (env) => {
  const db = () => env().ctx.db;
  const now = () => env().clock.now();
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  const ctx = () => jobContext(env(), createMailer({ smtpUrl: smtp.url, from: 'Sales <sales@jobs.test>', timeoutMs: 5000 }, { info: () => {} }));

  beforeAll(async () => {
    smtp = await startSmtpPeer();
  });
  afterAll(async () => {
    await smtp.close();
  });

  describe('enrolment', () => {
    const T = 'NU-enrol';
    beforeAll(async () => {
      await seedJobTenant(db(), T, now());
      await insertSequence(db(), T, { id: `${T}-de`, steps: [email('Welcome', 2)], enrollStatuses: ['NEW', 'QUALIFIED'], enrollFilters: [{ field: 'country', op: 'eq', values: ['DE'] }] });
      await insertSequence(db(), T, { id: `${T}-off`, steps: [email('Never')], active: false });
    });

    it('enrols a lead in the active sequences whose statuses and filters it matches, with the first wait', async () => {
      const de = await insertLead(db(), T, now(), { country: 'DE' });
      const fr = await insertLead(db(), T, now(), { country: 'FR' });
      const contacted = await insertLead(db(), T, now(), { country: 'DE', status: 'CONTACTED' });
      expect(await evaluateLeadNurture(ctx(), { tenantId: T, leadId: de.id })).toEqual({ enrolled: [enrollmentIdFor(`${T}-de`, de.id)], stopped: [] });
      expect(await evaluateLeadNurture(ctx(), { tenantId: T, leadId: fr.id })).toEqual({ enrolled: [], stopped: [] });
      expect(await evaluateLeadNurture(ctx(), { tenantId: T, leadId: contacted.id })).toEqual({ enrolled: [], stopped: [] });
      expect(await enrollmentOf(db(), `${T}-de`, de.id)).toMatchObject({ status: 'active', stepIndex: 0, nextRunAt: now() + 2 * HOUR_MS, enrolledAt: now() });
      expect(await enrollmentOf(db(), `${T}-off`, de.id)).toBeNull();
    });

    it('enrols a lead once, however often it is evaluated', async () => {
      const lead = await insertLead(db(), T, now(), { country: 'DE' });
      await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id });
      expect(await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).toEqual({ enrolled: [], stopped: [] });
      expect(await db().select().from(nurtureEnrollments).where(eq(nurtureEnrollments.leadId, lead.id))).toHaveLength(1);
    });

    it('the periodic sweep enrols matching leads nobody evaluated', async () => {
      const a = await insertLead(db(), T, now(), { country: 'DE', status: 'QUALIFIED' });
      const b = await insertLead(db(), T, now(), { country: 'AT' });
      expect(await enrollSweep(ctx(), 2)).toBeGreaterThanOrEqual(1);
      expect(await enrollmentOf(db(), `${T}-de`, a.id)).not.toBeNull();
      expect(await enrollmentOf(db(), `${T}-de`, b.id)).toBeNull();
      expect(await enrollSweep(ctx(), 2)).toBe(0);
    });
  });

  describe('steps', () => {
    const T = 'NU-steps';
    beforeAll(async () => {
      await seedJobTenant(db(), T, now());
      await insertSequence(db(), T, { id: `${T}-seq`, steps: [email('Hi {{firstName}}'), task('Call {{firstName}}', 24), email('Last chance', 48)] });
    });

    it('sends the email through SMTP, then creates the task for the owner after the wait, then completes', async () => {
      const lead = await insertLead(db(), T, now(), { firstName: 'Greta', companyName: 'Acme', ownerId: `${T}-rep1`, email: 'greta@acme.example' });
      const [enrollmentId] = (await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).enrolled;
      expect(await dueNurtureSteps(db(), now())).toContainEqual({ tenantId: T, enrollmentId, stepIndex: 0 });

      const sent = await runNurtureStep(ctx(), { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 0 });
      const messageId = messageIdFor(enrollmentId!, 0, 'jobs.test');
      expect(sent).toEqual({ kind: 'emailSent', messageId });
      const mail = smtp.received.find((m) => m.messageId === messageId)!;
      expect(mail).toMatchObject({ from: 'sales@jobs.test', to: ['greta@acme.example'], subject: 'Hi Greta' });
      expect(mail.raw).toContain('Hello Greta at Acme');
      expect(await enrollmentOf(db(), `${T}-seq`, lead.id)).toMatchObject({ status: 'active', stepIndex: 1, nextRunAt: now() + 24 * HOUR_MS });

      // Not due yet, then due after the wait.
      expect(await runNurtureStep(ctx(), { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 1 })).toEqual({ kind: 'notDue' });
      env().clock.advance(24 * HOUR_MS);
      try {
        const made = await runNurtureStep(ctx(), { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 1 });
        expect(made).toMatchObject({ kind: 'taskCreated', leadId: lead.id });
        const [taskRow] = await db().select().from(activities).where(and(eq(activities.entityId, lead.id), eq(activities.kind, 'task')));
        expect(taskRow).toMatchObject({ subject: 'Call Greta', ownerId: `${T}-rep1`, dueAt: now() + DAY_MS, doneAt: null });
        expect(await notificationsOf(db(), `${T}-rep1`)).toMatchObject([{ kind: 'task.due', title: 'New task: Call Greta' }]);

        env().clock.advance(48 * HOUR_MS);
        expect(await runNurtureStep(ctx(), { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 2 })).toMatchObject({ kind: 'emailSent' });
        expect(await enrollmentOf(db(), `${T}-seq`, lead.id)).toMatchObject({ status: 'completed', stepIndex: 3, nextRunAt: null });
      } finally {
        env().clock.advance(-72 * HOUR_MS);
      }
    });

    it('runs each step once: a repeated job neither resends the email nor creates a second task', async () => {
      const lead = await insertLead(db(), T, now(), { ownerId: `${T}-rep2` });
      const [enrollmentId] = (await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).enrolled;
      const job = { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 0 };
      await runNurtureStep(ctx(), job);
      const count = smtp.received.length;
      expect(await runNurtureStep(ctx(), job)).toEqual({ kind: 'stale' });
      expect(smtp.received).toHaveLength(count);

      // A marker whose enrolment did not advance (e.g. the position was rolled back by hand) is honoured too.
      env().clock.advance(24 * HOUR_MS);
      try {
        const taskJob = { ...job, stepIndex: 1 };
        await runNurtureStep(ctx(), taskJob);
        await db().update(nurtureEnrollments).set({ stepIndex: 1, nextRunAt: now() }).where(eq(nurtureEnrollments.id, enrollmentId!));
        expect(await runNurtureStep(ctx(), taskJob)).toEqual({ kind: 'alreadyDone' });
        expect(await db().select().from(activities).where(and(eq(activities.entityId, lead.id), eq(activities.kind, 'task')))).toHaveLength(1);
        expect((await enrollmentOf(db(), `${T}-seq`, lead.id))!.stepIndex).toBe(2);
      } finally {
        env().clock.advance(-24 * HOUR_MS);
      }
    });

    it('skips an email step for a lead without an address, and moves on', async () => {
      const lead = await insertLead(db(), T, now(), { email: null });
      const [enrollmentId] = (await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).enrolled;
      expect(await runNurtureStep(ctx(), { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 0 })).toEqual({ kind: 'skipped', reason: 'the lead has no email address' });
      expect(await db().select({ outcome: nurtureStepRuns.outcome }).from(nurtureStepRuns).where(eq(nurtureStepRuns.enrollmentId, enrollmentId!))).toEqual([{ outcome: 'skipped' }]);
      expect((await enrollmentOf(db(), `${T}-seq`, lead.id))!.stepIndex).toBe(1);
    });

    it('fails the step when the SMTP peer refuses, leaving the enrolment where it was for the retry', async () => {
      const refusing = await startSmtpPeer({ rejectFirst: 1 });
      try {
        const mailCtx = jobContext(env(), createMailer({ smtpUrl: refusing.url, from: 'sales@jobs.test', timeoutMs: 5000 }, { info: () => {} }));
        const lead = await insertLead(db(), T, now());
        const [enrollmentId] = (await evaluateLeadNurture(mailCtx, { tenantId: T, leadId: lead.id })).enrolled;
        const job = { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 0 };
        await expect(runNurtureStep(mailCtx, job)).rejects.toThrow(/451/);
        expect(await enrollmentOf(db(), `${T}-seq`, lead.id)).toMatchObject({ status: 'active', stepIndex: 0 });
        expect(await runNurtureStep(mailCtx, job)).toMatchObject({ kind: 'emailSent' });
        expect(refusing.received).toHaveLength(1);
        expect(refusing.attempts()).toBe(2);
      } finally {
        await refusing.close();
      }
    });
  });

  describe('stop conditions', () => {
    const T = 'NU-stop';
    beforeAll(async () => {
      await seedJobTenant(db(), T, now());
      await insertSequence(db(), T, { id: `${T}-seq`, steps: [email('One'), email('Two', 24)], enrollStatuses: ['NEW', 'QUALIFIED', 'CONTACTED'] });
    });

    it.each([
      ['a status change', 'QUALIFIED', 'statusChanged'],
      ['a disqualification', 'DISQUALIFIED', 'statusChanged'],
      ['a conversion', 'CONVERTED', 'converted'],
    ] as const)('stops an enrolment on %s when the lead is evaluated', async (_what, status, reason) => {
      const lead = await insertLead(db(), T, now());
      const [enrollmentId] = (await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).enrolled;
      await db().update(leads).set({ status }).where(eq(leads.id, lead.id));
      expect(await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).toEqual({ enrolled: [], stopped: [{ enrollmentId, reason }] });
      expect(await enrollmentOf(db(), `${T}-seq`, lead.id)).toMatchObject({ status: 'stopped', stopReason: reason, nextRunAt: null });
      // The lead still matches the sequence's statuses (QUALIFIED), but an enrolment is never restarted.
      expect((await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).enrolled).toEqual([]);
    });

    it('stops at the next step, without sending, when the status changed and no evaluation ran', async () => {
      const lead = await insertLead(db(), T, now());
      const [enrollmentId] = (await evaluateLeadNurture(ctx(), { tenantId: T, leadId: lead.id })).enrolled;
      await db().update(leads).set({ status: 'CONTACTED' }).where(eq(leads.id, lead.id));
      const count = smtp.received.length;
      expect(await runNurtureStep(ctx(), { tenantId: T, enrollmentId: enrollmentId!, stepIndex: 0 })).toEqual({ kind: 'stopped', reason: 'statusChanged' });
      expect(smtp.received).toHaveLength(count);
    });

    it('stops every active enrolment of a lead that replies (POST /api/v1/nurture/replies), logging the reply', async () => {
      const e = await createReplyEnv();
      const lead = await insertLead(db(), e.tenantId, now(), { ownerId: e.rep1Id });
      const [enrollmentId] = (await evaluateLeadNurture(ctx(), { tenantId: e.tenantId, leadId: lead.id })).enrolled;
      const res = await e.rep1.post(`${API_PREFIX}/nurture/replies`, { leadId: lead.id, subject: 'Re: One', body: 'Interested, call me' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ activityId: expect.any(String), stoppedEnrollmentIds: [enrollmentId] });
      expect(await enrollmentOf(db(), `${e.sequenceId}`, lead.id)).toMatchObject({ status: 'stopped', stopReason: 'replied' });
      const [reply] = await db().select().from(activities).where(eq(activities.id, res.body.activityId));
      expect(reply).toMatchObject({ entityId: lead.id, kind: 'email', subject: 'Re: One', ownerId: e.rep1Id });
      expect(await runNurtureStep(ctx(), { tenantId: e.tenantId, enrollmentId: enrollmentId!, stepIndex: 0 })).toEqual({ kind: 'stale' });

      // Someone who may not edit the lead cannot stop its sequences; an unknown lead is a 404.
      expect((await e.rep2.post(`${API_PREFIX}/nurture/replies`, { leadId: lead.id, subject: 'Re' })).status).toBe(404);
      expect((await e.rep1.post(`${API_PREFIX}/nurture/replies`, { leadId: 'nope', subject: 'Re' })).status).toBe(404);
      expect((await e.rep1.post(`${API_PREFIX}/nurture/replies`, { leadId: lead.id })).status).toBe(400);
    });

    let replyEnv: Promise<{ tenantId: string; sequenceId: string; rep1Id: string; rep1: ReturnType<typeof as>; rep2: ReturnType<typeof as> }> | null = null;
    function createReplyEnv() {
      replyEnv ??= (async () => {
        const app = env().app;
        const seeded = await seedTenant(env(), 501, 'nurture-reply', { leads: 2, deals: 1 });
        const sequenceId = `${seeded.tenantId}-seq`;
        await insertSequence(db(), seeded.tenantId, { id: sequenceId, steps: [email('One')] });
        const rep1 = seeded.dataset.users.find((u) => u.email === 'rep1@demo.test')!;
        const s1 = await signIn(app, 'rep1@demo.test', { tenant: 'nurture-reply' });
        const s2 = await signIn(app, 'rep2@demo.test', { tenant: 'nurture-reply' });
        return { tenantId: seeded.tenantId, sequenceId, rep1Id: rep1.id, rep1: as(app, s1.accessToken), rep2: as(app, s2.accessToken) };
      })();
      return replyEnv;
    }
  });
});
