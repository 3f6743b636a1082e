// The drizzle PostgreSQL table behind each replicated table name, with its key and tenant columns.
import { getTableColumns } from 'drizzle-orm';
import type { AnyColumn } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import { replicatedKeyOf } from '../../src-shared/sync/replicated-tables';
import * as t from '../db/schema/all-tables';

const TABLES: { [T in ReplicatedTable]: PgTable } = {
  tenants: t.tenants,
  users: t.users,
  teams: t.teams,
  roles: t.roles,
  leads: t.leads,
  companies: t.companies,
  contacts: t.contacts,
  pipelines: t.pipelines,
  stages: t.stages,
  stage_transition_rules: t.stageTransitionRules,
  deals: t.deals,
  stage_history: t.stageHistory,
  win_loss_reasons: t.winLossReasons,
  approval_policies: t.approvalPolicies,
  delegations: t.delegations,
  approval_requests: t.approvalRequests,
  approval_events: t.approvalEvents,
  activities: t.activities,
  notifications: t.notifications,
  scoring_configs: t.scoringConfigs,
  distribution_rules: t.distributionRules,
  nurture_sequences: t.nurtureSequences,
  nurture_enrollments: t.nurtureEnrollments,
  audit_log: t.auditLog,
  conflicts: t.conflicts,
};

export interface PgTableInfo {
  name: ReplicatedTable;
  table: PgTable;
  /** Entity field → column. */
  columns: Record<string, AnyColumn>;
  /** Entity fields in column order, `version` excluded. */
  fields: string[];
  pk: AnyColumn;
  tenant: AnyColumn;
  version: AnyColumn;
  hasUpdatedAt: boolean;
}

const infos = new Map<ReplicatedTable, PgTableInfo>();

export function pgTableOf(name: ReplicatedTable): PgTableInfo {
  let info = infos.get(name);
  if (!info) {
    const table = TABLES[name];
    const columns = getTableColumns(table) as Record<string, AnyColumn>;
    const col = (key: string) => {
      const c = columns[key];
      if (!c) throw new Error(`${name} has no field ${key}`);
      return c;
    };
    info = {
      name,
      table,
      columns,
      fields: Object.keys(columns).filter((k) => k !== 'version'),
      pk: col(replicatedKeyOf(name)),
      tenant: col(name === 'tenants' ? 'id' : 'tenantId'),
      version: col('version'),
      hasUpdatedAt: 'updatedAt' in columns,
    };
    infos.set(name, info);
  }
  return info;
}

/** A selected row without its bookkeeping `version`: the entity as the shared code knows it. */
export function withoutVersion<T>(row: Record<string, unknown>): T {
  const { version: _v, ...entity } = row;
  return entity as T;
}
