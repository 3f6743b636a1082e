// Writes a batch of one tenant's captured submissions in one transaction: claim, duplicate check, lead, keys, audit, version.
import { and, eq, inArray, or } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { TenantSettings } from '../../src-shared/domain/accounts.schema';
import type { ScoringConfig } from '../../src-shared/domain/automation.schema';
import { DuplicateIndex, findDuplicates } from '../../src-shared/domain/duplicate-detection';
import type { DuplicateCandidateFields } from '../../src-shared/domain/duplicate-keys';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { scorerFor } from '../../src-shared/mutators/lead-score-step';
import { auditCreated } from '../../src-shared/mutators/write-rules';
import type { AppDb } from '../db/database';
import { tenants } from '../db/schema/accounts.table';
import { activities, auditLog } from '../db/schema/activities.table';
import { scoringConfigs } from '../db/schema/automation.table';
import { captureSubmissions } from '../db/schema/capture.table';
import type { CaptureOutcome } from '../db/schema/capture.table';
import { leadDedupeKeys, leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import type { CaptureDraft } from './capture-fields';

/** One validated submission waiting to be written; its ids are chosen before the batch. */
export interface PendingCapture {
  tenantId: string;
  formId: string;
  draft: CaptureDraft;
  idempotencyKey: string | null;
  /** SHA-256 of the draft: a retry must describe the same submission. */
  requestHash: string;
  submissionId: string;
  /** The id the lead gets if the submission creates one. */
  leadId: string;
}

export interface CaptureResult {
  leadId: string;
  submissionId: string;
  outcome: CaptureOutcome;
  /** True when this is an earlier submission's answer given again (same idempotency key). */
  replayed: boolean;
}

export interface CaptureWriteEnv {
  now: number;
  newId: () => string;
}

export const SUBMISSION_SUBJECT = 'Web form submission';
const MAX_ACTIVITY_BODY = 20_000;

type LeadRow = typeof leads.$inferInsert;
type Candidate = DuplicateCandidateFields & { lastActivityAt: number | null };

const keyOf = (c: { formId: string; idempotencyKey: string | null }) => `${c.formId}\u0000${c.idempotencyKey}`;

function reusedKey(): AppError {
  return new AppError(ErrorCode.CONFLICT, 'this idempotency key was already used for a different submission', [{ path: 'Idempotency-Key', message: 'already used for a different submission' }]);
}

/** What an attached submission says, as the body of the activity on the existing lead. */
function submissionSummary(draft: CaptureDraft): string {
  const l = draft.lead;
  const lines = [
    ['Name', [l.firstName, l.lastName].filter(Boolean).join(' ')],
    ['Email', l.email], ['Phone', l.phone], ['Company', l.companyName], ['Title', l.title],
    ['Country', l.country], ['Region', l.region], ['Source', l.source], ['Medium', l.medium], ['Campaign', l.campaign],
    ['Referrer', l.referrer], ['Form', l.formKey],
  ].filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
  const text = draft.note ? `${lines.join('\n')}\n\n${draft.note}` : lines.join('\n');
  return text.slice(0, MAX_ACTIVITY_BODY);
}

async function tenantRules(tx: AppDb, tenantId: string): Promise<{ policy: 'attach' | 'flag'; scoring: ScoringConfig | undefined }> {
  const [row] = await tx
    .select({ settings: tenants.settings, scoring: scoringConfigs })
    .from(tenants)
    .leftJoin(scoringConfigs, eq(scoringConfigs.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId));
  const settings = TenantSettings.safeParse(row?.settings ?? {});
  const s = row?.scoring;
  return {
    policy: settings.success ? settings.data.duplicatePolicy : 'flag',
    scoring: s ?? undefined,
  };
}

/** Existing, unarchived leads of the tenant sharing a blocking key with any submission of the batch. */
async function loadCandidates(tx: AppDb, tenantId: string, keys: string[]): Promise<{ byKey: Map<string, string[]>; byId: Map<string, Candidate> }> {
  const byKey = new Map<string, string[]>();
  const byId = new Map<string, Candidate>();
  if (keys.length === 0) return { byKey, byId };
  const rows = await tx
    .select({
      key: leadDedupeKeys.key, id: leads.id, firstName: leads.firstName, lastName: leads.lastName, email: leads.email,
      phone: leads.phone, companyName: leads.companyName, lastActivityAt: leads.lastActivityAt,
    })
    .from(leadDedupeKeys)
    .innerJoin(leads, eq(leads.id, leadDedupeKeys.leadId))
    .where(and(inArray(leadDedupeKeys.key, keys), eq(leads.tenantId, tenantId), eq(leads.archived, false)));
  for (const { key, ...rec } of rows) {
    byKey.set(key, [...(byKey.get(key) ?? []), rec.id]);
    byId.set(rec.id, rec);
  }
  return { byKey, byId };
}

/**
 * Writes the submissions of one tenant in one transaction and answers each, in order, with its result or the
 * AppError refusing it (an idempotency key reused for another submission). Retries are safe: a key already claimed
 * (by this batch, an earlier one or a concurrent process, whose commit the claim waits for) replays that answer.
 */
export async function writeCaptureBatch(db: AppDb, tenantId: string, items: readonly PendingCapture[], env: CaptureWriteEnv): Promise<Array<CaptureResult | AppError>> {
  const results: Array<CaptureResult | AppError | undefined> = new Array(items.length);
  // Several posts of one key in a batch: the first is written, the others follow it.
  const leaderOf = new Map<string, number>();
  const followers: number[] = [];
  const writable: number[] = [];
  items.forEach((item, i) => {
    if (item.idempotencyKey === null) return void writable.push(i);
    const k = keyOf(item);
    if (leaderOf.has(k)) return void followers.push(i);
    leaderOf.set(k, i);
    writable.push(i);
  });

  await db.transaction(async (tx) => {
    // The claim. Sorted, so two batches claiming overlapping keys lock them in the same order and cannot deadlock.
    const claimOrder = [...writable].sort((a, b) => (keyOf(items[a]!) < keyOf(items[b]!) ? -1 : keyOf(items[a]!) > keyOf(items[b]!) ? 1 : 0));
    const claimed = new Set(
      (await tx
        .insert(captureSubmissions)
        .values(claimOrder.map((i) => {
          const it = items[i]!;
          return {
            id: it.submissionId, tenantId, formId: it.formId, idempotencyKey: it.idempotencyKey, requestHash: it.requestHash,
            leadId: it.leadId, outcome: 'created' as const, response: { leadId: it.leadId, submissionId: it.submissionId }, createdAt: env.now,
          };
        }))
        .onConflictDoNothing({ target: [captureSubmissions.formId, captureSubmissions.idempotencyKey] })
        .returning({ id: captureSubmissions.id })).map((r) => r.id),
    );

    const lost = writable.filter((i) => !claimed.has(items[i]!.submissionId));
    if (lost.length > 0) {
      const prior = await tx
        .select()
        .from(captureSubmissions)
        .where(or(...lost.map((i) => and(eq(captureSubmissions.formId, items[i]!.formId), eq(captureSubmissions.idempotencyKey, items[i]!.idempotencyKey!)))));
      const byKey = new Map(prior.map((p) => [keyOf(p), p]));
      for (const i of lost) {
        const p = byKey.get(keyOf(items[i]!));
        if (!p) throw new Error('an idempotency claim conflicted but its submission is not visible');
        results[i] = p.requestHash === items[i]!.requestHash ? { leadId: p.leadId, submissionId: p.id, outcome: p.outcome, replayed: true } : reusedKey();
      }
    }

    const fresh = writable.filter((i) => claimed.has(items[i]!.submissionId));
    if (fresh.length === 0) return;
    const { now, newId } = env;
    const keysOf = new Map(fresh.map((i) => [i, matchKeys(items[i]!.draft.lead)]));
    const rules = await tenantRules(tx, tenantId);
    const existing = await loadCandidates(tx, tenantId, [...new Set([...keysOf.values()].flat())]);
    const scorer = scorerFor(rules.scoring, tenantId);

    const newLeads = new Map<string, LeadRow>();
    const batchIndex = new DuplicateIndex();
    const keyRows: Array<typeof leadDedupeKeys.$inferInsert> = [];
    const activityRows: Array<typeof activities.$inferInsert> = [];
    const auditRows: Array<typeof auditLog.$inferInsert> = [];
    const touched = new Map<string, Candidate>();
    const attached: number[] = [];

    for (const i of fresh) {
      const item = items[i]!;
      const probe = { id: item.leadId, ...item.draft.lead };
      const keys = keysOf.get(i)!;
      const candidates = new Map<string, DuplicateCandidateFields>();
      for (const key of keys) for (const id of existing.byKey.get(key) ?? []) candidates.set(id, existing.byId.get(id)!);
      for (const id of batchIndex.candidatesFor(probe)) {
        const l = newLeads.get(id)!;
        candidates.set(id, { id, firstName: l.firstName, lastName: l.lastName, email: l.email ?? null, phone: l.phone ?? null, companyName: l.companyName ?? null });
      }
      const [match] = candidates.size > 0 ? findDuplicates(probe, candidates.values(), { limit: 1 }) : [];

      if (match && rules.policy === 'attach') {
        activityRows.push({ id: newId(), tenantId, entityType: 'lead', entityId: match.id, kind: 'note', subject: SUBMISSION_SUBJECT, body: submissionSummary(item.draft), occurredAt: now, createdAt: now });
        const inBatch = newLeads.get(match.id);
        if (inBatch) inBatch.lastActivityAt = now;
        else touched.set(match.id, existing.byId.get(match.id)!);
        results[i] = { leadId: match.id, submissionId: item.submissionId, outcome: 'attached', replayed: false };
        attached.push(i);
        continue;
      }

      const noteActivity = item.draft.note === null ? [] : [{ kind: 'note' as const, occurredAt: now }];
      const { score, factors } = scorer(item.draft.lead, noteActivity, now);
      const lead: Lead = {
        id: item.leadId, tenantId, ...item.draft.lead, status: 'NEW', disqualifyReason: null, score, scoreFactors: factors, winProbability: null,
        ownerId: null, teamId: null, possibleDuplicateOf: match?.id ?? null, convertedContactId: null, convertedCompanyId: null, convertedDealId: null,
        lastActivityAt: item.draft.note === null ? null : now, archived: false, createdAt: now, updatedAt: now,
      };
      newLeads.set(lead.id, lead);
      batchIndex.add(probe);
      for (const key of keys) keyRows.push({ key, leadId: lead.id });
      auditRows.push({ id: newId(), tenantId, actorId: null, entityType: 'lead', entityId: lead.id, action: 'create', before: null, after: auditCreated(lead), at: now });
      if (item.draft.note !== null) {
        activityRows.push({ id: newId(), tenantId, entityType: 'lead', entityId: lead.id, kind: 'note', subject: SUBMISSION_SUBJECT, body: item.draft.note, occurredAt: now, createdAt: now });
      }
      results[i] = { leadId: lead.id, submissionId: item.submissionId, outcome: 'created', replayed: false };
    }

    for (const [id, before] of touched) {
      auditRows.push({ id: newId(), tenantId, actorId: null, entityType: 'lead', entityId: id, action: 'update', before: { lastActivityAt: before.lastActivityAt }, after: { lastActivityAt: now }, at: now });
    }

    // Taken last, because it holds the tenant's version lock until commit: every other writer of the tenant waits.
    const version = await nextVersion(tx, tenantId);
    if (newLeads.size > 0) await tx.insert(leads).values([...newLeads.values()].map((l) => ({ ...l, version })));
    if (keyRows.length > 0) await tx.insert(leadDedupeKeys).values(keyRows).onConflictDoNothing();
    if (activityRows.length > 0) await tx.insert(activities).values(activityRows.map((a) => ({ ...a, version })));
    if (auditRows.length > 0) await tx.insert(auditLog).values(auditRows.map((a) => ({ ...a, version })));
    if (touched.size > 0) {
      await tx.update(leads).set({ lastActivityAt: now, updatedAt: now, version }).where(and(eq(leads.tenantId, tenantId), inArray(leads.id, [...touched.keys()])));
    }
    for (const i of attached) {
      const r = results[i] as CaptureResult;
      await tx.update(captureSubmissions)
        .set({ leadId: r.leadId, outcome: 'attached', response: { leadId: r.leadId, submissionId: r.submissionId } })
        .where(eq(captureSubmissions.id, r.submissionId));
    }
  });

  for (const i of followers) {
    const leader = results[leaderOf.get(keyOf(items[i]!))!]!;
    results[i] = leader instanceof AppError ? leader
      : items[i]!.requestHash === items[leaderOf.get(keyOf(items[i]!))!]!.requestHash ? { ...leader, replayed: true }
      : reusedKey();
  }
  return results.map((r) => r!);
}
