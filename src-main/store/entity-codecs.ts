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
  conflicts: t.conflicts,
};

/** Columns the store keeps for sync that are not entity fields. */
const BOOKKEEPING = new Set(['version']);

type Kind = 'plain' | 'json' | 'bool';

export interface ColumnCodec {
  key: string;
  sql: string;
  kind: Kind;
}

/**
 * Configuration tables, read by nearly every mutation (the scoring config for each lead a bulk import creates):
 * their JSON values are decoded once per distinct text and shared, frozen so no reader can change another's copy.
 */
const SHARED_DECODE: ReadonlySet<TableName> = new Set(['tenants', 'roles', 'pipelines', 'stages', 'scoring_configs', 'approval_policies', 'distribution_rules', 'nurture_sequences']);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
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
  private readonly shared: boolean;
  /** Per column: the last JSON text decoded and its frozen value (shared-decode tables only). */
  private readonly lastJson: { raw: unknown; value: unknown }[];

  constructor(readonly name: TableName, table: SQLiteTable) {
    this.columns = Object.entries(getTableColumns(table))
      .filter(([, col]) => !BOOKKEEPING.has(col.name))
      .map(([key, col]) => ({ key, sql: col.name, kind: col.columnType === 'SQLiteTextJson' ? 'json' : col.columnType === 'SQLiteBoolean' ? 'bool' : 'plain' }));
    if (getTableConfig(table).name !== name) throw new Error(`entity table ${name} maps to ${getTableConfig(table).name}`);
    this.byKey = new Map(this.columns.map((c) => [c.key, c]));
    this.pk = this.column(primaryKeyOf(name));
    this.tenantColumn = this.column(name === 'tenants' ? 'id' : 'tenantId');
    this.selectList = this.columns.map((c) => `"${c.sql}"`).join(', ');
    this.shared = SHARED_DECODE.has(name);
    this.lastJson = this.columns.map(() => ({ raw: undefined, value: undefined }));
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

  /**
   * An entity from a raw row selected with `selectList`. `shareJson` (mutation reads) lets configuration tables
   * hand out shared frozen JSON values; API reads get plain copies their callers may keep and change.
   */
  fromRaw(values: unknown[], shareJson = false): E {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i]!;
      const raw = values[i];
      if (shareJson && this.shared && c.kind === 'json' && raw !== null) {
        const memo = this.lastJson[i]!;
        if (memo.raw !== raw) {
          memo.value = deepFreeze(decodeValue(c.kind, raw));
          memo.raw = raw;
        }
        out[c.key] = memo.value;
      } else out[c.key] = decodeValue(c.kind, raw);
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
