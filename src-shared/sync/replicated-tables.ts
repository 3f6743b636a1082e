// Which tables replicate to desktops, in the order a replica applies them, and how child rows hang off their parents.
import type { AuditEntry } from '../domain/activities.schema';
import type { EntityMap, TableName } from '../mutators/mutation-tx';

/** Every replicated table's row type: the mutators' entity tables plus the audit log. */
export type ReplicatedMap = EntityMap & { audit_log: AuditEntry };
export type ReplicatedTable = keyof ReplicatedMap;

/**
 * Parents before children: the order a pull walks the tables (so a page brings a deal before its stage history)
 * and a replica inserts them. Its index is the `table` of a pull position.
 */
export const REPLICATED_TABLES = [
  'tenants', 'roles', 'teams', 'users', 'scoring_configs', 'distribution_rules', 'approval_policies', 'delegations',
  'pipelines', 'stages', 'stage_transition_rules', 'win_loss_reasons', 'nurture_sequences',
  'companies', 'contacts', 'leads', 'deals', 'stage_history', 'approval_requests', 'approval_events',
  'activities', 'notifications', 'nurture_enrollments', 'audit_log', 'conflicts',
] as const satisfies readonly ReplicatedTable[];

// Compile-time check that no replicated table was forgotten above.
type Missing = Exclude<ReplicatedTable, (typeof REPLICATED_TABLES)[number]>;
const _complete: Missing extends never ? true : Missing = true;
void _complete;

export function isReplicatedTable(name: string): name is ReplicatedTable {
  return (REPLICATED_TABLES as readonly string[]).includes(name);
}

/** The primary-key field of a replicated table (every one is `id` but the per-tenant scoring config). */
export function replicatedKeyOf(table: ReplicatedTable): string {
  return table === 'scoring_configs' ? 'tenantId' : 'id';
}

/** Tables whose rows, newly arrived on a replica, have children it must ask for (they did not change, so no pull sends them). */
export type ParentTable = 'leads' | 'deals' | 'approval_requests';

export interface ChildLink {
  table: ReplicatedTable;
  /** The child's field holding the parent's id. */
  field: string;
  /** For polymorphic links (activities, audit, conflicts): the entity type the child must name. */
  entityType?: string;
}

/** The children of each parent table, as the pull's adopt and the replica's cascade on a view exit see them. */
export const CHILDREN: Record<ParentTable, readonly ChildLink[]> = {
  leads: [
    { table: 'activities', field: 'entityId', entityType: 'lead' },
    { table: 'nurture_enrollments', field: 'leadId' },
    { table: 'audit_log', field: 'entityId', entityType: 'lead' },
    { table: 'conflicts', field: 'entityId', entityType: 'lead' },
  ],
  deals: [
    { table: 'stage_history', field: 'dealId' },
    { table: 'approval_requests', field: 'dealId' },
    { table: 'activities', field: 'entityId', entityType: 'deal' },
    { table: 'audit_log', field: 'entityId', entityType: 'deal' },
    { table: 'conflicts', field: 'entityId', entityType: 'deal' },
  ],
  approval_requests: [
    { table: 'approval_events', field: 'requestId' },
    { table: 'audit_log', field: 'entityId', entityType: 'approval' },
  ],
};

export const PARENT_TABLES = Object.keys(CHILDREN) as ParentTable[];

/** Entity tables (the mutators' world), i.e. every replicated table but the audit log. */
export function isEntityTable(table: ReplicatedTable): table is TableName {
  return table !== 'audit_log';
}
