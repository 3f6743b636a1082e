// The drizzle PostgreSQL table behind each replicated table name, with its key and tenant columns.
import { getTableColumns, sql } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import { replicatedKeyOf } from '../../src-shared/sync/replicated-tables';
import type { AppDb } from '../db/database';
import { queryRows } from '../db/query-rows';
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
  /** The select list naming each column by its entity field (`version` included), int8 read as a JS number. */
  selectList: SQL;
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
      // Epoch-ms instants and money fit a double exactly; the two drivers would otherwise disagree on int8.
      selectList: sql.join(Object.entries(columns).map(([field, c]) => sql`${sql.identifier(c.name)}${c.columnType === 'PgBigInt53' ? sql`::float8` : sql``} AS ${sql.identifier(field)}`), sql`, `),
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

/**
 * Rows of a replicated table as plain entities keyed by field (with `version`), read without the ORM's per-cell
 * mapping: sync reads rows by the thousand.
 */
export async function selectRows(tx: AppDb, table: ReplicatedTable, where: SQL, tail: SQL = sql``): Promise<Record<string, unknown>[]> {
  const info = pgTableOf(table);
  return queryRows<Record<string, unknown>>(tx, sql`SELECT ${info.selectList} FROM ${info.table} WHERE ${where} ${tail}`);
}
