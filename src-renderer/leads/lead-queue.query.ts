// The lead queue's filters and sort as the user typed them, turned into a `leads.queue` input (or the fields at fault).
import type { z } from 'zod';
import type { LeadQueueInput, LeadQueueSort } from '../../src-shared/api/leads.api';
import { LEAD_STATUSES } from '../../src-shared/domain/leads.schema';
import type { LeadStatus } from '../../src-shared/domain/leads.schema';
import type { FieldProblem } from '../../src-shared/domain/result';

export type SortKey = z.infer<typeof LeadQueueSort>;
export type SortDir = 'asc' | 'desc';

/** The filters as the inputs hold them (text, so a half-typed value is kept and can be named as wrong). */
export interface QueueFilters {
  status: LeadStatus[];
  /** Comma-separated sources, matched exactly. */
  source: string;
  /** '' any owner, {@link UNASSIGNED} for leads without one, else a user id. */
  owner: string;
  /** '' any team, else a team id. */
  team: string;
  scoreMin: string;
  scoreMax: string;
  /** Calendar dates (YYYY-MM-DD), both ends included. */
  createdFrom: string;
  createdTo: string;
  search: string;
}

export interface QueueSort {
  sort: SortKey;
  dir: SortDir;
}

export const UNASSIGNED = 'unassigned';

export const EMPTY_FILTERS: QueueFilters = {
  status: [], source: '', owner: '', team: '', scoreMin: '', scoreMax: '', createdFrom: '', createdTo: '', search: '',
};

export const DEFAULT_SORT: QueueSort = { sort: 'score', dir: 'desc' };

export const SORT_LABELS: Record<SortKey, string> = { score: 'Score', createdAt: 'Created', updatedAt: 'Updated', name: 'Name' };

/** The direction a sort starts in: best, newest first; names A to Z. */
export const defaultDir = (sort: SortKey): SortDir => (sort === 'name' ? 'asc' : 'desc');

/** The filtering and ordering part of a `leads.queue` input; paging (limit, cursor, offset, withTotal) is added per page. */
export type QueueQuery = Omit<z.input<typeof LeadQueueInput>, 'limit' | 'cursor' | 'offset' | 'withTotal'>;

export type QueryResult = { ok: true; query: QueueQuery } | { ok: false; problems: FieldProblem[] };

const DAY_MS = 86_400_000;
const SEARCH_MAX = 200;

function parseScore(text: string, path: string, problems: FieldProblem[]): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 0 || n > 100) {
    problems.push({ path, message: 'a whole number from 0 to 100' });
    return undefined;
  }
  return n;
}

/** Local midnight of a calendar date as epoch ms; `tzOffsetMinutes` is `Date#getTimezoneOffset()` (UTC minus local). */
function parseDate(text: string, path: string, tzOffsetMinutes: number, problems: FieldProblem[]): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const utc = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC rolls 2026-02-31 over into March: a date that does not survive the round trip does not exist.
  if (!m || Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== t) {
    problems.push({ path, message: 'a date as YYYY-MM-DD' });
    return undefined;
  }
  return utc + tzOffsetMinutes * 60_000;
}

/** Splits "web, event" into ['web', 'event'], dropping blanks and repeats. */
export function parseSources(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

/**
 * The `leads.queue` filters for what the user set, or every field at fault (named by the filter's key).
 * `tzOffsetMinutes` places the calendar dates in the user's time zone.
 */
export function buildQueueQuery(filters: QueueFilters, order: QueueSort, tzOffsetMinutes: number): QueryResult {
  const problems: FieldProblem[] = [];
  const query: QueueQuery = { sort: order.sort, dir: order.dir };
  const status = LEAD_STATUSES.filter((s) => filters.status.includes(s));
  if (status.length > 0) query.status = status;
  const sources = parseSources(filters.source);
  if (sources.length > 50) problems.push({ path: 'source', message: 'at most 50 sources' });
  else if (sources.some((s) => s.length > 200)) problems.push({ path: 'source', message: 'a source is at most 200 characters' });
  else if (sources.length > 0) query.source = sources;
  if (filters.owner !== '') query.ownerId = [filters.owner === UNASSIGNED ? null : filters.owner];
  if (filters.team !== '') query.teamId = [filters.team];

  const scoreMin = parseScore(filters.scoreMin, 'scoreMin', problems);
  const scoreMax = parseScore(filters.scoreMax, 'scoreMax', problems);
  if (scoreMin !== undefined && scoreMax !== undefined && scoreMin > scoreMax) problems.push({ path: 'scoreMax', message: 'below the minimum score' });
  if (scoreMin !== undefined) query.scoreMin = scoreMin;
  if (scoreMax !== undefined) query.scoreMax = scoreMax;

  const from = parseDate(filters.createdFrom, 'createdFrom', tzOffsetMinutes, problems);
  const to = parseDate(filters.createdTo, 'createdTo', tzOffsetMinutes, problems);
  if (from !== undefined && to !== undefined && from > to) problems.push({ path: 'createdTo', message: 'before the start date' });
  if (from !== undefined) query.createdFrom = from;
  // The end date is included: the query's bound is exclusive, so it is the next day's midnight.
  if (to !== undefined) query.createdTo = to + DAY_MS;

  const search = filters.search.trim();
  if (search.length > SEARCH_MAX) problems.push({ path: 'search', message: `at most ${SEARCH_MAX} characters` });
  else if (search !== '') query.search = search;

  return problems.length > 0 ? { ok: false, problems } : { ok: true, query };
}

/** Whether any filter narrows the queue (so "Clear filters" has something to clear). */
export function hasFilters(filters: QueueFilters): boolean {
  return (Object.keys(EMPTY_FILTERS) as (keyof QueueFilters)[]).some((k) => {
    const v = filters[k];
    return Array.isArray(v) ? v.length > 0 : v.trim() !== '';
  });
}
