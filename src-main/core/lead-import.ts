// Imports raw lead rows: each validated on its own, checked for duplicates (existing leads and earlier rows), created in one transaction.
import type { z } from 'zod';
import { AppError } from '../../src-shared/api/errors';
import type { ImportRowResult, LEADS_API } from '../../src-shared/api/leads.api';
import type { ParsedInputOf, OutputOf } from '../../src-shared/api/contract';
import { DuplicateIndex, findDuplicates } from '../../src-shared/domain/duplicate-detection';
import type { DuplicateCandidateFields } from '../../src-shared/domain/duplicate-keys';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import { LeadFields } from '../../src-shared/mutators/lead-args';
import { requireIdentity } from '../../src-shared/mutators/leads.mutators';
import type { Mutation } from '../../src-shared/mutators/mutator';
import type { CoreContext } from './core-context';
import { leadDuplicatesOfMany } from './queries/lead-duplicates.query';

type Api = typeof LEADS_API;
type RowResult = z.infer<typeof ImportRowResult>;

export async function importLeads(ctx: CoreContext, input: ParsedInputOf<Api, 'leads.import'>): Promise<OutputOf<Api, 'leads.import'>> {
  const results: RowResult[] = [];
  const pending: { result: RowResult; mutation: Mutation }[] = [];
  const valid: { result: RowResult; fields: z.infer<typeof LeadFields>; probe: DuplicateCandidateFields }[] = [];

  input.rows.forEach((raw, row) => {
    const parsed = LeadFields.safeParse(raw);
    if (!parsed.success) {
      results.push({ row, status: 'rejected', leadId: null, errors: AppError.fromZod(parsed.error).fields ?? [], duplicates: [] });
      return;
    }
    const f = parsed.data;
    const id = ctx.newId();
    const probe: DuplicateCandidateFields = { id, firstName: f.firstName ?? null, lastName: f.lastName ?? null, email: f.email ?? null, phone: f.phone ?? null, companyName: f.companyName ?? null };
    try {
      requireIdentity({ ...probe, firstName: probe.firstName ?? '', lastName: probe.lastName ?? '' });
    } catch (err) {
      results.push({ row, status: 'rejected', leadId: null, errors: (err as AppError).fields ?? [], duplicates: [] });
      return;
    }
    const result: RowResult = { row, status: 'created', leadId: id, errors: [], duplicates: [] };
    results.push(result);
    valid.push({ result, fields: f, probe });
  });

  // The store does not change before the writes below, so every row's stored duplicates are loaded in one go.
  const inStore = leadDuplicatesOfMany(ctx, valid.map((v) => v.probe), { limit: 3 });
  // Rows of this import are duplicates of each other too, before any of them is in the store.
  const batch = new DuplicateIndex();
  const batchRecords = new Map<string, DuplicateCandidateFields>();
  valid.forEach(({ result, fields: f, probe }, i) => {
    const keys = matchKeys(probe);
    const batchCandidates = batch.rankedCandidates(keys, probe.id).map((c) => batchRecords.get(c)!);
    const inBatch = batchCandidates.length === 0 ? [] : findDuplicates(probe, batchCandidates, { limit: 3 });
    const duplicates = [...inStore[i]!.map((m) => ({ id: m.id, score: m.score })), ...inBatch.map((m) => ({ id: m.id, score: m.score }))]
      .sort((a, b) => b.score - a.score)
      .slice(0, 3);
    result.duplicates = duplicates;
    if (duplicates.length > 0 && input.onDuplicate === 'skip') {
      result.status = 'skipped';
      result.leadId = null;
      return;
    }
    batch.add(probe, keys);
    batchRecords.set(probe.id, probe);
    const args = { ...f, id: probe.id, possibleDuplicateOf: duplicates[0]?.id ?? null, ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}) };
    pending.push({ result, mutation: { name: 'leads.create', args } });
  });

  const outcomes = await ctx.writes.applyMutations(pending.map((p) => p.mutation));
  outcomes.forEach((o, i) => {
    if (o.ok) return;
    const r = pending[i]!.result;
    r.status = 'rejected';
    r.leadId = null;
    r.errors = o.error.fields ?? [{ path: '(row)', message: o.error.message }];
  });
  const count = (s: RowResult['status']) => results.filter((r) => r.status === s).length;
  return { created: count('created'), skipped: count('skipped'), rejected: count('rejected'), rows: results };
}
