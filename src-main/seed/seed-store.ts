// Loads a demo data set into a client core in chunks, with progress, then scores every lead.
import type { DemoDataset } from '../../src-shared/demo/demo-dataset';
import type { ClientCore } from '../core/client-core';
import type { TableRows } from '../store/bootstrap-local';

export const SEED_SIZES = {
  small: { leads: 2_000, deals: 400, activities: 4_000, extraReps: 0 },
  medium: { leads: 20_000, deals: 4_000, activities: 40_000, extraReps: 4 },
  large: { leads: 100_000, deals: 20_000, activities: 200_000, extraReps: 10 },
} as const;

export type SeedProgress = (done: number, total: number, what: string) => void;

const CHUNK = 5_000;

/** Reference data first, then the bulk tables in chunks so progress shows and memory stays flat. */
export async function seedStore(client: ClientCore, data: DemoDataset, progress: SeedProgress = () => {}): Promise<void> {
  client.bootstrap({
    tenants: [data.tenant], roles: data.roles, teams: data.teams, users: data.users, pipelines: data.pipelines, stages: data.stages,
    stage_transition_rules: data.transitionRules, win_loss_reasons: data.winLossReasons, approval_policies: data.approvalPolicies,
    companies: data.companies, contacts: data.contacts,
  });
  const bulk: [keyof TableRows, readonly unknown[]][] = [['leads', data.leads], ['deals', data.deals], ['stage_history', data.stageHistory], ['activities', data.activities]];
  for (const [table, rows] of bulk) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      client.bootstrap({ [table]: rows.slice(i, i + CHUNK) } as TableRows);
      progress(Math.min(i + CHUNK, rows.length), rows.length, table);
      // Let the event loop breathe between chunks.
      await new Promise((r) => setImmediate(r));
    }
  }
  progress(0, data.leads.length, 'scoring');
  const { rescored } = await client.call('leads.rescore', {});
  progress(rescored, data.leads.length, 'scoring');
}
