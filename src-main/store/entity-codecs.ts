// Maps each entity table between camelCase entities and SQLite rows, with column lists for prepared statements.
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { EntityMap, TableName } from '../../src-shared/mutators/mutation-tx';
import { primaryKeyOf } from '../../src-shared/mutators/mutation-tx';
import * as t from './schema/all-tables';

/** The drizzle table behind each entity table name. */
export const ENTITY_TABLES: { [T in TableName]: SQLiteTable } = {
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
};

/** Columns the store keeps for sync that are not entity fields. */
const BOOKKEEPING = new Set(['version']);

type Kind = 'plain' | 'json' | 'bool';

export interface ColumnCodec {
  key: string;
  sql: string;
  kind: Kind;
}

export function encodeValue(kind: Kind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'json') return JSON.stringify(v);
  if (kind === 'bool') return v ? 1 : 0;
  return v;
}

function decodeValue(kind: Kind, v: unknown): unknown {
  if (v === null) return null;
  if (kind === 'json') return JSON.parse(v as string);
  if (kind === 'bool') return v === 1;
  return v;
}

export class TableCodec<E> {
  readonly columns: ColumnCodec[];
  readonly byKey: Map<string, ColumnCodec>;
  readonly pk: ColumnCodec;
  /** The column holding the tenant (a tenant row's own id). */
  readonly tenantColumn: ColumnCodec;
  readonly selectList: string;

  constructor(readonly name: TableName, table: SQLiteTable) {
    this.columns = Object.entries(getTableColumns(table))
      .filter(([, col]) => !BOOKKEEPING.has(col.name))
      .map(([key, col]) => ({ key, sql: col.name, kind: col.columnType === 'SQLiteTextJson' ? 'json' : col.columnType === 'SQLiteBoolean' ? 'bool' : 'plain' }));
    if (getTableConfig(table).name !== name) throw new Error(`entity table ${name} maps to ${getTableConfig(table).name}`);
    this.byKey = new Map(this.columns.map((c) => [c.key, c]));
    this.pk = this.column(primaryKeyOf(name));
    this.tenantColumn = this.column(name === 'tenants' ? 'id' : 'tenantId');
    this.selectList = this.columns.map((c) => `"${c.sql}"`).join(', ');
  }

  column(key: string): ColumnCodec {
    const c = this.byKey.get(key);
    if (!c) throw new Error(`${this.name} has no field ${key}`);
    return c;
  }

  /** Statement parameters for every column, in column order. */
  toParams(entity: E): unknown[] {
    const row = entity as Record<string, unknown>;
    return this.columns.map((c) => encodeValue(c.kind, row[c.key]));
  }

  /** An entity from a raw row selected with `selectList`. */
  fromRaw(values: unknown[]): E {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i]!;
      out[c.key] = decodeValue(c.kind, values[i]);
    }
    return out as E;
  }
}

const codecs = new Map<TableName, TableCodec<unknown>>();

export function codecOf<T extends TableName>(name: T): TableCodec<EntityMap[T]> {
  let c = codecs.get(name);
  if (!c) {
    c = new TableCodec(name, ENTITY_TABLES[name]);
    codecs.set(name, c);
  }
  return c as TableCodec<EntityMap[T]>;
}
