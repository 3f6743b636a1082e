// The lead queue's filters as typed → the leads.queue input, or the fields at fault.
import { describe, expect, it } from 'vitest';
import { buildQueueQuery, DEFAULT_SORT, EMPTY_FILTERS, hasFilters, parseSources, UNASSIGNED } from '../../../src-renderer/leads/lead-queue.query';
import type { QueueFilters, QueueQuery } from '../../../src-renderer/leads/lead-queue.query';

const DAY = 86_400_000;
const JAN_10_UTC = Date.UTC(2026, 0, 10);
const f = (over: Partial<QueueFilters>): QueueFilters => ({ ...EMPTY_FILTERS, ...over });

describe('buildQueueQuery', () => {
  it.each<[string, Partial<QueueFilters>, number, Omit<QueueQuery, 'sort' | 'dir'>]>([
    ['no filters', {}, 0, {}],
    ['statuses, in lifecycle order whatever the click order', { status: ['DISQUALIFIED', 'NEW'] }, 0, { status: ['NEW', 'DISQUALIFIED'] }],
    ['sources, comma-separated, blanks and repeats dropped', { source: ' web, event,,web ' }, 0, { source: ['web', 'event'] }],
    ['one owner', { owner: 'u-1' }, 0, { ownerId: ['u-1'] }],
    ['unassigned leads', { owner: UNASSIGNED }, 0, { ownerId: [null] }],
    ['a team', { team: 't-1' }, 0, { teamId: ['t-1'] }],
    ['a score range, ends included', { scoreMin: '20', scoreMax: ' 80 ' }, 0, { scoreMin: 20, scoreMax: 80 }],
    ['a minimum score alone', { scoreMin: '0' }, 0, { scoreMin: 0 }],
    ['dates in UTC, the end day included', { createdFrom: '2026-01-10', createdTo: '2026-01-10' }, 0, { createdFrom: JAN_10_UTC, createdTo: JAN_10_UTC + DAY }],
    ['dates at local midnight (UTC+2: offset -120)', { createdFrom: '2026-01-10' }, -120, { createdFrom: JAN_10_UTC - 2 * 3_600_000 }],
    ['dates at local midnight (UTC-5: offset 300)', { createdTo: '2026-01-10' }, 300, { createdTo: JAN_10_UTC + DAY + 5 * 3_600_000 }],
    ['a search, trimmed', { search: '  acme ' }, 0, { search: 'acme' }],
    ['a blank search', { search: '   ' }, 0, {}],
  ])('%s', (_name, filters, tz, expected) => {
    expect(buildQueueQuery(f(filters), DEFAULT_SORT, tz)).toEqual({ ok: true, query: { sort: 'score', dir: 'desc', ...expected } });
  });

  it('carries the sort and its direction', () => {
    expect(buildQueueQuery(EMPTY_FILTERS, { sort: 'name', dir: 'asc' }, 0)).toEqual({ ok: true, query: { sort: 'name', dir: 'asc' } });
  });

  it.each<[string, Partial<QueueFilters>, { path: string; message: string }[]]>([
    ['a score that is not a number', { scoreMin: 'ten' }, [{ path: 'scoreMin', message: 'a whole number from 0 to 100' }]],
    ['a score above 100', { scoreMax: '101' }, [{ path: 'scoreMax', message: 'a whole number from 0 to 100' }]],
    ['a fractional score', { scoreMin: '2.5' }, [{ path: 'scoreMin', message: 'a whole number from 0 to 100' }]],
    ['a minimum above the maximum', { scoreMin: '60', scoreMax: '40' }, [{ path: 'scoreMax', message: 'below the minimum score' }]],
    ['a malformed date', { createdFrom: '10/01/2026' }, [{ path: 'createdFrom', message: 'a date as YYYY-MM-DD' }]],
    ['a day that does not exist', { createdTo: '2026-02-31' }, [{ path: 'createdTo', message: 'a date as YYYY-MM-DD' }]],
    ['an end before the start', { createdFrom: '2026-03-02', createdTo: '2026-03-01' }, [{ path: 'createdTo', message: 'before the start date' }]],
    ['a search too long', { search: 'x'.repeat(201) }, [{ path: 'search', message: 'at most 200 characters' }]],
    ['too many sources', { source: Array.from({ length: 51 }, (_, i) => `s${i}`).join(',') }, [{ path: 'source', message: 'at most 50 sources' }]],
    ['two wrong fields at once', { scoreMin: '-1', createdFrom: 'yesterday' }, [
      { path: 'scoreMin', message: 'a whole number from 0 to 100' }, { path: 'createdFrom', message: 'a date as YYYY-MM-DD' },
    ]],
  ])('names the field at fault: %s', (_name, filters, problems) => {
    expect(buildQueueQuery(f(filters), DEFAULT_SORT, 0)).toEqual({ ok: false, problems });
  });
});

describe('parseSources and hasFilters', () => {
  it.each<[string, string[]]>([['', []], ['web', ['web']], [' a ,b,a,, ', ['a', 'b']]])('parseSources(%j)', (text, expected) => {
    expect(parseSources(text)).toEqual(expected);
  });

  it.each<[Partial<QueueFilters>, boolean]>([
    [{}, false], [{ search: '  ' }, false], [{ search: 'x' }, true], [{ status: ['NEW'] }, true], [{ owner: UNASSIGNED }, true], [{ createdTo: '2026-01-01' }, true],
  ])('hasFilters(%j) is %s', (filters, expected) => {
    expect(hasFilters(f(filters))).toBe(expected);
  });
});
