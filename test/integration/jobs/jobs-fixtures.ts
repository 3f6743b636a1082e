// Small, explicit tenants for the job tests: rows inserted directly, a job context over a test env, an SMTP peer.
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import type { TenantSettings } from '../../../src-shared/domain/accounts.schema';
import type { ApprovalLevel } from '../../../src-shared/domain/approvals.schema';
import type { LeadFieldFilter, NurtureStep } from '../../../src-shared/domain/automation.schema';
import type { AppDb } from '../../../src-server/db/database';
import { queryRows } from '../../../src-server/db/query-rows';
import { roles, teams, tenants, users } from '../../../src-server/db/schema/accounts.table';
import { activities, notifications } from '../../../src-server/db/schema/activities.table';
import { approvalPolicies, approvalRequests, delegations } from '../../../src-server/db/schema/approvals.table';
import { distributionRules, nurtureSequences } from '../../../src-server/db/schema/automation.table';
import { deals } from '../../../src-server/db/schema/deals.table';
import { leads } from '../../../src-server/db/schema/leads.table';
import { createMailer } from '../../../src-server/mail/mailer';
import type { Mailer } from '../../../src-server/mail/mailer';
import type { JobContext } from '../../../src-server/jobs/job-context';
import type { TestEnv } from '../../helpers/server-db';

export type LeadRow = typeof leads.$inferSelect;

/** A job context over a test env's (or any server context's) database and clock. */
export function jobContext(env: Pick<TestEnv, 'ctx' | 'clock'>, mailer: Mailer = createMailer({ smtpUrl: null, from: 'crm@jobs.test' }, { info: () => {} })): JobContext {
  return { db: env.ctx.db, log: env.ctx.log, clock: env.clock, newId: () => env.ctx.newId(), mailer, messageIdDomain: 'jobs.test' };
}

const DEFAULT_SETTINGS: TenantSettings = { currency: 'EUR', qualification: { requiredFields: [], minScore: 0 }, leadRetentionDays: 180, duplicatePolicy: 'flag', distributionFallback: { kind: 'unassigned' } };

/**
 * A tenant `t` with an admin `t-admin`, a manager `t-mgr` of team `t-team`, and reps `t-rep1`, `t-rep2` in that team
 * (ids are prefixed by the tenant id so tests sharing a database never collide).
 */
export async function seedJobTenant(db: AppDb, t: string, now: number, settings: Partial<TenantSettings> = {}): Promise<void> {
  await db.insert(tenants).values({ id: t, name: `Tenant ${t}`, slug: t.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40), settings: { ...DEFAULT_SETTINGS, ...settings }, createdAt: now });
  await db.insert(roles).values([
    { id: `${t}-role-admin`, tenantId: t, name: 'admin', permissions: ['leads.viewAll', 'leads.reassign', 'deals.viewAll', 'deals.approve'], approvalLimitMinor: null },
    { id: `${t}-role-manager`, tenantId: t, name: 'manager', permissions: ['leads.viewTeam', 'leads.reassign', 'deals.viewTeam', 'deals.approve'], approvalLimitMinor: null },
    { id: `${t}-role-rep`, tenantId: t, name: 'rep', permissions: [], approvalLimitMinor: null },
  ]);
  await db.insert(teams).values({ id: `${t}-team`, tenantId: t, name: 'Team', managerId: `${t}-mgr` });
  const user = (id: string, role: 'admin' | 'manager' | 'rep', extra: Partial<typeof users.$inferInsert> = {}) => ({
    id: `${t}-${id}`, tenantId: t, email: `${id}@${t.toLowerCase()}.test`, name: id, role, teamId: role === 'admin' ? null : `${t}-team`,
    managerId: role === 'rep' ? `${t}-mgr` : null, active: true, capacity: null, territory: null, createdAt: now, ...extra,
  });
  await db.insert(users).values([user('admin', 'admin'), user('mgr', 'manager'), user('rep1', 'rep'), user('rep2', 'rep')]);
}

let leadCounter = 0;

export async function insertLead(db: AppDb, tenantId: string, now: number, fields: Partial<LeadRow> = {}): Promise<LeadRow> {
  leadCounter++;
  const row: LeadRow = {
    id: `${tenantId}-lead-${leadCounter}`, tenantId, firstName: 'Lea', lastName: `Lead${leadCounter}`, email: `lead${leadCounter}@prospect.example`, phone: null,
    companyName: null, title: null, country: null, region: null, source: null, medium: null, campaign: null, referrer: null, formKey: null,
    status: 'NEW', disqualifyReason: null, score: 0, scoreFactors: [], winProbability: null, ownerId: null, teamId: null, possibleDuplicateOf: null,
    convertedContactId: null, convertedCompanyId: null, convertedDealId: null, lastActivityAt: null, archived: false, createdAt: now, updatedAt: now,
    version: 0, ...fields,
  };
  await db.insert(leads).values(row);
  return row;
}

export async function insertActivity(db: AppDb, tenantId: string, leadId: string, kind: 'call' | 'email' | 'meeting' | 'note' | 'task', occurredAt: number): Promise<void> {
  leadCounter++;
  await db.insert(activities).values({ id: `${tenantId}-act-${leadCounter}`, tenantId, entityType: 'lead', entityId: leadId, kind, subject: kind, body: null, occurredAt, dueAt: null, doneAt: null, ownerId: null, createdAt: occurredAt });
}

export async function insertRule(db: AppDb, tenantId: string, rule: { id: string; position?: number; method: 'roundRobin' | 'leastBusy' | 'capacityWeighted'; memberIds: string[]; filters?: LeadFieldFilter[] }): Promise<void> {
  await db.insert(distributionRules).values({ id: rule.id, tenantId, name: rule.id, position: rule.position ?? 0, active: true, filters: rule.filters ?? [], method: rule.method, memberIds: rule.memberIds });
}

export async function insertSequence(db: AppDb, tenantId: string, seq: { id: string; steps: NurtureStep[]; enrollStatuses?: LeadRow['status'][]; enrollFilters?: LeadFieldFilter[]; active?: boolean }): Promise<void> {
  await db.insert(nurtureSequences).values({ id: seq.id, tenantId, name: seq.id, active: seq.active ?? true, enrollStatuses: seq.enrollStatuses ?? ['NEW'], enrollFilters: seq.enrollFilters ?? [], steps: seq.steps });
}

/** A deal `${t}-deal-…` owned by rep1 and a pending approval request for it at level `levels[0]`, due at `dueAt`. */
export async function insertPendingApproval(db: AppDb, t: string, now: number, o: { id: string; levels: ApprovalLevel[]; approverId: string | null; dueAt: number; amountMinor?: number; levelIndexes?: number[] }): Promise<void> {
  await db.insert(approvalPolicies).values({ id: `${o.id}-policy`, tenantId: t, name: 'Policy', levels: o.levels, configVersion: 1 });
  await db.insert(deals).values({
    id: `${o.id}-deal`, tenantId: t, name: `Deal ${o.id}`, amountMinor: o.amountMinor ?? 50_000_00, currency: 'EUR', discountPct: null, pipelineId: 'p', stageId: 's', status: 'open',
    ownerId: `${t}-rep1`, teamId: `${t}-team`, companyId: null, contactId: null, leadId: null, expectedCloseDate: null, probability: 50, nextStep: null,
    wonLostReasonId: null, wonLostNote: null, stageEnteredAt: now, closedAt: null, createdAt: now, updatedAt: now,
  });
  await db.insert(approvalRequests).values({
    id: o.id, tenantId: t, dealId: `${o.id}-deal`, policyId: `${o.id}-policy`, requestedBy: `${t}-rep1`,
    binding: { amountMinor: o.amountMinor ?? 50_000_00, discountPct: null, expectedCloseDate: null, targetStageId: 's2' },
    levelIndexes: o.levelIndexes ?? o.levels.map((_, i) => i), currentStep: 0, approverId: o.approverId, dueAt: o.dueAt, status: 'pending', createdAt: now, decidedAt: null,
  });
}

export async function insertDelegation(db: AppDb, t: string, d: { id: string; from: string; to: string; startsAt: number; endsAt: number }): Promise<void> {
  await db.insert(delegations).values({ id: d.id, tenantId: t, fromUserId: d.from, toUserId: d.to, startsAt: d.startsAt, endsAt: d.endsAt });
}

export async function leadById(db: AppDb, id: string): Promise<LeadRow> {
  const [row] = await db.select().from(leads).where(eq(leads.id, id));
  if (!row) throw new Error(`no lead ${id}`);
  return row;
}

export async function notificationsOf(db: AppDb, userId: string): Promise<(typeof notifications.$inferSelect)[]> {
  return db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(notifications.createdAt, notifications.id);
}

export async function auditOf(db: AppDb, entityId: string): Promise<{ action: string; before: unknown; after: unknown; actor_id: string | null }[]> {
  return queryRows(db, sql`SELECT action, before, after, actor_id FROM audit_log WHERE entity_id = ${entityId} ORDER BY at, id`);
}

export async function tenantVersion(db: AppDb, tenantId: string): Promise<number> {
  const [row] = await queryRows<{ v: string | null }>(db, sql`SELECT version::text AS v FROM tenant_versions WHERE tenant_id = ${tenantId}`);
  return Number(row?.v ?? 0);
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  messageId: string | null;
  subject: string | null;
}

/**
 * A real SMTP server on loopback (smtp-server). `rejectFirst` answers the first n messages with a temporary
 * failure (451), as a greylisting or overloaded relay would.
 */
export async function startSmtpPeer(options: { rejectFirst?: number } = {}): Promise<{ url: string; received: ReceivedMail[]; attempts: () => number; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        attempts++;
        if (attempts <= (options.rejectFirst ?? 0)) {
          callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? null;
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, messageId: header('Message-ID'), subject: header('Subject') });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls `check` every 25 ms until it returns a truthy value (returned), failing after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
