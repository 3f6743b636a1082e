// The drizzle PostgreSQL table behind each replicated table name, with its key and tenant columns.
import { getTableColumns, sql } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ReplicatedTable } from '../../src-shared/sync/replicated-tables';
import { replicatedKeyOf } from '../../src-shared/sync/replicated-tables';
import { VISIBILITY_FIELDS } from '../../src-shared/sync/sync-visibility';
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
  /**
   * The select list of a row as the pull sends it: the fields the visibility rules read (VISIBILITY_FIELDS and the
   * key), and ROW_JSON, the JSON text of the array of every field's value in `fields` order, then `version`.
   */
  servedList: SQL;
}

/** The column of a served row (see PgTableInfo.servedList) holding its JSON text. */
export const ROW_JSON = '$row';

const infos = new Map<ReplicatedTable, PgTableInfo>();

// Epoch-ms instants and money fit a double exactly; the two drivers would otherwise disagree on int8.
const selectList = (columns: [string, AnyColumn][]): SQL =>
  sql.join(columns.map(([field, c]) => sql`${sql.identifier(c.name)}${c.columnType === 'PgBigInt53' ? sql`::float8` : sql``} AS ${sql.identifier(field)}`), sql`, `);

/**
 * See PgTableInfo.servedList. PostgreSQL writes the row's JSON (an int8 as its digits, jsonb as its JSON, text
 * escaped), so the server makes no value of it; json_build_array takes at most 100 values, far more than any table has.
 */
function servedList(columns: Record<string, AnyColumn>, key: string): SQL {
  const judged = Object.entries(columns).filter(([field]) => field === key || (VISIBILITY_FIELDS as readonly string[]).includes(field));
  const values = [...Object.entries(columns).filter(([field]) => field !== 'version'), ['version', columns['version']!] as const];
  return sql`${selectList(judged)}, json_build_array(${sql.join(values.map(([, c]) => sql.identifier(c.name)), sql`, `)})::text AS ${sql.identifier(ROW_JSON)}`;
}

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
      selectList: selectList(Object.entries(columns)),
      servedList: servedList(columns, replicatedKeyOf(name)),
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
 * mapping: sync reads rows by the thousand. `served`: rows as a pull sends them (see PgTableInfo.servedList).
 */
export async function selectRows(tx: AppDb, table: ReplicatedTable, where: SQL, tail: SQL = sql``, served = false): Promise<Record<string, unknown>[]> {
  const info = pgTableOf(table);
  return queryRows<Record<string, unknown>>(tx, sql`SELECT ${served ? info.servedList : info.selectList} FROM ${info.table} WHERE ${where} ${tail}`);
}
