// The background-jobs service of the server: reads its configuration, starts the runner, wires the lead hooks.
import { z } from 'zod';
import { ConfigError } from '../config/server-config';
import type { BackgroundService } from '../app/server-areas';
import type { ServerContext } from '../app/server-context';
import { createMailer } from '../mail/mailer';
import type { Mailer } from '../mail/mailer';
import { attachJobSender, detachJobSender } from './lead-events';
import { startJobRunner } from './job-runner';
import type { JobRunner, JobRunnerOptions } from './job-runner';

export interface JobsConfig {
  /** `JOBS_ENABLED=false` runs a process that serves HTTP only (another process works the queues). */
  enabled: boolean;
  /** `SMTP_URL`, e.g. `smtp://127.0.0.1:2525`; unset logs outgoing mail instead of sending it. */
  smtpUrl: string | null;
  /** `MAIL_FROM`, the sender of nurture emails. */
  mailFrom: string;
  /** The domain of nurture emails' Message-IDs: the sender address's domain. */
  messageIdDomain: string;
}

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const Env = z.object({
  JOBS_ENABLED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0']).optional()),
  SMTP_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional()),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().max(320).optional()),
});

export function loadJobsConfig(env: Record<string, string | undefined> = process.env): JobsConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const mailFrom = e.MAIL_FROM ?? 'FieldCRM <no-reply@fieldcrm.localhost>';
  const domain = /@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'fieldcrm.localhost';
  return { enabled: e.JOBS_ENABLED === undefined || e.JOBS_ENABLED === 'true' || e.JOBS_ENABLED === '1', smtpUrl: e.SMTP_URL ?? null, mailFrom, messageIdDomain: domain };
}

/** Starts the runner over a server context with a mailer; `stop` stops the runner, then closes the mailer. */
export async function startJobs(ctx: ServerContext, config: JobsConfig, options: JobRunnerOptions = {}, mailer?: Mailer): Promise<JobRunner> {
  const mail = mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom }, ctx.log);
  const runner = await startJobRunner({ db: ctx.db, log: ctx.log, clock: ctx.clock, newId: () => ctx.newId(), mailer: mail, messageIdDomain: config.messageIdDomain }, ctx.database, options);
  attachJobSender(ctx, runner);
  return {
    boss: runner.boss,
    send: runner.send,
    async stop(timeoutMs) {
      detachJobSender(ctx);
      try {
        await runner.stop(timeoutMs);
      } finally {
        mail.close();
      }
    },
  };
}

/**
 * The service `startServer` runs: one runner per server context it is started with. Starting returns at once and
 * the runner comes up in the background (pg-boss installs or migrates its schema first), so HTTP is served, and a
 * signal handled, without waiting for it; until it is up, lead hooks enqueue nothing and the sweeps catch up.
 * Stopping waits for a runner still starting, then stops it, before the database closes.
 */
export function createJobsService(env: Record<string, string | undefined> = process.env): BackgroundService {
  const runners: Promise<JobRunner | null>[] = [];
  return {
    name: 'jobs',
    async start(ctx) {
      const config = loadJobsConfig(env);
      if (!config.enabled) {
        ctx.log.info('background jobs disabled (JOBS_ENABLED=false)');
        return;
      }
      runners.push(startJobs(ctx, config).then(
        (runner) => {
          ctx.log.info({ smtp: config.smtpUrl ? 'configured' : 'not set: mail is logged' }, 'background jobs started');
          return runner;
        },
        (err: unknown) => {
          ctx.log.error({ err }, 'background jobs could not start; the server runs without them');
          return null;
        },
      ));
    },
    async stop() {
      for (const runner of await Promise.all(runners.splice(0))) await runner?.stop();
    },
  };
}
