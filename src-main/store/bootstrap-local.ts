// Writes rows straight into the store, bypassing mutations: reference data (normally from sync), seeds and fixtures.
import type { EntityMap, TableName } from '../../src-shared/mutators/mutation-tx';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { codecOf } from './entity-codecs';
import type { Store } from './open-store';

export type TableRows = { [T in TableName]?: readonly EntityMap[T][] };

/** Parents before children, so foreign keys hold while inserting. */
const ORDER: TableName[] = [
  'tenants', 'roles', 'teams', 'users', 'scoring_configs', 'distribution_rules', 'approval_policies', 'delegations',
  'pipelines', 'stages', 'stage_transition_rules', 'win_loss_reasons', 'nurture_sequences',
  'companies', 'contacts', 'leads', 'deals', 'stage_history', 'approval_requests', 'approval_events',
  'activities', 'notifications', 'nurture_enrollments', 'conflicts',
];

/**
 * Inserts (or replaces, by primary key) the given rows in one transaction and keeps the leads' match keys in step.
 * Writes no audit entries and no mutations: this is how reference data lands until sync delivers it, and how
 * tests and the seed script load data sets quickly.
 */
export function bootstrapLocal(store: Store, rows: TableRows): void {
  const unknown = Object.keys(rows).filter((t) => !ORDER.includes(t as TableName));
  if (unknown.length) throw new Error(`bootstrapLocal: unknown tables ${unknown.join(', ')}`);
  const { sqlite } = store;
  sqlite.transaction(() => {
    for (const table of ORDER) {
      const list = rows[table] as readonly Record<string, unknown>[] | undefined;
      if (!list?.length) continue;
      const c = codecOf(table);
      const insert = sqlite.prepare(`INSERT OR REPLACE INTO "${table}" (${c.selectList}) VALUES (${c.columns.map(() => '?').join(', ')})`);
      for (const row of list) insert.run(...c.toParams(row as never));
      if (table === 'leads') {
        const dropKeys = sqlite.prepare('DELETE FROM lead_dedupe_keys WHERE lead_id = ?');
        const addKey = sqlite.prepare('INSERT OR IGNORE INTO lead_dedupe_keys (key, lead_id) VALUES (?, ?)');
        for (const lead of list as unknown as Lead[]) {
          dropKeys.run(lead.id);
          for (const k of matchKeys(lead)) addKey.run(k, lead.id);
        }
      }
    }
  })();
  // A large load changes the data's shape; refresh the planner's statistics now rather than at close.
  store.sqlite.pragma('optimize');
}
