// Runs the background jobs on pg-boss in the tenant database (PGlite in-process or PostgreSQL): queues, workers, schedules.
import { PgBoss, fromPglite } from 'pg-boss';
import type { Job, Queue, SendOptions, WorkOptions } from 'pg-boss';
import type { Database } from '../db/database';
import type { JobContext } from './job-context';
import { QUEUES, SCHEDULES } from './queues';
import type { JobSender, LeadJob, NurtureStepJob, QueueName } from './queues';
import { decayAllLeads, rescoreLead } from './scoring.jobs';
import { distributeLeadJob, undistributedLeads } from './distribution.jobs';
import { escalateOverdueApprovals } from './escalation.jobs';
import { dueNurtureSteps, enrollSweep, evaluateLeadNurture, runNurtureStep } from './nurture.jobs';
import { archiveStaleLeads } from './archiving.jobs';

export interface JobRunnerOptions {
  /**
   * Seconds between polls of each worker. Kept at 5 or less: a new job wakes its worker through NOTIFY at once,
   * but a retry coming due does not, so polling is what picks retries up.
   */
  pollingIntervalSeconds?: number;
  /** Install the recurring schedules (on by default; tests drive sweeps themselves). */
  schedules?: boolean;
  /** Attempts after the first, with exponential backoff from `retryDelaySeconds` up to `retryDelayMaxSeconds`. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryDelayMaxSeconds?: number;
  /** Which queues get workers (all by default); a process may enqueue without working. */
  work?: boolean;
  /** Unfinished distribution older than this is the sweep's to pick up (ms). */
  sweepGraceMs?: number;
}

export interface JobRunner extends JobSender {
  readonly boss: PgBoss;
  /** Stops fetching, waits up to `timeoutMs` for running handlers, then stops; unfinished jobs run after a restart. */
  stop(timeoutMs?: number): Promise<void>;
}

// Per-key dedupe: at most one waiting and one running job per lead (or enrolment step); a duplicate send while one
// waits is dropped, as the waiting job will read the latest state anyway.
const PER_KEY: Pick<Queue, 'policy'> = { policy: 'stately' };
// Sweeps and daily passes: never two at once, never a pile of missed runs.
const ONE_AT_A_TIME: Pick<Queue, 'policy'> = { policy: 'stately' };

function bossFor(database: Database): PgBoss {
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('PGlite database without its instance');
    return new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite', useListenNotify: true });
  }
  const connectionString = database.pool?.options.connectionString;
  if (!connectionString) throw new Error('PostgreSQL database without a connection string for the job queue');
  return new PgBoss({ connectionString, max: 4, application_name: 'fieldcrm-jobs', useListenNotify: true });
}

const keyOf = (queue: QueueName, data: object): string | undefined => {
  if (queue === QUEUES.nurtureStep) {
    const d = data as NurtureStepJob;
    return `${d.enrollmentId}:${d.stepIndex}`;
  }
  if (queue === QUEUES.leadRescore || queue === QUEUES.leadDistribute || queue === QUEUES.leadNurture) return (data as LeadJob).leadId;
  return undefined;
};

export async function startJobRunner(ctx: JobContext, database: Database, options: JobRunnerOptions = {}): Promise<JobRunner> {
  const log = ctx.log;
  const polling = Math.min(5, options.pollingIntervalSeconds ?? 2);
  const retry: Partial<Queue> = {
    retryLimit: options.retryLimit ?? 5,
    retryDelay: options.retryDelaySeconds ?? 5,
    retryBackoff: true,
    retryDelayMax: options.retryDelayMaxSeconds ?? 600,
  };
  const boss = bossFor(database);
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  boss.on('warning', (warning) => log.warn({ warning }, 'job queue warning'));
  await boss.start();

  const queueOptions: Record<QueueName, Omit<Queue, 'name'>> = {
    [QUEUES.leadRescore]: { ...PER_KEY, ...retry, notify: true, expireInSeconds: 120 },
    [QUEUES.leadDistribute]: { ...PER_KEY, ...retry, notify: true, expireInSeconds: 120 },
    [QUEUES.leadNurture]: { ...PER_KEY, ...retry, notify: true, expireInSeconds: 120 },
    [QUEUES.nurtureStep]: { ...PER_KEY, ...retry, notify: true, expireInSeconds: 300 },
    [QUEUES.leadsDecay]: { ...ONE_AT_A_TIME, ...retry, expireInSeconds: 3600 },
    [QUEUES.leadsArchive]: { ...ONE_AT_A_TIME, ...retry, expireInSeconds: 3600 },
    [QUEUES.approvalsEscalate]: { ...ONE_AT_A_TIME, ...retry, expireInSeconds: 600 },
    [QUEUES.nurtureDue]: { ...ONE_AT_A_TIME, ...retry, expireInSeconds: 600 },
    [QUEUES.nurtureEnrollSweep]: { ...ONE_AT_A_TIME, ...retry, expireInSeconds: 3600 },
    [QUEUES.distributionSweep]: { ...ONE_AT_A_TIME, ...retry, expireInSeconds: 600 },
  };
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const [name, opts] of Object.entries(queueOptions)) {
    if (existing.has(name)) {
      const { policy: _p, ...changeable } = opts;
      await boss.updateQueue(name, changeable);
    } else {
      await boss.createQueue(name, opts);
    }
  }

  const send = async (queue: QueueName, data: object, sendOptions: SendOptions = {}): Promise<string | null> => {
    const singletonKey = keyOf(queue, data);
    return boss.send(queue, data, singletonKey === undefined ? sendOptions : { singletonKey, ...sendOptions });
  };

  if (options.work !== false) {
    const workOptions: WorkOptions = { pollingIntervalSeconds: polling, notifyPollingIntervalSeconds: polling };
    const work = async <T extends object>(queue: QueueName, handler: (data: T) => Promise<unknown>) => {
      await boss.work<T>(queue, workOptions, async (jobs: Job<T>[]) => {
        for (const job of jobs) {
          try {
            const result = await handler(job.data);
            // Debug, not info: the sweeps run every minute and would drown the log.
            log.debug({ queue, jobId: job.id, result }, 'job done');
          } catch (err) {
            log.warn({ err, queue, jobId: job.id }, 'job failed; it will be retried with backoff');
            throw err;
          }
        }
      });
    };
    const grace = options.sweepGraceMs ?? 60_000;
    await work<LeadJob>(QUEUES.leadRescore, (d) => rescoreLead(ctx, d));
    await work<LeadJob>(QUEUES.leadDistribute, (d) => distributeLeadJob(ctx, d));
    await work<LeadJob>(QUEUES.leadNurture, (d) => evaluateLeadNurture(ctx, d));
    await work<NurtureStepJob>(QUEUES.nurtureStep, async (d) => {
      const result = await runNurtureStep(ctx, d);
      if (result.kind === 'taskCreated') await send(QUEUES.leadRescore, { tenantId: d.tenantId, leadId: result.leadId });
      return result;
    });
    await work(QUEUES.leadsDecay, () => decayAllLeads(ctx));
    await work(QUEUES.leadsArchive, () => archiveStaleLeads(ctx));
    await work(QUEUES.approvalsEscalate, async () => (await escalateOverdueApprovals(ctx)).length);
    await work(QUEUES.nurtureEnrollSweep, () => enrollSweep(ctx));
    await work(QUEUES.nurtureDue, async () => {
      const due = await dueNurtureSteps(ctx.db, ctx.clock.now());
      for (const step of due) await send(QUEUES.nurtureStep, step);
      return due.length;
    });
    await work(QUEUES.distributionSweep, async () => {
      const leads = await undistributedLeads(ctx.db, ctx.clock.now() - grace);
      for (const lead of leads) await send(QUEUES.leadDistribute, lead);
      return leads.length;
    });
  }

  if (options.schedules !== false) {
    for (const [queue, cron] of Object.entries(SCHEDULES)) await boss.schedule(queue, cron, null, { tz: 'UTC' });
  }

  let stopping: Promise<void> | null = null;
  return {
    boss,
    send,
    stop(timeoutMs = 10_000) {
      stopping ??= boss.stop({ graceful: true, timeout: timeoutMs, close: true });
      return stopping;
    },
  };
}
