// Duplicate check of one lead or draft: candidates from the indexed match keys, then the shared fuzzy scoring.
import type { DuplicateMatchOut } from '../../../src-shared/api/leads.api';
import { findDuplicates } from '../../../src-shared/domain/duplicate-detection';
import type { DuplicateCandidateFields } from '../../../src-shared/domain/duplicate-keys';
import { matchKeys } from '../../../src-shared/domain/duplicate-keys';
import type { LeadStatus } from '../../../src-shared/domain/leads.schema';
import { prepared } from '../../store/statement-cache';
import type { CoreContext } from '../core-context';

/**
 * Bounds the work when a key is very common (a big company's domain with a frequent surname). Candidates come
 * best first: those sharing a strong key (the same email or phone, each enough for a match on its own), then those
 * sharing the most keys, since a true duplicate shares several; one sharing a single broad key rarely scores as one.
 */
const MAX_CANDIDATES = 50;

/** No tenant condition: a desktop store holds one tenant (see openClient). */
const CANDIDATES_SQL = `
  WITH hits AS (
    SELECT lead_id, sum(CASE WHEN substr(key, 1, 2) IN ('e:', 'p:') THEN 100 ELSE 1 END) AS weight FROM lead_dedupe_keys
    WHERE key IN (SELECT value FROM json_each(?)) AND lead_id <> ?
    GROUP BY lead_id ORDER BY weight DESC, lead_id LIMIT ${MAX_CANDIDATES})
  SELECT l.id, l.first_name AS firstName, l.last_name AS lastName, l.email, l.phone, l.company_name AS companyName,
         l.status, l.owner_id AS ownerId
  FROM hits JOIN leads l ON l.id = hits.lead_id`;

type Candidate = DuplicateCandidateFields & { status: LeadStatus; ownerId: string | null };

export interface DuplicateProbe extends Omit<DuplicateCandidateFields, 'id'> {
  id?: string;
}

export function leadDuplicates(ctx: CoreContext, probe: DuplicateProbe, opts: { threshold?: number; limit?: number } = {}): DuplicateMatchOut[] {
  const keys = matchKeys(probe);
  if (keys.length === 0) return [];
  const rows = prepared(ctx.store.sqlite, CANDIDATES_SQL).all(JSON.stringify(keys), probe.id ?? '') as Candidate[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const matches = findDuplicates({ ...probe, id: probe.id ?? '' }, rows, opts);
  return matches.map((m) => {
    const c = byId.get(m.id)!;
    return { ...m, lead: { firstName: c.firstName ?? '', lastName: c.lastName ?? '', email: c.email, phone: c.phone, companyName: c.companyName, status: c.status, ownerId: c.ownerId } };
  });
}
