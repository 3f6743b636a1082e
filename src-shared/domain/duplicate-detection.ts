// Scores how likely two people records are the same person, and finds a new lead's duplicates through blocking keys.
import { jaroWinkler } from '@skyra/jaro-winkler';
import type { DuplicateCandidateFields } from './duplicate-keys';
import {
  companyLabel,
  emailCompanyLabel,
  matchKeys,
  normalizeCompanyName,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
  phoneticKey,
} from './duplicate-keys';

export type DuplicateField = 'email' | 'phone' | 'name' | 'company';

export interface DuplicateMatch {
  id: string;
  /** Probability-like 0..1; at or above the threshold the records are flagged as duplicates. */
  score: number;
  /** The fields that spoke for the match, with their similarity 0..1. */
  matched: Array<{ field: DuplicateField; score: number }>;
}

export interface DuplicateOptions {
  /** Smallest score reported; default 0.8. */
  threshold?: number;
  /** Most matches returned (best first); default all. */
  limit?: number;
}

export const DEFAULT_DUPLICATE_THRESHOLD = 0.8;

/*
 * Scoring is Fellegi–Sunter style evidence in log-odds: start from a prior that two random records are the same
 * person, add a weight per compared field (positive when they agree, negative when they clearly differ), and map the
 * sum through the logistic function. Fields missing on either side add nothing. Calibrated so that:
 *   exact email alone            -6 + 9        → 0.95
 *   exact phone alone            -6 + 7.5      → 0.82
 *   same name + same company     -6 + 6 + 2.5  → 0.92
 *   same name only               -6 + 6        → 0.50 (not a duplicate)
 *   same first name only         -6 - 4        → ~0
 *   another person, same company -6 - 4 + 2.5  → ~0
 * A different email or phone counts only slightly against (people have several), a different name strongly.
 */
const PRIOR = -6;
const EMAIL_AGREE = 9;
const PHONE_AGREE = 7.5;
const CONTACT_DIFFERS = -0.5;
/** (similarity, weight) points; weights between points are interpolated, and held flat beyond the ends. */
const NAME_WEIGHTS: ReadonlyArray<readonly [number, number]> = [[0.7, -4], [0.85, 0], [0.95, 5], [1, 6]];
const COMPANY_WEIGHTS: ReadonlyArray<readonly [number, number]> = [[0.8, -1], [0.9, 1], [1, 2.5]];
/** Stand-in similarity for a first name missing on one side: neither for nor against. */
const UNKNOWN_FIRST_NAME = 0.8;
/** Names that sound the same in both parts ("Jon Jonson" / "John Johnson") count as at least this similar. */
const PHONETIC_FLOOR = 0.95;

interface Prepared {
  id: string;
  email: string | null;
  phone: string | null;
  first: string | null;
  last: string | null;
  firstSound: string | null;
  lastSound: string | null;
  company: string | null;
  /** The company name without spaces, and the company label of a corporate email domain. */
  companyLabel: string | null;
  domainLabel: string | null;
}

function prepare(rec: DuplicateCandidateFields): Prepared {
  return {
    id: rec.id,
    email: normalizeEmail(rec.email),
    phone: normalizePhone(rec.phone),
    first: normalizePersonName(rec.firstName),
    last: normalizePersonName(rec.lastName),
    firstSound: phoneticKey(rec.firstName),
    lastSound: phoneticKey(rec.lastName),
    company: normalizeCompanyName(rec.companyName),
    companyLabel: companyLabel(rec.companyName),
    domainLabel: emailCompanyLabel(rec.email),
  };
}

function interpolate(points: ReadonlyArray<readonly [number, number]>, x: number): number {
  const [x0, y0] = points[0]!;
  if (x <= x0) return y0;
  for (let i = 1; i < points.length; i++) {
    const [xa, ya] = points[i - 1]!;
    const [xb, yb] = points[i]!;
    if (x <= xb) return ya + ((yb - ya) * (x - xa)) / (xb - xa);
  }
  return points[points.length - 1]![1];
}

function firstNameSimilarity(a: string, b: string): number {
  // An initial ("J." → "j") agrees with any name starting with it, but less than the full name would.
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.9 : 0;
  return jaroWinkler(a, b);
}

/**
 * Jaro-Winkler per name part with the last name counted twice. Not over the full name: Jaro-Winkler rewards a shared
 * prefix, so "John Smith" / "John Miller" would look alike on the first name alone.
 */
function nameSimilarity(a: Prepared, b: Prepared): number | null {
  if (!a.last || !b.last) return null;
  const last = a.last === b.last ? 1 : jaroWinkler(a.last, b.last);
  const first = a.first && b.first ? firstNameSimilarity(a.first, b.first) : UNKNOWN_FIRST_NAME;
  const similarity = (first + 2 * last) / 3;
  const soundsSame = a.firstSound !== null && a.firstSound === b.firstSound && a.lastSound !== null && a.lastSound === b.lastSound;
  return soundsSame ? Math.max(similarity, PHONETIC_FLOOR) : similarity;
}

/**
 * Company names by Jaro-Winkler. Corporate email domains also speak: the same domain label says "same company" and
 * a different one "other company"; a company name equal to the other side's domain label ("Acme GmbH" / "@acme.de")
 * says "same company". When both have the same address its domain adds nothing the email did not already say.
 */
function companySimilarity(a: Prepared, b: Prepared): number | null {
  const evidence: number[] = [];
  if (a.company && b.company) evidence.push(a.company === b.company ? 1 : jaroWinkler(a.company, b.company));
  if (a.email === null || a.email !== b.email) {
    if (a.domainLabel && b.domainLabel) evidence.push(a.domainLabel === b.domainLabel ? 1 : 0);
    if ((a.companyLabel && a.companyLabel === b.domainLabel) || (b.companyLabel && b.companyLabel === a.domainLabel)) evidence.push(1);
  }
  return evidence.length === 0 ? null : Math.max(...evidence);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function scorePrepared(a: Prepared, b: Prepared): { score: number; matched: DuplicateMatch['matched'] } {
  let logOdds = PRIOR;
  const matched: DuplicateMatch['matched'] = [];
  const add = (field: DuplicateField, similarity: number, weight: number) => {
    logOdds += weight;
    if (weight > 0) matched.push({ field, score: round3(similarity) });
  };
  if (a.email && b.email) add('email', a.email === b.email ? 1 : 0, a.email === b.email ? EMAIL_AGREE : CONTACT_DIFFERS);
  if (a.phone && b.phone) add('phone', a.phone === b.phone ? 1 : 0, a.phone === b.phone ? PHONE_AGREE : CONTACT_DIFFERS);
  const name = nameSimilarity(a, b);
  if (name !== null) add('name', name, interpolate(NAME_WEIGHTS, name));
  const company = companySimilarity(a, b);
  if (company !== null) add('company', company, interpolate(COMPANY_WEIGHTS, company));
  return { score: 1 / (1 + Math.exp(-logOdds)), matched };
}

/** How likely `a` and `b` are the same person (0..1), and which fields said so. */
export function scoreDuplicate(a: DuplicateCandidateFields, b: DuplicateCandidateFields): Omit<DuplicateMatch, 'id'> {
  const { score, matched } = scorePrepared(prepare(a), prepare(b));
  return { score: round3(score), matched };
}

/** Scores every candidate against the probe; matches at or above the threshold, best first (ties by id). */
export function findDuplicates(
  probe: DuplicateCandidateFields,
  candidates: Iterable<DuplicateCandidateFields>,
  opts: DuplicateOptions = {},
): DuplicateMatch[] {
  const threshold = opts.threshold ?? DEFAULT_DUPLICATE_THRESHOLD;
  const p = prepare(probe);
  const out: Array<DuplicateMatch & { raw: number }> = [];
  for (const candidate of candidates) {
    if (candidate.id === probe.id) continue;
    const { score, matched } = scorePrepared(p, prepare(candidate));
    if (score >= threshold) out.push({ id: candidate.id, score: round3(score), matched, raw: score });
  }
  out.sort((x, y) => y.raw - x.raw || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return out.slice(0, opts.limit ?? out.length).map(({ raw: _raw, ...m }) => m);
}

/**
 * Blocking index: blocking key → ids, so checking one new lead scores only the records sharing a key with it
 * instead of every record. Keys come from `matchKeys`, the same ones the store keeps in its indexed table.
 */
export class DuplicateIndex {
  private readonly idsByKey = new Map<string, Set<string>>();
  private readonly keysById = new Map<string, readonly string[]>();

  constructor(records: Iterable<DuplicateCandidateFields> = []) {
    for (const rec of records) this.add(rec);
  }

  get size(): number {
    return this.keysById.size;
  }

  /** Adds a record, or re-keys it when its id is already indexed (an edit). */
  add(rec: DuplicateCandidateFields): void {
    this.remove(rec.id);
    const keys = matchKeys(rec);
    this.keysById.set(rec.id, keys);
    for (const key of keys) {
      let ids = this.idsByKey.get(key);
      if (!ids) this.idsByKey.set(key, (ids = new Set()));
      ids.add(rec.id);
    }
  }

  /** Forgets a record; false when it was not indexed. */
  remove(id: string): boolean {
    const keys = this.keysById.get(id);
    if (!keys) return false;
    this.keysById.delete(id);
    for (const key of keys) {
      const ids = this.idsByKey.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.idsByKey.delete(key);
    }
    return true;
  }

  /** Ids sharing at least one blocking key with the probe, the probe itself excluded, each once. */
  candidatesFor(probe: Omit<DuplicateCandidateFields, 'id'> & { id?: string }): string[] {
    const found = new Set<string>();
    for (const key of matchKeys(probe)) {
      for (const id of this.idsByKey.get(key) ?? []) if (id !== probe.id) found.add(id);
    }
    return [...found];
  }
}

/** A probe's duplicates among the indexed records: block by key, then score only those. */
export function checkDuplicates(
  probe: DuplicateCandidateFields,
  index: DuplicateIndex,
  getRecord: (id: string) => DuplicateCandidateFields | undefined,
  opts: DuplicateOptions = {},
): DuplicateMatch[] {
  const candidates: DuplicateCandidateFields[] = [];
  for (const id of index.candidatesFor(probe)) {
    const rec = getRecord(id);
    if (rec) candidates.push(rec);
  }
  return findDuplicates(probe, candidates, opts);
}
