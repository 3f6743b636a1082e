// The job runner end to end through pg-boss, on PGlite and PostgreSQL: hooks to effects, retries with backoff, restarts.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { openDatabase } from '../../../src-server/db/database';
import type { Database } from '../../../src-server/db/database';
import { createContext } from '../../../src-server/app/server-context';
import type { ServerContext } from '../../../src-server/app/server-context';
import { onLeadCaptured } from '../../../src-server/jobs/lead-events';
import { QUEUES, SCHEDULES } from '../../../src-server/jobs/queues';
import { startJobs } from '../../../src-server/jobs/jobs.service';
import type { JobsConfig } from '../../../src-server/jobs/jobs.service';
import type { JobRunner, JobRunnerOptions } from '../../../src-server/jobs/job-runner';
import { evaluateLeadNurture } from '../../../src-server/jobs/nurture.jobs';
import { nurtureEnrollments } from '../../../src-server/db/schema/automation.table';
import { DATABASE_KINDS, ManualClock, createTestDatabase, createTestEnv, testConfig } from '../../helpers/server-db';
import { as, seedTenant, signIn } from '../server/api-client';
import type { DatabaseKind, TestDatabase } from '../../helpers/server-db';
import { insertLead, insertRule, insertSequence, jobContext, leadById, notificationsOf, seedJobTenant, startSmtpPeer, waitFor } from './jobs-fixtures';

const JOBS: JobsConfig = { enabled: true, smtpUrl: null, mailFrom: 'sales@jobs.test', messageIdDomain: 'jobs.test' };
// Fast polling and short retry delays keep the test quick; schedules are installed only where a test says so.
const FAST: JobRunnerOptions = { pollingIntervalSeconds: 0.5, schedules: false, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 };

function contextOver(kind: DatabaseKind, database: Database, clock = new ManualClock()): ServerContext {
  return createContext({ config: testConfig(kind), database, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), signingKey: new Uint8Array(32), clock });
}

describe.each(DATABASE_KINDS)('job runner [%s]', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function freshDatabase(): Promise<TestDatabase> {
    const testDb = await createTestDatabase(kind);
    cleanups.push(() => testDb.dispose());
    return testDb;
  }
  async function run(ctx: ServerContext, options: JobRunnerOptions = FAST, config: JobsConfig = JOBS): Promise<JobRunner> {
    const runner = await startJobs(ctx, config, options);
    cleanups.push(() => runner.stop());
    return runner;
  }

  it('turns a captured lead into a scored, distributed, nurtured lead through the queues, and installs the schedules', async () => {
    const env = await createTestEnv(kind);
    cleanups.push(() => env.dispose());
    const ctx = env.ctx;
    const now = ctx.clock.now();
    await seedJobTenant(ctx.db, 'RU', now);
    await insertRule(ctx.db, 'RU', { id: 'RU-rule', method: 'roundRobin', memberIds: ['RU-rep2', 'RU-rep1'] });
    await insertSequence(ctx.db, 'RU', { id: 'RU-seq', steps: [{ kind: 'task', waitHours: 1, subject: 'Call', body: null }] });
    const runner = await run(ctx, { ...FAST, schedules: true });
    const lead = await insertLead(ctx.db, 'RU', now, { title: 'CEO', phone: '+1 555 0100' });

    await onLeadCaptured(ctx, { tenantId: 'RU', leadId: lead.id });
    const done = await waitFor('the lead to be scored, owned and enrolled', async () => {
      const row = await leadById(ctx.db, lead.id);
      const [enrollment] = await ctx.db.select().from(nurtureEnrollments).where(and(eq(nurtureEnrollments.leadId, lead.id), eq(nurtureEnrollments.status, 'active')));
      return row.ownerId && row.score > 0 && enrollment ? row : null;
    });
    expect(done).toMatchObject({ ownerId: 'RU-rep2', score: 30 });
    expect(await notificationsOf(ctx.db, 'RU-rep2')).toMatchObject([{ kind: 'assignment', entityId: lead.id }]);

    const schedules = await runner.boss.getSchedules();
    expect(Object.fromEntries(schedules.map((s) => [s.name, s.cron]))).toEqual(SCHEDULES);

    // An edit through the API rescores the lead in the background.
    const seeded = await seedTenant(env, 601, 'runner-patch', { leads: 1, deals: 1 });
    const admin = await signIn(env.app, 'admin@demo.test', { tenant: 'runner-patch' });
    const plain = await insertLead(ctx.db, seeded.tenantId, now, { ownerId: seeded.dataset.users[0]!.id });
    const patched = await as(env.app, admin.accessToken).patch(`/api/v1/leads/${plain.id}`, { title: 'Chief Executive Officer', phone: '+49 30 1234' });
    expect(patched.status).toBe(200);
    expect(await waitFor('the edited lead to be rescored', async () => (await leadById(ctx.db, plain.id)).score)).toBe(30);
  });

  it('retries a nurture email with backoff while the SMTP server refuses it, and sends it exactly once', async () => {
    const smtp = await startSmtpPeer({ rejectFirst: 2 });
    cleanups.push(() => smtp.close());
    const { database } = await freshDatabase();
    const ctx = contextOver(kind, database);
    const now = ctx.clock.now();
    await seedJobTenant(ctx.db, 'RT', now);
    await insertSequence(ctx.db, 'RT', { id: 'RT-seq', steps: [{ kind: 'email', waitHours: 0, subject: 'Hello', body: 'Hi' }] });
    const lead = await insertLead(ctx.db, 'RT', now, { email: 'lead@retry.example' });
    const [enrollmentId] = (await evaluateLeadNurture(jobContext({ ctx, clock: ctx.clock as ManualClock }), { tenantId: 'RT', leadId: lead.id })).enrolled;
    const runner = await run(ctx, FAST, { ...JOBS, smtpUrl: smtp.url });

    const jobId = await runner.send(QUEUES.nurtureStep, { tenantId: 'RT', enrollmentId, stepIndex: 0 });
    await waitFor('the email to get through', async () => smtp.received.length > 0);
    const job = await waitFor('the job to complete', async () => {
      const [found] = await runner.boss.findJobs(QUEUES.nurtureStep, { id: jobId! });
      return found?.state === 'completed' ? found : null;
    });
    expect(smtp.attempts()).toBe(3);
    expect(smtp.received).toHaveLength(1);
    expect(job).toMatchObject({ retryCount: 2, retryBackoff: true, retryDelay: 1 });
    const [enrollment] = await ctx.db.select().from(nurtureEnrollments).where(eq(nurtureEnrollments.id, enrollmentId!));
    expect(enrollment).toMatchObject({ status: 'completed' });
  });

  it('finishes a job enqueued before a restart once the server is back', async () => {
    const testDb = kind === 'pglite' ? null : await freshDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'fieldcrm-jobs-restart-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const open = () => (testDb
      ? openDatabase({ kind: 'postgres', url: testDb.database.pool!.options.connectionString! })
      // A data directory, not memory: the queue must outlive the process's PGlite instance.
      : openDatabase({ kind: 'pglite', dataDir }));

    const first = await open();
    const ctx1 = contextOver(kind, first);
    await seedJobTenant(ctx1.db, 'RS', ctx1.clock.now());
    await insertRule(ctx1.db, 'RS', { id: 'RS-rule', method: 'leastBusy', memberIds: ['RS-rep1'] });
    const lead = await insertLead(ctx1.db, 'RS', ctx1.clock.now());
    // Enqueue only: this process does not work the queues, as if it died before getting to the job.
    const enqueuer = await startJobs(ctx1, JOBS, { ...FAST, work: false });
    expect(await enqueuer.send(QUEUES.leadDistribute, { tenantId: 'RS', leadId: lead.id })).toEqual(expect.any(String));
    await enqueuer.stop();
    await first.close();

    const second = await open();
    cleanups.push(() => second.close());
    const ctx2 = contextOver(kind, second);
    await run(ctx2);
    const owned = await waitFor('the job from before the restart to run', async () => (await leadById(ctx2.db, lead.id)).ownerId);
    expect(owned).toBe('RS-rep1');
  });
});
