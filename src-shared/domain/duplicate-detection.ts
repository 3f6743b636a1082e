// Scores how likely two people records are the same person, and finds a new lead's duplicates through blocking keys.
import { jaroWinkler } from '@skyra/jaro-winkler';
import type { DuplicateCandidateFields, MatchFields } from './duplicate-keys';
import { matchFields, matchKeys } from './duplicate-keys';

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

interface Prepared extends MatchFields {
  id: string;
  /** Characters of first, last and company name for Jaro-Winkler, split when first compared (see charsOf). */
  chars?: { first?: readonly string[]; last?: readonly string[]; company?: readonly string[] };
}

/** A prepared name's characters, split once per record rather than once per comparison. */
function charsOf(p: Prepared, field: 'first' | 'last' | 'company'): readonly string[] {
  const chars = (p.chars ??= {});
  return (chars[field] ??= [...p[field]!]);
}

function prepare(rec: DuplicateCandidateFields): Prepared {
  return { id: rec.id, ...matchFields(rec) };
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

function firstNameSimilarity(a: Prepared, b: Prepared): number {
  const x = a.first!;
  const y = b.first!;
  // An initial ("J." → "j") agrees with any name starting with it, but less than the full name would.
  if (x.length === 1 || y.length === 1) return x[0] === y[0] ? 0.9 : 0;
  return jaroWinkler(charsOf(a, 'first'), charsOf(b, 'first'));
}

/**
 * Jaro-Winkler per name part with the last name counted twice. Not over the full name: Jaro-Winkler rewards a shared
 * prefix, so "John Smith" / "John Miller" would look alike on the first name alone.
 */
function nameSimilarity(a: Prepared, b: Prepared): number | null {
  if (!a.last || !b.last) return null;
  const last = a.last === b.last ? 1 : jaroWinkler(charsOf(a, 'last'), charsOf(b, 'last'));
  const first = a.first && b.first ? firstNameSimilarity(a, b) : UNKNOWN_FIRST_NAME;
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
  let best: number | null = null;
  if (a.company && b.company) best = a.company === b.company ? 1 : jaroWinkler(charsOf(a, 'company'), charsOf(b, 'company'));
  if (a.email === null || a.email !== b.email) {
    if (a.domainLabel && b.domainLabel) best = Math.max(best ?? 0, a.domainLabel === b.domainLabel ? 1 : 0);
    if ((a.companyLabel && a.companyLabel === b.domainLabel) || (b.companyLabel && b.companyLabel === a.domainLabel)) best = 1;
  }
  return best;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The largest weight company evidence can add. */
const COMPANY_MAX = Math.max(...COMPANY_WEIGHTS.map(([, w]) => w));

/** The log-odds below which a score is under `threshold` (the logistic function is monotonic). */
const logOddsFloor = (threshold: number) => (threshold <= 0 ? -Infinity : threshold >= 1 ? Infinity : Math.log(threshold / (1 - threshold)));

/**
 * The score, and the fields that spoke for it; null when the score is below `threshold` (most candidates are: the
 * list of matched fields is then not built, nor the company compared when even full agreement could not lift it).
 */
function scorePrepared(a: Prepared, b: Prepared, threshold = 0, floor = logOddsFloor(threshold)): { score: number; matched: DuplicateMatch['matched'] } | null {
  const sameEmail = a.email !== null && a.email === b.email;
  const emailWeight = a.email && b.email ? (sameEmail ? EMAIL_AGREE : CONTACT_DIFFERS) : null;
  const samePhone = a.phone !== null && a.phone === b.phone;
  const phoneWeight = a.phone && b.phone ? (samePhone ? PHONE_AGREE : CONTACT_DIFFERS) : null;
  const name = nameSimilarity(a, b);
  const nameWeight = name === null ? null : interpolate(NAME_WEIGHTS, name);
  // Summed in this order, always: the same floating-point score whatever is skipped.
  let logOdds = PRIOR;
  if (emailWeight !== null) logOdds += emailWeight;
  if (phoneWeight !== null) logOdds += phoneWeight;
  if (nameWeight !== null) logOdds += nameWeight;
  // The margin keeps rounding from ever skipping a pair that would reach the threshold.
  if (logOdds + COMPANY_MAX < floor - 1e-9) return null;
  const company = companySimilarity(a, b);
  const companyWeight = company === null ? null : interpolate(COMPANY_WEIGHTS, company);
  if (companyWeight !== null) logOdds += companyWeight;
  const score = 1 / (1 + Math.exp(-logOdds));
  if (score < threshold) return null;
  const matched: DuplicateMatch['matched'] = [];
  if (emailWeight !== null && emailWeight > 0) matched.push({ field: 'email', score: sameEmail ? 1 : 0 });
  if (phoneWeight !== null && phoneWeight > 0) matched.push({ field: 'phone', score: samePhone ? 1 : 0 });
  if (nameWeight !== null && nameWeight > 0) matched.push({ field: 'name', score: round3(name!) });
  if (companyWeight !== null && companyWeight > 0) matched.push({ field: 'company', score: round3(company!) });
  return { score, matched };
}

/** How likely `a` and `b` are the same person (0..1), and which fields said so. */
export function scoreDuplicate(a: DuplicateCandidateFields, b: DuplicateCandidateFields): Omit<DuplicateMatch, 'id'> {
  const { score, matched } = scorePrepared(prepare(a), prepare(b))!;
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
  const floor = logOddsFloor(threshold);
  const out: Array<DuplicateMatch & { raw: number }> = [];
  for (const candidate of candidates) {
    if (candidate.id === probe.id) continue;
    const scored = scorePrepared(p, prepare(candidate), threshold, floor);
    if (scored) out.push({ id: candidate.id, score: round3(scored.score), matched: scored.matched, raw: scored.score });
  }
  out.sort((x, y) => y.raw - x.raw || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return out.slice(0, opts.limit ?? out.length).map(({ raw: _raw, ...m }) => m);
}

/**
 * Most candidates scored per probe: a very common key (a big company's domain with a frequent surname) would otherwise
 * make one check compare thousands of records. Candidates are kept best first: those sharing a strong key (the same
 * email or phone, each enough for a match on its own), then those sharing the most keys, since a true duplicate shares
 * several; one sharing a single broad key rarely scores as one. Ties by id.
 */
export const MAX_DUPLICATE_CANDIDATES = 50;

/** A candidate's rank weight per key it shares with the probe: a strong key outweighs any number of broad ones. */
export const candidateKeyWeight = (key: string): number => (key.startsWith('e:') || key.startsWith('p:') ? 100 : 1);

/**
 * The ids to score from their summed key weights, as MAX_DUPLICATE_CANDIDATES says; all of them when few enough.
 * Ties go by id in code point order (SQLite's BINARY order of UTF-8), so a store query ranking alike agrees.
 */
export function topCandidates(weights: ReadonlyMap<string, number>, limit = MAX_DUPLICATE_CANDIDATES): string[] {
  if (weights.size <= limit) return [...weights.keys()];
  return [...weights]
    .sort(candidateOrder)
    .slice(0, limit)
    .map(([id]) => id);
}

/** The order topCandidates keeps: [id, weight] pairs by weight, heaviest first, then by id. */
export function candidateOrder([a, wa]: readonly [string, number], [b, wb]: readonly [string, number]): number {
  return wb - wa || codePointOrder(a, b);
}

/** Company keys (c:…): the keys a big company's people share by the hundreds, and many probes share with each other. */
const isCompanyKey = (key: string) => key.startsWith('c:');

type Weighed = Array<[id: string, weight: number]>;

/**
 * Chooses candidates as topCandidates would from fixed blocks (key → ids) for many probes. Weighing every id of a big
 * company's blocks for each of its people would cost as much as the scoring the cap saves, so the company keys'
 * candidates are weighed and ordered once per distinct set of company keys (the same company and surname sound),
 * and each probe only weighs its own keys' (email, phone, name) candidates and merges the two orders.
 */
export class CandidateRanker {
  private readonly shared = new Map<string, { weights: Map<string, number>; ordered: Weighed }>();

  /** `idsByKey` must not change while the ranker is used. */
  constructor(private readonly idsByKey: ReadonlyMap<string, readonly string[]>) {}

  /** The ids topCandidates would choose among those sharing any of `keys`, `selfId` left out. */
  top(keys: Iterable<string>, selfId: string, limit = MAX_DUPLICATE_CANDIDATES): string[] {
    const distinct = [...new Set(keys)];
    const company = this.companyCandidates(distinct.filter(isCompanyKey).sort());
    const own = new Map<string, number>();
    for (const key of distinct) {
      if (isCompanyKey(key)) continue;
      const w = candidateKeyWeight(key);
      for (const id of this.idsByKey.get(key) ?? []) if (id !== selfId) own.set(id, (own.get(id) ?? 0) + w);
    }
    const ownOrdered: Weighed = [...own].map(([id, w]) => [id, w + (company.weights.get(id) ?? 0)]);
    ownOrdered.sort(candidateOrder);
    const out: string[] = [];
    let i = 0;
    let j = 0;
    while (out.length < limit) {
      // The company order without the ids already weighed in full above.
      while (i < company.ordered.length && (own.has(company.ordered[i]![0]) || company.ordered[i]![0] === selfId)) i++;
      const fromCompany = company.ordered[i];
      const fromOwn = ownOrdered[j];
      if (fromOwn && (!fromCompany || candidateOrder(fromOwn, fromCompany) < 0)) {
        out.push(fromOwn[0]);
        j++;
      } else if (fromCompany) {
        out.push(fromCompany[0]);
        i++;
      } else {
        break;
      }
    }
    return out;
  }

  private companyCandidates(keys: string[]): { weights: Map<string, number>; ordered: Weighed } {
    const signature = keys.join('\n');
    let found = this.shared.get(signature);
    if (!found) {
      const weights = new Map<string, number>();
      for (const key of keys) for (const id of this.idsByKey.get(key) ?? []) weights.set(id, (weights.get(id) ?? 0) + candidateKeyWeight(key));
      found = { weights, ordered: [...weights].sort(candidateOrder) };
      this.shared.set(signature, found);
    }
    return found;
  }
}

function codePointOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

/** UTF-16 puts surrogates (characters past U+FFFF) below U+E000..U+FFFF; code point order puts them above. */
const codeUnitRank = (c: number) => (c < 0xd800 ? c : c <= 0xdfff ? c + 0x2000 : c - 0x800);

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

  /** Adds a record, or re-keys it when its id is already indexed (an edit); `keys` when already computed. */
  add(rec: DuplicateCandidateFields, keys: readonly string[] = matchKeys(rec)): void {
    this.remove(rec.id);
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

  /**
   * Ids sharing at least one of `keys`, at most `limit` of them chosen as MAX_DUPLICATE_CANDIDATES says (the store's
   * candidate query ranks alike), `excludeId` left out.
   */
  rankedCandidates(keys: readonly string[], excludeId: string, limit = MAX_DUPLICATE_CANDIDATES): string[] {
    const weights = new Map<string, number>();
    for (const key of new Set(keys)) {
      const w = candidateKeyWeight(key);
      for (const id of this.idsByKey.get(key) ?? []) if (id !== excludeId) weights.set(id, (weights.get(id) ?? 0) + w);
    }
    return topCandidates(weights, limit);
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
