// Writes a batch of one tenant's captured submissions: one read, then one atomic statement (claim, leads, keys, audit, version).
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { TenantSettings } from '../../src-shared/domain/accounts.schema';
import type { ScoringConfig } from '../../src-shared/domain/automation.schema';
import { DuplicateIndex, findDuplicates } from '../../src-shared/domain/duplicate-detection';
import type { DuplicateCandidateFields } from '../../src-shared/domain/duplicate-keys';
import { matchKeys } from '../../src-shared/domain/duplicate-keys';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { scorerFor } from '../../src-shared/mutators/lead-score-step';
import { auditCreated } from '../../src-shared/mutators/write-rules';
import type { activities, auditLog } from '../db/schema/activities.table';
import type { captureSubmissions, CaptureOutcome } from '../db/schema/capture.table';
import type { CaptureDraft } from './capture-fields';
import { PREPARE, PRIORS, rowsOf, WRITE } from './capture-sql';
import type { SqlRunner } from './capture-sql';

/*
 * Two round trips per batch, whatever its size: every round trip waits for the database process to be scheduled, and
 * on a busy machine that wait, not the work, is what limits capture.
 *   1. One read: the tenant's duplicate policy and scoring, the duplicate candidates of every submission, and the
 *      earlier submissions already holding one of the batch's idempotency keys (those are answered as replays).
 *   2. One statement, atomic like any single statement: claim the submissions (INSERT … ON CONFLICT DO NOTHING on the
 *      (form, key) unique index), take the tenant's next change version, and write only the claimed submissions'
 *      leads, match keys, activities and audit entries, stamped with that version.
 * A claim can still lose to another server process that committed the same key between 1 and 2; that submission
 * writes nothing and is answered from the winner's record.
 */

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

/**
 * Left for a later batch: its only duplicate match is a lead this batch (or another of this process still in flight)
 * creates. Written once that lead is committed, it is checked against it like any other lead, and no row of a batch
 * depends on another row of it.
 */
export const DEFERRED = Symbol('deferred');
export type BatchAnswer = CaptureResult | AppError | typeof DEFERRED;

export interface CaptureWriteEnv {
  now: number;
  newId: () => string;
  /**
   * Leads of this process's other batches that this batch's read may not see yet (still being written, or committed
   * after the read). A submission whose best match is one of them is deferred rather than checked against less.
   */
  recentNear?: (probe: DuplicateCandidateFields) => DuplicateCandidateFields[];
  /** Told, before the write is sent, which leads this batch creates, so later batches can check against them. */
  onDecided?: (created: DuplicateCandidateFields[]) => void;
}

export const SUBMISSION_SUBJECT = 'Web form submission';
const MAX_ACTIVITY_BODY = 20_000;

type Candidate = DuplicateCandidateFields & { lastActivityAt: number | null };
interface Prior {
  id: string;
  formId: string;
  idempotencyKey: string;
  requestHash: string;
  leadId: string;
  outcome: CaptureOutcome;
}

const keyOf = (c: { formId: string; idempotencyKey: string | null }) => `${c.formId}\u0000${c.idempotencyKey}`;

function reusedKey(): AppError {
  return new AppError(ErrorCode.CONFLICT, 'this idempotency key was already used for a different submission', [{ path: 'Idempotency-Key', message: 'already used for a different submission' }]);
}

const replayOf = (prior: Prior, item: PendingCapture): CaptureResult | AppError =>
  prior.requestHash === item.requestHash ? { leadId: prior.leadId, submissionId: prior.id, outcome: prior.outcome, replayed: true } : reusedKey();

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

interface Prepared {
  policy: 'attach' | 'flag';
  scoring: ScoringConfig | undefined;
  byKey: Map<string, string[]>;
  byId: Map<string, Candidate>;
  priors: Map<string, Prior>;
}

/** Round trip 1: the tenant's rules, the batch's duplicate candidates and the earlier submissions holding its keys. */
async function prepare(db: SqlRunner, tenantId: string, keys: readonly string[], idempotent: readonly PendingCapture[]): Promise<Prepared> {
  const [row] = await db.rows<{ settings: unknown; scoring: Omit<ScoringConfig, 'tenantId'> | null; candidates: Array<Candidate & { key: string }>; priors: Prior[] }>(
    PREPARE.name, PREPARE.text, [tenantId, JSON.stringify(keys), pairsJson(idempotent)]);
  const settings = TenantSettings.safeParse(row?.settings ?? {});
  const byKey = new Map<string, string[]>();
  const byId = new Map<string, Candidate>();
  for (const { key, ...rec } of row?.candidates ?? []) {
    byKey.set(key, [...(byKey.get(key) ?? []), rec.id]);
    byId.set(rec.id, { ...rec, lastActivityAt: rec.lastActivityAt === null ? null : Number(rec.lastActivityAt) });
  }
  return {
    policy: settings.success ? settings.data.duplicatePolicy : 'flag',
    scoring: row?.scoring ? { tenantId, ...row.scoring } : undefined,
    byKey,
    byId,
    priors: new Map((row?.priors ?? []).map((p) => [keyOf(p), p])),
  };
}

const pairsJson = (items: readonly PendingCapture[]) => JSON.stringify(items.map((i) => ({ form_id: i.formId, idempotency_key: i.idempotencyKey })));

/** The claimed submissions' earlier records, read after a claim lost to another process. */
async function priorsOf(db: SqlRunner, items: readonly PendingCapture[]): Promise<Map<string, Prior>> {
  const rows = await db.rows<Prior>(PRIORS.name, PRIORS.text, [pairsJson(items)]);
  return new Map(rows.map((p) => [keyOf(p), p]));
}

/**
 * Writes the submissions of one tenant and answers each, in order: its result, the AppError refusing it (an
 * idempotency key reused for another submission), or DEFERRED (write it in the next batch).
 */
export async function writeCaptureBatch(db: SqlRunner, tenantId: string, items: readonly PendingCapture[], env: CaptureWriteEnv): Promise<BatchAnswer[]> {
  const answers: Array<BatchAnswer | undefined> = new Array(items.length);
  // Several posts of one key in a batch: the first is written, the others follow its answer.
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

  const keysOf = new Map(writable.map((i) => [i, matchKeys(items[i]!.draft.lead)]));
  const prep = await prepare(db, tenantId, [...new Set([...keysOf.values()].flat())], writable.map((i) => items[i]!).filter((it) => it.idempotencyKey !== null));
  const { now, newId } = env;
  const scorer = scorerFor(prep.scoring, tenantId);

  const claimRows: Array<typeof captureSubmissions.$inferInsert> = [];
  const leadRows: Array<Lead & { _sub: string }> = [];
  const keyRows: Array<{ key: string; leadId: string; _sub: string }> = [];
  const activityRows: Array<typeof activities.$inferInsert & { _sub: string }> = [];
  const auditRows: Array<typeof auditLog.$inferInsert & { _subs: string[] }> = [];
  const touched = new Map<string, string[]>();
  const batchIndex = new DuplicateIndex();
  const batchLeads = new Map<string, DuplicateCandidateFields>();
  const pending = new Map<string, { i: number; result: CaptureResult }>();

  for (const i of writable) {
    const item = items[i]!;
    if (item.idempotencyKey !== null) {
      const prior = prep.priors.get(keyOf(item));
      if (prior) {
        answers[i] = replayOf(prior, item);
        continue;
      }
    }
    const probe = { id: item.leadId, ...item.draft.lead };
    const keys = keysOf.get(i)!;
    const candidates = new Map<string, Candidate>();
    for (const key of keys) for (const id of prep.byKey.get(key) ?? []) candidates.set(id, prep.byId.get(id)!);
    const [match] = candidates.size > 0 ? findDuplicates(probe, candidates.values(), { limit: 1 }) : [];
    if (!match) {
      const unseen = [...batchIndex.candidatesFor(probe).map((id) => batchLeads.get(id)!), ...(env.recentNear?.(probe) ?? [])];
      if (unseen.length > 0 && findDuplicates(probe, unseen, { limit: 1 }).length > 0) {
        answers[i] = DEFERRED;
        continue;
      }
    }

    let result: CaptureResult;
    if (match && prep.policy === 'attach') {
      result = { leadId: match.id, submissionId: item.submissionId, outcome: 'attached', replayed: false };
      activityRows.push({ id: newId(), tenantId, entityType: 'lead', entityId: match.id, kind: 'note', subject: SUBMISSION_SUBJECT, body: submissionSummary(item.draft), occurredAt: now, dueAt: null, doneAt: null, ownerId: null, createdAt: now, _sub: item.submissionId });
      touched.set(match.id, [...(touched.get(match.id) ?? []), item.submissionId]);
    } else {
      result = { leadId: item.leadId, submissionId: item.submissionId, outcome: 'created', replayed: false };
      const noteActivity = item.draft.note === null ? [] : [{ kind: 'note' as const, occurredAt: now }];
      const { score, factors } = scorer(item.draft.lead, noteActivity, now);
      const lead: Lead = {
        id: item.leadId, tenantId, ...item.draft.lead, status: 'NEW', disqualifyReason: null, score, scoreFactors: factors, winProbability: null,
        ownerId: null, teamId: null, possibleDuplicateOf: match?.id ?? null, convertedContactId: null, convertedCompanyId: null, convertedDealId: null,
        lastActivityAt: item.draft.note === null ? null : now, archived: false, createdAt: now, updatedAt: now,
      };
      leadRows.push({ ...lead, _sub: item.submissionId });
      batchIndex.add(probe);
      batchLeads.set(probe.id, probe);
      for (const key of keys) keyRows.push({ key, leadId: lead.id, _sub: item.submissionId });
      auditRows.push({ id: newId(), tenantId, actorId: null, entityType: 'lead', entityId: lead.id, action: 'create', before: null, after: auditCreated(lead), at: now, _subs: [item.submissionId] });
      if (item.draft.note !== null) {
        activityRows.push({ id: newId(), tenantId, entityType: 'lead', entityId: lead.id, kind: 'note', subject: SUBMISSION_SUBJECT, body: item.draft.note, occurredAt: now, dueAt: null, doneAt: null, ownerId: null, createdAt: now, _sub: item.submissionId });
      }
    }
    claimRows.push({
      id: item.submissionId, tenantId, formId: item.formId, idempotencyKey: item.idempotencyKey, requestHash: item.requestHash,
      leadId: result.leadId, outcome: result.outcome, response: { leadId: result.leadId, submissionId: result.submissionId }, createdAt: now,
    });
    pending.set(item.submissionId, { i, result });
  }
  for (const [leadId, subs] of touched) {
    const before = prep.byId.get(leadId)!.lastActivityAt;
    auditRows.push({ id: newId(), tenantId, actorId: null, entityType: 'lead', entityId: leadId, action: 'update', before: { lastActivityAt: before }, after: { lastActivityAt: now }, at: now, _subs: subs });
  }

  if (claimRows.length > 0) {
    env.onDecided?.([...batchLeads.values()]);
    // Sorted, so two processes claiming overlapping keys lock them in the same order and cannot deadlock.
    const order = (r: (typeof claimRows)[number]) => `${r.formId}\u0000${r.idempotencyKey ?? ''}`;
    claimRows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    const claimed = new Set(await writeClaimed(db, tenantId, now, { claimRows, leadRows, keyRows, activityRows, auditRows, touched }));
    const lost: number[] = [];
    for (const [sub, { i, result }] of pending) {
      if (claimed.has(sub)) answers[i] = result;
      else lost.push(i);
    }
    if (lost.length > 0) {
      const priors = await priorsOf(db, lost.map((i) => items[i]!));
      for (const i of lost) {
        const prior = priors.get(keyOf(items[i]!));
        if (!prior) throw new Error('an idempotency claim conflicted but its submission is not visible');
        answers[i] = replayOf(prior, items[i]!);
      }
    }
  }

  for (const i of followers) {
    const leaderIndex = leaderOf.get(keyOf(items[i]!))!;
    const leader = answers[leaderIndex]!;
    answers[i] = leader === DEFERRED || leader instanceof AppError ? leader
      : items[i]!.requestHash === items[leaderIndex]!.requestHash ? { ...leader, replayed: true }
      : reusedKey();
  }
  return answers.map((a) => a!);
}

interface BatchRows {
  claimRows: Array<typeof captureSubmissions.$inferInsert>;
  leadRows: Array<Lead & { _sub: string }>;
  keyRows: Array<{ key: string; leadId: string; _sub: string }>;
  activityRows: Array<typeof activities.$inferInsert & { _sub: string }>;
  auditRows: Array<typeof auditLog.$inferInsert & { _subs: string[] }>;
  touched: Map<string, string[]>;
}

/** Round trip 2: the one statement. Returns the ids of the submissions it claimed (and so wrote). */
async function writeClaimed(db: SqlRunner, tenantId: string, now: number, rows: BatchRows): Promise<string[]> {
  const [row] = await db.rows<{ claimed: string[] }>(WRITE.name, WRITE.text, [
    tenantId,
    rowsOf.claims.json(rows.claimRows),
    rowsOf.leads.json(rows.leadRows),
    rowsOf.activities.json(rows.activityRows),
    rowsOf.audit.json(rows.auditRows),
    rowsOf.keys.json(rows.keyRows),
    JSON.stringify([...rows.touched].map(([id, subs]) => ({ id, _subs: subs }))),
    now,
  ]);
  return row?.claimed ?? [];
}
