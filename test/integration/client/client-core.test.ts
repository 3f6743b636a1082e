// openClient as scripts use it: a standalone profile, typed calls, errors as data, events, and store/entity parity.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AppError } from '../../../src-shared/api/errors';
import { Role, Team, Tenant, User } from '../../../src-shared/domain/accounts.schema';
import { Activity, Notification } from '../../../src-shared/domain/activities.schema';
import { ApprovalEvent, ApprovalPolicy, ApprovalRequest, Delegation } from '../../../src-shared/domain/approvals.schema';
import { DistributionRule, NurtureEnrollment, NurtureSequence, ScoringConfig } from '../../../src-shared/domain/automation.schema';
import { Deal, Pipeline, Stage, StageHistory, StageTransitionRule, WinLossReason } from '../../../src-shared/domain/deals.schema';
import { Company, Contact, Lead } from '../../../src-shared/domain/leads.schema';
import type { TableName } from '../../../src-shared/mutators/mutation-tx';
import { openClient } from '../../../src-main/core/client-core';
import { codecOf, ENTITY_TABLES } from '../../../src-main/store/entity-codecs';
import { openAs, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';
import { Conflict } from '../../../src-shared/sync/conflicts.schema';

const tempDir = useTempDirs();

describe('openClient', () => {
  it('opens a fresh profile standalone (tenant, local admin, a pipeline) and remembers who it is on reopen', async () => {
    const dataDir = tempDir();
    const client = openClient({ dataDir, checkOutputs: true });
    const [sales] = await client.call('pipelines.list', {});
    expect(sales!.stages.map((s) => s.kind)).toEqual(['open', 'open', 'open', 'won', 'lost']);
    const { lead } = await client.call('leads.create', { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.org' });
    await client.call('leads.qualify', { id: lead.id });
    const { deal } = await client.call('leads.convert', { leadId: lead.id, deal: { pipelineId: sales!.pipeline.id } });
    expect(deal).toMatchObject({ ownerId: client.identity.userId, stageId: sales!.stages[0]!.id });
    // UUIDv7: time-ordered ids made on this desktop.
    expect(lead.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const identity = client.identity;
    await client.close();
    const again = openClient({ dataDir });
    expect(again.identity).toEqual(identity);
    expect((await again.call('leads.get', { id: lead.id })).status).toBe('CONVERTED');
    await again.close();
  });

  it('refuses to open a store of one tenant as another tenant', async () => {
    const dir = tempDir();
    const client = openAs(dir, U.rep1, new TestClock());
    await client.close();
    expect(() => openClient({ dbPath: `${dir}/crm.db`, identity: { tenantId: 'tenant-2', userId: 'u-x' } })).toThrow(/belongs to tenant tenant-1/);
  });

  it('refuses unknown methods and invalid input as data, naming the fields', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    await expect(client.call('leads.teleport' as never, {} as never)).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    const err = await client.call('leads.queue', { limit: 0, status: ['WEIRD' as never] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).toBody()).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'status.0' }, { path: 'limit' }] });
    await client.close();
  });

  it('turns unexpected failures into INTERNAL, logged, without leaking details', async () => {
    const logged: string[] = [];
    const dir = tempDir();
    const client = openAs(dir, U.rep1, new TestClock());
    await client.close();
    const broken = openClient({ dbPath: `${dir}/crm.db`, logError: (m) => logged.push(m) });
    broken.store.sqlite.exec('DROP TABLE notifications');
    const err = await broken.call('notifications.list', {}).catch((e: unknown) => e);
    expect((err as AppError).toBody()).toEqual({ code: 'INTERNAL', message: 'internal error' });
    expect(logged).toEqual(['notifications.list failed']);
    await broken.close();
    await expect(broken.call('leads.queue', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('emits changed only after a commit, never for a refused write', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const events: string[][] = [];
    const off = client.on('changed', (e) => events.push(e.mutations));
    await client.call('leads.create', { title: 'nobody' }).catch(() => undefined);
    await client.call('leads.create', { lastName: 'A' });
    off();
    await client.call('leads.create', { lastName: 'B' });
    expect(events).toEqual([['leads.create']]);
    await client.close();
  });
});

/** The shared entity schema of each store table: the store must hold exactly the entity's fields. */
const ENTITY_SCHEMAS: Record<TableName, z.ZodObject> = {
  tenants: Tenant, users: User, teams: Team, roles: Role, leads: Lead, companies: Company, contacts: Contact,
  pipelines: Pipeline, stages: Stage, stage_transition_rules: StageTransitionRule, deals: Deal, stage_history: StageHistory,
  win_loss_reasons: WinLossReason, approval_policies: ApprovalPolicy, delegations: Delegation, approval_requests: ApprovalRequest,
  approval_events: ApprovalEvent, activities: Activity, notifications: Notification, scoring_configs: ScoringConfig,
  distribution_rules: DistributionRule, nurture_sequences: NurtureSequence, nurture_enrollments: NurtureEnrollment,
  conflicts: Conflict,
};

describe('entity tables', () => {
  it.each(Object.keys(ENTITY_TABLES) as TableName[])('%s stores exactly the fields of its entity', (table) => {
    expect(codecOf(table).columns.map((c) => c.key).sort()).toEqual(Object.keys(ENTITY_SCHEMAS[table].shape).sort());
  });
});
