// The background job queues: names, payloads, and how often the recurring ones run.
import type { SendOptions } from 'pg-boss';

export const QUEUES = {
  /** Rescore one lead after it or its timeline changed. */
  leadRescore: 'lead.rescore',
  /** Give an unowned lead an owner (or team) by the tenant's distribution rules. */
  leadDistribute: 'lead.distribute',
  /** Enrol one lead in matching nurture sequences and stop enrolments it no longer qualifies for. */
  leadNurture: 'lead.nurture',
  /** Carry out one step of one nurture enrolment (send the email, create the task). */
  nurtureStep: 'nurture.step',
  /** Daily: rescore every non-archived lead, so engagement decays with time. */
  leadsDecay: 'leads.decay',
  /** Daily: archive terminal leads older than the tenant's retention. */
  leadsArchive: 'leads.archive',
  /** Every minute: apply the timeout action of approvals past their deadline. */
  approvalsEscalate: 'approvals.escalate',
  /** Every minute: enqueue the nurture steps that have come due. */
  nurtureDue: 'nurture.due',
  /** Hourly: enrol leads that match a sequence but were never evaluated (e.g. a sequence created later). */
  nurtureEnrollSweep: 'nurture.enroll-sweep',
  /** Every five minutes: distribute unowned leads whose distribution job never ran (e.g. a crash after capture). */
  distributionSweep: 'distribution.sweep',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface LeadJob {
  tenantId: string;
  leadId: string;
}

export interface NurtureStepJob {
  tenantId: string;
  enrollmentId: string;
  stepIndex: number;
}

/** Cron expressions (UTC) of the recurring jobs. */
export const SCHEDULES: Readonly<Partial<Record<QueueName, string>>> = {
  [QUEUES.leadsDecay]: '15 3 * * *',
  [QUEUES.leadsArchive]: '45 3 * * *',
  [QUEUES.approvalsEscalate]: '* * * * *',
  [QUEUES.nurtureDue]: '* * * * *',
  [QUEUES.nurtureEnrollSweep]: '7 * * * *',
  [QUEUES.distributionSweep]: '*/5 * * * *',
};

/** Anything that can enqueue a job: the running PgBoss, or a stand-in in tests. */
export interface JobSender {
  send(queue: QueueName, data: object, options?: SendOptions): Promise<string | null>;
}
