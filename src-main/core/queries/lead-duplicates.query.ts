// Duplicate check of leads or drafts: candidates from the indexed match keys, then the shared fuzzy scoring.
import type { DuplicateMatchOut } from '../../../src-shared/api/leads.api';
import { CandidateRanker, findDuplicates } from '../../../src-shared/domain/duplicate-detection';
import type { DuplicateCandidateFields } from '../../../src-shared/domain/duplicate-keys';
import { matchKeys } from '../../../src-shared/domain/duplicate-keys';
import type { LeadStatus } from '../../../src-shared/domain/leads.schema';
import { prepared } from '../../store/statement-cache';
import type { CoreContext } from '../core-context';

/**
 * The leads holding a key, read once per key however many probes share it (an import's rows share their company's
 * keys); each probe's candidates are then chosen from these blocks as topCandidates says. Plain id strings: a big
 * company's blocks hold hundreds of ids. No tenant condition: a desktop store holds one tenant (see openClient).
 */
const KEY_IDS_SQL = 'SELECT lead_id FROM lead_dedupe_keys WHERE key = ? /* ids */';

/** The candidates' fields, each lead once however many probes it is a candidate of. */
const LEADS_SQL = `
  SELECT id, first_name AS firstName, last_name AS lastName, email, phone, company_name AS companyName, status, owner_id AS ownerId
  FROM leads WHERE id IN (SELECT value FROM json_each(?))`;

/** Probes whose candidates are loaded together: bounds the rows one statement returns. */
const PROBES_PER_QUERY = 500;

type Candidate = DuplicateCandidateFields & { status: LeadStatus; ownerId: string | null };

export interface DuplicateProbe extends Omit<DuplicateCandidateFields, 'id'> {
  id?: string;
}

export function leadDuplicates(ctx: CoreContext, probe: DuplicateProbe, opts: { threshold?: number; limit?: number } = {}): DuplicateMatchOut[] {
  return leadDuplicatesOfMany(ctx, [probe], opts)[0]!;
}

/** The duplicates in the store of each probe, in the probes' order; candidates loaded for many probes at once. */
export function leadDuplicatesOfMany(ctx: CoreContext, probes: readonly DuplicateProbe[], opts: { threshold?: number; limit?: number } = {}): DuplicateMatchOut[][] {
  const out: DuplicateMatchOut[][] = [];
  for (let start = 0; start < probes.length; start += PROBES_PER_QUERY) {
    const chunk = probes.slice(start, start + PROBES_PER_QUERY).map((p) => ({ ...p, id: p.id ?? '' }));
    const keysOf = chunk.map((p) => new Set(matchKeys(p)));
    const allKeys = [...new Set(keysOf.flatMap((k) => [...k]))];
    const keyIds = prepared(ctx.store.sqlite, KEY_IDS_SQL).pluck(true);
    const idsByKey = new Map(allKeys.map((key) => [key, keyIds.all(key) as string[]]));
    const ranker = new CandidateRanker(idsByKey);
    const chosen = chunk.map((probe, i) => ranker.top(keysOf[i]!, probe.id));
    const ids = [...new Set(chosen.flat())];
    const rows = ids.length === 0 ? [] : (prepared(ctx.store.sqlite, LEADS_SQL).all(JSON.stringify(ids)) as Candidate[]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    chunk.forEach((probe, i) => {
      const candidates = chosen[i]!.flatMap((id) => byId.get(id) ?? []);
      const matches = candidates.length === 0 ? [] : findDuplicates(probe, candidates, opts);
      out.push(matches.map((m) => {
        const c = byId.get(m.id)!;
        return { ...m, lead: { firstName: c.firstName ?? '', lastName: c.lastName ?? '', email: c.email, phone: c.phone, companyName: c.companyName, status: c.status, ownerId: c.ownerId } };
      }));
    });
  }
  return out;
}
