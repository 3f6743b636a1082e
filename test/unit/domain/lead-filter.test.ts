import { describe, expect, it } from 'vitest';
import { matchesAll, matchesFilter } from '../../../src-shared/domain/lead-filter';
import type { LeadFieldFilter } from '../../../src-shared/domain/automation.schema';

const lead = { source: 'Google', country: 'DE', email: 'Ana@Example.COM', title: 'VP of Sales', phone: null };

describe('matchesFilter', () => {
  it.each<[LeadFieldFilter, boolean]>([
    [{ field: 'source', op: 'eq', values: ['google'] }, true],
    [{ field: 'source', op: 'eq', values: ['bing'] }, false],
    [{ field: 'country', op: 'in', values: ['fr', 'de'] }, true],
    [{ field: 'country', op: 'in', values: ['fr'] }, false],
    [{ field: 'title', op: 'contains', values: ['vp', 'chief'] }, true],
    [{ field: 'title', op: 'contains', values: ['intern'] }, false],
    [{ field: 'phone', op: 'present', values: [] }, false],
    [{ field: 'email', op: 'present', values: [] }, true],
    [{ field: 'email', op: 'emailDomainIn', values: ['example.com'] }, true],
    [{ field: 'email', op: 'emailDomainIn', values: ['gmail.com'] }, false],
    [{ field: 'phone', op: 'in', values: [''] }, false],
  ])('%j → %s', (filter, expected) => {
    expect(matchesFilter(lead, filter)).toBe(expected);
  });

  it('needs every filter to match', () => {
    expect(matchesAll(lead, [])).toBe(true);
    expect(matchesAll(lead, [{ field: 'source', op: 'eq', values: ['google'] }, { field: 'country', op: 'eq', values: ['de'] }])).toBe(true);
    expect(matchesAll(lead, [{ field: 'source', op: 'eq', values: ['google'] }, { field: 'country', op: 'eq', values: ['fr'] }])).toBe(false);
  });
});
