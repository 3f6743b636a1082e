// What a mutator may do to the store: typed reads and writes over entity tables, the same on desktop and server.
import type { Role, Team, Tenant, User } from '../domain/accounts.schema';
import type { Activity, AuditAction, Notification } from '../domain/activities.schema';
import type { ApprovalEvent, ApprovalPolicy, ApprovalRequest, Delegation } from '../domain/approvals.schema';
import type { DistributionRule, NurtureEnrollment, NurtureSequence, ScoringConfig } from '../domain/automation.schema';
import type { Deal, Pipeline, Stage, StageHistory, StageTransitionRule, WinLossReason } from '../domain/deals.schema';
import type { Company, Contact, Lead } from '../domain/leads.schema';
import type { Conflict } from '../sync/conflicts.schema';

/** Table name → the entity type its rows hold (camelCase fields, as in the shared schemas). */
export interface EntityMap {
  tenants: Tenant;
  users: User;
  teams: Team;
  roles: Role;
  leads: Lead;
  companies: Company;
  contacts: Contact;
  pipelines: Pipeline;
  stages: Stage;
  stage_transition_rules: StageTransitionRule;
  deals: Deal;
  stage_history: StageHistory;
  win_loss_reasons: WinLossReason;
  approval_policies: ApprovalPolicy;
  delegations: Delegation;
  approval_requests: ApprovalRequest;
  approval_events: ApprovalEvent;
  activities: Activity;
  notifications: Notification;
  scoring_configs: ScoringConfig;
  distribution_rules: DistributionRule;
  nurture_sequences: NurtureSequence;
  nurture_enrollments: NurtureEnrollment;
  /** Offline edits that met a concurrent change of a high-risk field (see src-shared/sync/merge-rules.ts). */
  conflicts: Conflict;
}
export type TableName = keyof EntityMap;

/** The primary-key field of each table; every table is keyed by `id` except the per-tenant scoring config. */
export const PRIMARY_KEY = {
  scoring_configs: 'tenantId',
} as const satisfies Partial<{ [T in TableName]: keyof EntityMap[T] & string }>;

export function primaryKeyOf(table: TableName): string {
  return (PRIMARY_KEY as Partial<Record<TableName, string>>)[table] ?? 'id';
}

type Scalar = string | number | boolean | null;
/** An equality filter over scalar fields; `null` matches a missing value. All conditions must hold. */
export type Where<E> = { [K in keyof E]?: E[K] extends Scalar ? E[K] : never };

export interface WriteOptions {
  /** The audit action to record instead of the plain create/update/delete (e.g. `move`, `assign`, `merge`). */
  action?: AuditAction;
  /** Extra facts for the audit entry's `after` (e.g. the lead merged into this one), written even with no diff. */
  note?: Record<string, unknown>;
}

/**
 * One transaction's view of the store, scoped to the actor's tenant: reads never see another tenant's rows and
 * writes refuse them. Each implementation (desktop SQLite, server PostgreSQL) must, in the same transaction:
 * audit every write to an audited table (actor, entity, before/after of the changed fields only), stamp
 * `updatedAt` with the mutation's `now` when an update changes something, and keep derived indexes (the leads'
 * duplicate match keys) in step. Methods are async because the server's database is.
 */
export interface MutationTx {
  get<T extends TableName>(table: T, key: string): Promise<EntityMap[T] | undefined>;
  find<T extends TableName>(table: T, where: Where<EntityMap[T]>): Promise<EntityMap[T][]>;
  insert<T extends TableName>(table: T, row: EntityMap[T], opts?: WriteOptions): Promise<void>;
  /** Applies the changed fields of `patch` and returns the row after; throws NOT_FOUND when it does not exist. */
  update<T extends TableName>(table: T, key: string, patch: Partial<EntityMap[T]>, opts?: WriteOptions): Promise<EntityMap[T]>;
  /** Throws NOT_FOUND when the row does not exist. */
  delete<T extends TableName>(table: T, key: string, opts?: WriteOptions): Promise<void>;
}
