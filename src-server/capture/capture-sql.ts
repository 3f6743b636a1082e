// The capture path's statements as constant text: prepared once per connection on PostgreSQL, rows passed as JSON.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/database';
import { tenants } from '../db/schema/accounts.table';
import { activities, auditLog } from '../db/schema/activities.table';
import { scoringConfigs } from '../db/schema/automation.table';
import { tenantVersions } from '../db/schema/auth.table';
import { captureSubmissions } from '../db/schema/capture.table';
import { leadDedupeKeys, leads } from '../db/schema/leads.table';

/*
 * Why not the query builder: a batch's statements are planned anew each time they are sent unprepared, and at
 * capture's rates planning cost the database more than running them; drizzle's multi-row `values()` also binds one
 * parameter per column per row. Here each statement's text never changes (a part with no rows gets an empty JSON
 * array), so node-postgres prepares it once per connection, and rows travel as one JSON parameter expanded by
 * `jsonb_to_recordset`. Table and column names still come from the drizzle schema, so a renamed column breaks
 * this at start, not in production.
 */

/** Runs a named constant statement: prepared per connection on PostgreSQL, plain on PGlite (one in-process session). */
export interface SqlRunner {
  rows<T>(name: string, text: string, params: unknown[]): Promise<T[]>;
}

export function sqlRunner(database: Pick<Database, 'pool' | 'pglite'>): SqlRunner {
  const { pool, pglite } = database;
  if (pool) return { rows: async <T>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as T[] };
  if (pglite) return { rows: async <T>(_name: string, text: string, values: unknown[]) => (await pglite.query<T>(text, values)).rows };
  throw new Error('the database has neither a PostgreSQL pool nor a PGlite instance');
}

const q = (name: string) => `"${name}"`;
const tableName = (table: PgTable) => q(getTableName(table));

/** A table's rows as the JSON parameter `$n`, read as the record set `x` with all columns but `omit`, plus `extra` fields. */
class Recordset<T extends PgTable> {
  readonly columns: string;
  readonly values: string;
  readonly from: string;
  private readonly keys: string[];
  private readonly names: string[];

  constructor(readonly table: T, param: number, private readonly extra: Readonly<Record<string, string>> = {}, omit: readonly string[] = []) {
    const cols = getTableColumns(table);
    this.keys = Object.keys(cols).filter((k) => !omit.includes(k));
    this.names = this.keys.map((k) => cols[k]!.name);
    this.columns = this.names.map(q).join(', ');
    this.values = this.names.map((n) => `x.${q(n)}`).join(', ');
    const types = [...this.keys.map((k, i) => `${q(this.names[i]!)} ${cols[k]!.getSQLType()}`), ...Object.entries(extra).map(([n, t]) => `${q(n)} ${t}`)];
    this.from = `jsonb_to_recordset($${param}::jsonb) AS x(${types.join(', ')})`;
  }

  /** The JSON parameter: every column (a missing value is NULL) and the extra fields. */
  json(rows: readonly (T['$inferInsert'] & Record<string, unknown>)[]): string {
    return JSON.stringify(rows.map((row) => {
      const r = row as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < this.keys.length; i++) out[this.names[i]!] = r[this.keys[i]!] ?? null;
      for (const e in this.extra) out[e] = r[e];
      return out;
    }));
  }
}

/**
 * Most leads read per blocking key, newest first. Exact keys (email, phone) have tiny blocks; a very common name can
 * have thousands, and reading them all would make every capture slower as the tenant grows. The cap applies before
 * the tenant filter because the key table has no tenant column: on a server with many tenants, a common name's block
 * may hide an older match of this tenant (the exact email and phone keys still find it). It also bounds the
 * planner's estimate: without statistics (a young database) it assumes hundreds of leads per key, and a statement
 * estimated above `jit_above_cost` is JIT-compiled on every execution, which costs tens of milliseconds.
 */
export const MAX_CANDIDATES_PER_KEY = 50;

/** `$1` pairs `[{form_id, idempotency_key}]` → the submissions holding them; one unique-index probe per pair. */
const priorsOf = (param: number) => `
  SELECT s.id, s.form_id AS "formId", s.idempotency_key AS "idempotencyKey", s.request_hash AS "requestHash", s.lead_id AS "leadId", s.outcome
  FROM jsonb_to_recordset($${param}::jsonb) AS q(form_id text, idempotency_key text)
  CROSS JOIN LATERAL (SELECT * FROM ${tableName(captureSubmissions)} c WHERE c.form_id = q.form_id AND c.idempotency_key = q.idempotency_key LIMIT 1) s`;

export const PRIORS = { name: 'capture.priors', text: priorsOf(1) };

/**
 * Round trip 1. `$1` tenant, `$2` blocking keys (JSON array), `$3` (form, key) pairs. One row: the tenant's settings
 * and scoring, the candidates (key + lead fields) and the prior submissions. Keys first, then each lead by its primary
 * key: the LIMITs keep the planner from flattening the lateral joins, which on a fast-growing table with stale
 * statistics becomes a hash join over every lead of the tenant for each key.
 */
export const PREPARE = {
  name: 'capture.prepare',
  text: `
  SELECT
    (SELECT settings FROM ${tableName(tenants)} WHERE id = $1) AS settings,
    (SELECT json_build_object('configVersion', config_version, 'fitRules', fit_rules, 'engagementRules', engagement_rules,
            'engagementHalfLifeDays', engagement_half_life_days, 'maxEngagementPoints', max_engagement_points, 'predictive', predictive)
       FROM ${tableName(scoringConfigs)} WHERE tenant_id = $1) AS scoring,
    (SELECT coalesce(json_agg(c), '[]'::json) FROM (
       SELECT q.key, l.id, l.first_name AS "firstName", l.last_name AS "lastName", l.email, l.phone, l.company_name AS "companyName",
              l.last_activity_at AS "lastActivityAt"
       FROM jsonb_array_elements_text($2::jsonb) AS q(key)
       CROSS JOIN LATERAL (SELECT k.lead_id FROM ${tableName(leadDedupeKeys)} k WHERE k.key = q.key ORDER BY k.lead_id DESC LIMIT ${MAX_CANDIDATES_PER_KEY}) k
       CROSS JOIN LATERAL (SELECT * FROM ${tableName(leads)} l WHERE l.id = k.lead_id AND l.tenant_id = $1 AND NOT l.archived LIMIT 1) l
     ) c) AS candidates,
    (SELECT coalesce(json_agg(p), '[]'::json) FROM (${priorsOf(3)}) p) AS priors`,
};

export const rowsOf = {
  claims: new Recordset(captureSubmissions, 2),
  leads: new Recordset(leads, 3, { _sub: 'text' }, ['version']),
  activities: new Recordset(activities, 4, { _sub: 'text' }, ['version']),
  audit: new Recordset(auditLog, 5, { _subs: 'jsonb' }, ['version']),
  keys: new Recordset(leadDedupeKeys, 6, { _sub: 'text' }),
};

const claimed = (field: string) => `x.${q(field)} IN (SELECT id FROM claim)`;
const anyClaimed = 'EXISTS (SELECT 1 FROM jsonb_array_elements_text(x._subs) AS s(id) WHERE s.id IN (SELECT id FROM claim))';
const insertVersioned = (name: string, r: Recordset<PgTable>, where: string) =>
  `${name} AS (INSERT INTO ${tableName(r.table)} (${r.columns}, "version") SELECT ${r.values}, v.version FROM ${r.from}, v WHERE ${where} RETURNING 1)`;

/**
 * Round trip 2, one statement and so one atomic commit. `$1` tenant, `$2`–`$6` the rows (claims, leads, activities,
 * audit, keys), `$7` the existing leads a submission was attached to (`[{id, _subs}]`), `$8` now. Claims first; the
 * tenant's next change version (as nextVersion in db/tenant-version.ts) only after every claim, and only if one
 * succeeded: its row lock is held until commit, and a statement waiting for another process's claim must not hold it
 * meanwhile. Rows of submissions whose claim lost are not written. Answers the claimed submission ids.
 */
export const WRITE = {
  name: 'capture.write',
  text: `
  WITH claim AS (
    INSERT INTO ${tableName(captureSubmissions)} (${rowsOf.claims.columns}) SELECT ${rowsOf.claims.values} FROM ${rowsOf.claims.from}
    ON CONFLICT (form_id, idempotency_key) DO NOTHING RETURNING id
  ),
  v AS (
    INSERT INTO ${tableName(tenantVersions)} (tenant_id, version, durable) SELECT $1::text, 1, 1 WHERE EXISTS (SELECT 1 FROM claim)
    ON CONFLICT (tenant_id) DO UPDATE SET version = ${tableName(tenantVersions)}.version + 1, durable = ${tableName(tenantVersions)}.version + 1 RETURNING version
  ),
  ${insertVersioned('w_leads', rowsOf.leads, claimed('_sub'))},
  ${insertVersioned('w_activities', rowsOf.activities, claimed('_sub'))},
  ${insertVersioned('w_audit', rowsOf.audit, anyClaimed)},
  -- Not stamped with the version: match keys are a server-side index, not a replicated table.
  w_keys AS (
    INSERT INTO ${tableName(leadDedupeKeys)} (${rowsOf.keys.columns}) SELECT ${rowsOf.keys.values} FROM ${rowsOf.keys.from}
    WHERE ${claimed('_sub')} AND EXISTS (SELECT 1 FROM v) ON CONFLICT DO NOTHING RETURNING 1
  ),
  -- By primary key alone: with the tenant in the condition the planner may scan every lead of the tenant, even for an
  -- empty list. The ids are the tenant's: they come from the tenant-filtered candidate read.
  w_touched AS (
    UPDATE ${tableName(leads)} SET last_activity_at = $8::bigint, updated_at = $8::bigint, version = v.version
    FROM v
    WHERE ${tableName(leads)}.id = ANY (ARRAY(SELECT x.id FROM jsonb_to_recordset($7::jsonb) AS x(id text, _subs jsonb) WHERE ${anyClaimed}))
    RETURNING 1
  )
  SELECT coalesce((SELECT json_agg(id) FROM claim), '[]'::json) AS claimed`,
};
