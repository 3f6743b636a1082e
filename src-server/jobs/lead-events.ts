// Hooks the rest of the server calls after a lead-related write commits; they enqueue the background jobs it needs.
import type { ServerContext } from '../app/server-context';
import { QUEUES } from './queues';
import type { JobSender, LeadJob, QueueName } from './queues';

/**
 * The job sender of each running server context, set by the jobs service while it runs. Kept out of the context
 * itself so areas that never enqueue need not know about jobs; with no runner (jobs disabled, a test without
 * them) the hooks do nothing and the periodic sweeps pick the work up.
 */
const senders = new WeakMap<object, JobSender>();

export function attachJobSender(ctx: object, sender: JobSender): void {
  senders.set(ctx, sender);
}

export function detachJobSender(ctx: object): void {
  senders.delete(ctx);
}

export function jobSenderOf(ctx: object): JobSender | null {
  return senders.get(ctx) ?? null;
}

type HookContext = Pick<ServerContext, 'log'>;

async function enqueue(ctx: HookContext, jobs: [QueueName, object][]): Promise<void> {
  const sender = jobSenderOf(ctx);
  if (!sender) return;
  for (const [queue, data] of jobs) {
    try {
      await sender.send(queue, data);
    } catch (err) {
      // The write has committed; a lost enqueue is caught up by the sweeps, so it must not fail the request.
      ctx.log.error({ err, queue, data }, 'could not enqueue a background job');
    }
  }
}

/**
 * A lead was captured (web form, webhook): score it, distribute it, consider it for nurturing. Call after the
 * capture transaction committed (on PGlite, enqueuing inside it would wait for itself).
 */
export async function onLeadCaptured(ctx: HookContext, lead: LeadJob): Promise<void> {
  await enqueue(ctx, [
    [QUEUES.leadRescore, lead],
    [QUEUES.leadDistribute, lead],
    [QUEUES.leadNurture, lead],
  ]);
}

/** A lead was created by a user (distributed only if it has no owner) or changed (fields, status, conversion). */
export async function onLeadChanged(ctx: HookContext, lead: LeadJob & { created?: boolean; unowned?: boolean }): Promise<void> {
  const job: LeadJob = { tenantId: lead.tenantId, leadId: lead.leadId };
  const jobs: [QueueName, object][] = [[QUEUES.leadRescore, job], [QUEUES.leadNurture, job]];
  if (lead.created && lead.unowned) jobs.push([QUEUES.leadDistribute, job]);
  await enqueue(ctx, jobs);
}

/** An activity was logged on a lead: its engagement score changes. */
export async function onLeadActivityLogged(ctx: HookContext, lead: LeadJob): Promise<void> {
  await enqueue(ctx, [[QUEUES.leadRescore, lead]]);
}
