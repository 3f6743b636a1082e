// A small tenant for client-core tests: a team with a manager and reps, a gated pipeline, reasons, and a client per user.
import { join } from 'node:path';
import type { AppError } from '../../../src-shared/api/errors';
import type { Role, RoleName, User } from '../../../src-shared/domain/accounts.schema';
import type { Stage } from '../../../src-shared/domain/deals.schema';
import { DEFAULT_SCORING_CONFIG } from '../../../src-shared/domain/lead-scoring';
import { openClient } from '../../../src-main/core/client-core';
import type { ClientCore } from '../../../src-main/core/client-core';
import type { TableRows } from '../../../src-main/store/bootstrap-local';
import { DEFAULT_ROLE_PERMISSIONS } from '../../../src-main/store/default-profile';

export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
export const TENANT = 'tenant-1';
export const U = { admin: 'u-admin', manager: 'u-manager', rep1: 'u-rep1', rep2: 'u-rep2', rep3: 'u-rep3' } as const;
export const TEAM = 'team-east';
export const PIPELINE = 'pipe-sales';
export const S = { leadIn: 'st-lead-in', proposal: 'st-proposal', negotiation: 'st-negotiation', won: 'st-won', lost: 'st-lost' } as const;
export const POLICY = 'policy-big-deals';
export const REASON = { wonFit: 'r-won-fit', lostPrice: 'r-lost-price' } as const;

const user = (id: string, role: RoleName, teamId: string | null, managerId: string | null): User => ({
  id, tenantId: TENANT, email: `${id}@example.com`, name: id, role, teamId, managerId, active: true, capacity: null, territory: null, createdAt: T0,
});
const stage = (id: string, position: number, name: string, probability: number, kind: Stage['kind'], extra: Partial<Stage> = {}): Stage => ({
  id, tenantId: TENANT, pipelineId: PIPELINE, name, position, probability, kind, rottingDays: kind === 'open' ? 14 : null,
  requiredFields: [], approvalPolicyId: null, fold: kind !== 'open', ...extra,
});

export function fixtureRows(): TableRows {
  return {
    tenants: [{
      id: TENANT, name: 'Acme Sales', slug: 'acme', createdAt: T0,
      settings: { currency: 'EUR', qualification: { requiredFields: ['email'], minScore: 0 }, leadRetentionDays: 180, duplicatePolicy: 'flag', distributionFallback: { kind: 'unassigned' } },
    }],
    roles: (['admin', 'manager', 'rep'] as const).map((name): Role => ({ id: `role-${name}`, tenantId: TENANT, name, permissions: [...DEFAULT_ROLE_PERMISSIONS[name]], approvalLimitMinor: null })),
    teams: [{ id: TEAM, tenantId: TENANT, name: 'East', managerId: U.manager }],
    users: [
      user(U.admin, 'admin', null, null),
      user(U.manager, 'manager', TEAM, U.admin),
      user(U.rep1, 'rep', TEAM, U.manager),
      user(U.rep2, 'rep', TEAM, U.manager),
      user(U.rep3, 'rep', null, null),
    ],
    pipelines: [{
      id: PIPELINE, tenantId: TENANT, name: 'Sales', position: 0, configVersion: 1, currency: 'EUR', transitionMode: 'any',
      access: { viewRoles: ['admin', 'manager', 'rep'], viewTeamIds: [], moveRoles: ['admin', 'manager', 'rep'], editRoles: ['admin'] },
      createdAt: T0, updatedAt: T0,
    }],
    stages: [
      stage(S.leadIn, 0, 'Lead in', 10, 'open'),
      stage(S.proposal, 1, 'Proposal', 40, 'open', { requiredFields: ['amountMinor'] }),
      stage(S.negotiation, 2, 'Negotiation', 70, 'open', { requiredFields: ['amountMinor', 'expectedCloseDate'], approvalPolicyId: POLICY }),
      stage(S.won, 3, 'Won', 100, 'won'),
      stage(S.lost, 4, 'Lost', 0, 'lost'),
    ],
    approval_policies: [{
      id: POLICY, tenantId: TENANT, name: 'Big deals', configVersion: 1,
      levels: [
        { minAmountMinor: 10_000_00, approver: { kind: 'managerOfOwner' }, deadlineHours: 24, escalationTarget: { kind: 'role', role: 'admin' }, timeoutAction: 'reassign' },
        { minAmountMinor: 100_000_00, approver: { kind: 'role', role: 'admin' }, deadlineHours: 48, escalationTarget: null, timeoutAction: 'notify' },
      ],
    }],
    win_loss_reasons: [
      { id: REASON.wonFit, tenantId: TENANT, kind: 'won', label: 'Best fit', active: true },
      { id: REASON.lostPrice, tenantId: TENANT, kind: 'lost', label: 'Price', active: true },
    ],
    scoring_configs: [DEFAULT_SCORING_CONFIG(TENANT)],
  };
}

/** A settable clock shared by the clients of one test. */
export class TestClock {
  constructor(public now = T0) {}
  advance(ms: number): void {
    this.now += ms;
  }
  read = (): number => this.now;
}

/** Opens a client on `dir`'s store as `userId`, loading the fixture on first open. */
export function openAs(dir: string, userId: string, clock: TestClock, opts: { fresh?: boolean } = {}): ClientCore {
  const client = openClient({ dbPath: join(dir, 'crm.db'), identity: { tenantId: TENANT, userId }, clock: clock.read, checkOutputs: true, logError: () => {} });
  if (opts.fresh !== false) client.bootstrap(fixtureRows());
  return client;
}

/** Counts rows of a table, for "nothing was written" checks. */
export function count(client: ClientCore, table: string, where = '1 = 1', ...params: unknown[]): number {
  return (client.store.sqlite.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).get(...params) as { n: number }).n;
}

/** Row counts of every table that a write may touch. */
export function snapshotCounts(client: ClientCore): Record<string, number> {
  const tables = ['leads', 'lead_dedupe_keys', 'companies', 'contacts', 'deals', 'stage_history', 'activities', 'approval_requests', 'approval_events', 'notifications', 'audit_log'];
  return Object.fromEntries(tables.map((t) => [t, count(client, t)]));
}

/** Awaits a call that must be refused and returns its AppError (fails the test if the call succeeds). */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
}
