// Duplicate check of one lead or draft: candidates from the indexed match keys, then the shared fuzzy scoring.
import type { DuplicateMatchOut } from '../../../src-shared/api/leads.api';
import { findDuplicates } from '../../../src-shared/domain/duplicate-detection';
import type { DuplicateCandidateFields } from '../../../src-shared/domain/duplicate-keys';
import { matchKeys } from '../../../src-shared/domain/duplicate-keys';
import type { LeadStatus } from '../../../src-shared/domain/leads.schema';
import { prepared } from '../../store/statement-cache';
import type { CoreContext } from '../core-context';

/** Bounds the work for a very common key (a frequent name at a big company); the best matches share rarer keys too. */
const MAX_CANDIDATES = 2000;

const CANDIDATES_SQL = `
  SELECT DISTINCT l.id, l.first_name AS firstName, l.last_name AS lastName, l.email, l.phone, l.company_name AS companyName,
         l.status, l.owner_id AS ownerId
  FROM lead_dedupe_keys k JOIN leads l ON l.id = k.lead_id
  WHERE k.key IN (SELECT value FROM json_each(?)) AND l.tenant_id = ? AND l.id <> ?
  LIMIT ${MAX_CANDIDATES}`;

type Candidate = DuplicateCandidateFields & { status: LeadStatus; ownerId: string | null };

export interface DuplicateProbe extends Omit<DuplicateCandidateFields, 'id'> {
  id?: string;
}

export function leadDuplicates(ctx: CoreContext, probe: DuplicateProbe, opts: { threshold?: number; limit?: number } = {}): DuplicateMatchOut[] {
  const keys = matchKeys(probe);
  if (keys.length === 0) return [];
  const rows = prepared(ctx.store.sqlite, CANDIDATES_SQL).all(JSON.stringify(keys), ctx.actor().tenantId, probe.id ?? '') as Candidate[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const matches = findDuplicates({ ...probe, id: probe.id ?? '' }, rows, opts);
  return matches.map((m) => {
    const c = byId.get(m.id)!;
    return { ...m, lead: { firstName: c.firstName ?? '', lastName: c.lastName ?? '', email: c.email, phone: c.phone, companyName: c.companyName, status: c.status, ownerId: c.ownerId } };
  });
}
