// Client store benchmarks on 100k leads / 20k deals: lead queue, board, duplicate check, CSV import, rescore, bulk writes vs raw.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoDataset, type DemoDataset } from '../../src-shared/demo/demo-dataset';
import type { Lead } from '../../src-shared/domain/leads.schema';
import type { DuplicateCandidateFields } from '../../src-shared/domain/duplicate-keys';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import { DuplicateIndex, findDuplicates } from '../../src-shared/domain/duplicate-detection';
import type { Mutation } from '../../src-shared/mutators/mutator';
import { openClient, type ClientCore } from '../../src-main/core/client-core';
import { codecOf } from '../../src-main/store/entity-codecs';
import { seedStore } from '../../src-main/seed/seed-store';
import { median, timeRuns, type Benchmark } from './bench-harness';
import { companyImportData } from './import-fixture';

const NOW = Date.UTC(2026, 10, 1);
const SIZE = { leads: 100_000, deals: 20_000, activities: 200_000 };

function open(dir: string, data: DemoDataset): ClientCore {
  const admin = data.users.find((u) => u.role === 'admin')!;
  return openClient({ dataDir: dir, identity: { tenantId: data.tenant.id, userId: admin.id }, clock: () => NOW });
}

/** Bulk insert of fresh leads: through the service path (leads.create mutations) and as raw prepared statements writing the same rows. */
async function bulkInsert(data: DemoDataset, log: (m: string) => void): Promise<{ service: number; raw: number }> {
  const reps = data.users.filter((u) => u.role === 'rep');
  const fresh = generateDemoDataset({ seed: 7, now: NOW, leads: SIZE.leads, deals: 0, activities: 0 }).leads.map((l, i) => {
    const owner = reps[i % reps.length]!;
    return { ...l, tenantId: data.tenant.id, ownerId: owner.id, teamId: owner.teamId };
  });
  const serviceDir = mkdtempSync(join(tmpdir(), 'bench-bulk-svc-'));
  const rawDir = mkdtempSync(join(tmpdir(), 'bench-bulk-raw-'));
  try {
    const svc = open(serviceDir, data);
    svc.bootstrap({ tenants: [data.tenant], roles: data.roles, teams: data.teams, users: data.users });
    const mutations = fresh.map((l) => ({
      name: 'leads.create',
      args: { id: l.id, firstName: l.firstName, lastName: l.lastName, email: l.email, phone: l.phone, companyName: l.companyName, title: l.title, country: l.country, source: l.source, medium: l.medium, campaign: l.campaign, ownerId: l.ownerId },
    }));
    let t = performance.now();
    for (let i = 0; i < mutations.length; i += 10_000) {
      const outcomes = await svc.writes.applyMutations(mutations.slice(i, i + 10_000));
      const refused = outcomes.find((o) => !o.ok);
      if (refused && !refused.ok) throw new Error(`bulk insert refused a lead: ${refused.error.message}`);
    }
    const service = performance.now() - t;
    const rows = (svc.store.sqlite.prepare('SELECT count(*) n FROM leads').get() as { n: number }).n;
    const audits = (svc.store.sqlite.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n;
    log(`service path wrote ${rows} leads and ${audits} audit entries`);
    await svc.close();

    // Baseline: the same rows (lead, audit entry, match keys) through cached raw prepared statements in one transaction.
    const raw = open(rawDir, data);
    raw.bootstrap({ tenants: [data.tenant], roles: data.roles, teams: data.teams, users: data.users });
    const db = raw.store.sqlite;
    const c = codecOf('leads');
    const insertLead = db.prepare(`INSERT INTO leads (${c.selectList}) VALUES (${c.columns.map(() => '?').join(', ')})`);
    const insertAudit = db.prepare('INSERT INTO audit_log (id, tenant_id, actor_id, entity_type, entity_id, action, before, after, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertKey = db.prepare('INSERT OR IGNORE INTO lead_dedupe_keys (key, lead_id) VALUES (?, ?)');
    t = performance.now();
    db.transaction((leads: Lead[]) => {
      let n = 0;
      for (const lead of leads) {
        insertLead.run(...c.toParams(lead));
        insertAudit.run(`a${n++}`, lead.tenantId, null, 'lead', lead.id, 'create', null, JSON.stringify(lead), NOW);
        for (const k of matchKeys(lead)) insertKey.run(k, lead.id);
      }
    })(fresh);
    const rawMs = performance.now() - t;
    await raw.close();
    return { service, raw: rawMs };
  } finally {
    rmSync(serviceDir, { recursive: true, force: true });
    rmSync(rawDir, { recursive: true, force: true });
  }
}

const IMPORT_CHUNK = 250;

/**
 * A CSV import of 3,000 rows of 50 companies / 10 email domains into a store of 20k leads of the same companies, in
 * the renderer's chunks of 250 rows: through leads.import (every row's stored duplicates read at once), and through
 * the per-row path it replaced (one stored-duplicate check per row, earlier rows by unranked blocking) writing the
 * same leads. Both must flag the same rows. Both share the scoring and key normalisation, so the ratio is what
 * reading candidates for all rows at once saves, not the whole gain over the former code.
 */
async function companyImport(data: DemoDataset, log: (m: string) => void): Promise<{ rows: number; imported: number; perRow: number }> {
  const admin = data.users.find((u) => u.role === 'admin')!;
  const { stored, rows, repeats } = companyImportData({ seed: 11, stored: 20_000, rows: 3_000, tenantId: data.tenant.id, ownerId: admin.id, now: NOW });
  const timed = async (importChunk: (client: ClientCore, chunk: Array<Record<string, string>>, offset: number) => Promise<boolean[]>) => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
    try {
      const client = open(dir, data);
      client.bootstrap({ tenants: [data.tenant], roles: data.roles, teams: data.teams, users: data.users, leads: stored });
      const flagged: boolean[] = [];
      const t = performance.now();
      for (let i = 0; i < rows.length; i += IMPORT_CHUNK) flagged.push(...(await importChunk(client, rows.slice(i, i + IMPORT_CHUNK), i)));
      const ms = performance.now() - t;
      const count = (client.store.sqlite.prepare('SELECT count(*) n FROM leads').get() as { n: number }).n;
      if (count !== stored.length + rows.length) throw new Error(`company import wrote ${count - stored.length} of ${rows.length} leads`);
      await client.close();
      return { ms, flagged };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const imported = await timed(async (client, chunk) => {
    const result = await client.call('leads.import', { rows: chunk });
    return result.rows.map((r) => r.duplicates.length > 0);
  });
  const perRow = await timed(async (client, chunk, offset) => {
    const batch = new DuplicateIndex();
    const batchRecords = new Map<string, DuplicateCandidateFields>();
    const flagged: boolean[] = [];
    const creates: Mutation[] = [];
    for (const [i, row] of chunk.entries()) {
      const probe: DuplicateCandidateFields = { id: `row-${offset + i}`, firstName: row['firstName'] ?? null, lastName: row['lastName'] ?? null, email: row['email'] ?? null, phone: row['phone'] ?? null, companyName: row['companyName'] ?? null };
      const inStore = await client.call('leads.findDuplicates', { draft: row, limit: 3 });
      const inBatch = findDuplicates(probe, batch.candidatesFor(probe).map((id) => batchRecords.get(id)!), { limit: 3 });
      const best = [...inStore, ...inBatch].sort((a, b) => b.score - a.score)[0];
      flagged.push(best !== undefined);
      batch.add(probe);
      batchRecords.set(probe.id, probe);
      creates.push({ name: 'leads.create', args: { ...row, id: probe.id, possibleDuplicateOf: best?.id ?? null } });
    }
    const refused = (await client.writes.applyMutations(creates)).find((o) => !o.ok);
    if (refused && !refused.ok) throw new Error(`company import refused a lead: ${refused.error.message}`);
    return flagged;
  });
  const differ = imported.flagged.findIndex((f, i) => f !== perRow.flagged[i]);
  if (differ >= 0) throw new Error(`leads.import and the per-row path disagree on row ${differ}`);
  log(`company import: ${imported.flagged.filter(Boolean).length} of ${rows.length} rows flagged as duplicates (${repeats} repeat a lead)`);
  return { rows: rows.length, imported: imported.ms, perRow: perRow.ms };
}

export const clientStoreBenchmark: Benchmark = {
  group: 'client-store',
  async run(report, log) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-client-'));
    try {
      const data = generateDemoDataset({ seed: 1, now: NOW, ...SIZE, extraReps: 10, renewalShare: 0 });
      const client = open(dir, data);
      let t = performance.now();
      await seedStore(client, data);
      log(`seeded ${SIZE.leads} leads / ${SIZE.deals} deals / ${SIZE.activities} activities in ${Math.round(performance.now() - t)} ms`);
      const rep = data.users.find((u) => u.email === 'rep1@demo.test')!;
      const sales = data.pipelines[0]!;

      // Lead queue: a rep's open leads from two sources, top 50 by score.
      const queue = await timeRuns(() => client.call('leads.queue', { status: ['NEW', 'QUALIFIED', 'CONTACTED'], source: ['google', 'linkedin'], ownerId: [rep.id], scoreMin: 5, limit: 50 }), 50);
      report({ id: 'lead-queue-top50-filtered-median', value: median(queue), unit: 'ms', bar: 5, better: 'lower' });
      const queueAll = await timeRuns(() => client.call('leads.queue', { status: ['NEW', 'QUALIFIED'], limit: 50 }), 50);
      report({ id: 'lead-queue-top50-status-only-median', value: median(queueAll), unit: 'ms', bar: 5, better: 'lower' });

      const board = await timeRuns(() => client.call('deals.board', { pipelineId: sales.id }), 30);
      const dealsInPipeline = data.deals.filter((d) => d.pipelineId === sales.id).length;
      log(`board pipeline holds ${dealsInPipeline} deals`);
      report({ id: 'board-query-20k-deals-median', value: median(board), unit: 'ms', bar: 20, better: 'lower' });

      // Duplicate check of a new lead that resembles existing ones.
      const probes = data.leads.slice(0, 200).map((l, i) => ({ firstName: l.firstName, lastName: `${l.lastName}${i % 2 ? 'n' : ''}`, email: i % 3 ? null : l.email, phone: null, companyName: l.companyName }));
      let p = 0;
      const dupes = await timeRuns(() => client.call('leads.findDuplicates', { draft: probes[p++ % probes.length]! }), 200);
      report({ id: 'duplicate-check-vs-100k-median', value: median(dupes), unit: 'ms', bar: 5, better: 'lower' });

      t = performance.now();
      const { rescored } = await client.call('leads.rescore', {});
      report({ id: 'rescore-100k-leads', value: performance.now() - t, unit: 'ms', bar: 2000, better: 'lower' });
      log(`rescored ${rescored} leads`);
      await client.close();

      const imports = await companyImport(data, log);
      report({ id: 'lead-import-3k-rows-50-companies-per-row', value: imports.imported / imports.rows, unit: 'ms', bar: 1.5, better: 'lower', baseline: imports.perRow / imports.rows, ratio: imports.imported / imports.perRow });

      const bulk = await bulkInsert(data, log);
      report({ id: 'bulk-insert-100k-leads-service-path', value: bulk.service, unit: 'ms', bar: 3 * bulk.raw, better: 'lower', baseline: bulk.raw, ratio: bulk.service / bulk.raw });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
