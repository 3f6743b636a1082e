// The lead queue's CSV export: one line per lead, owners by name, dates in ISO, formulas defused, parsable back.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, csvFileName, csvRecords, leadsToCsv } from '../../../src-renderer/leads/lead-csv';
import type { LeadQueueRow } from '../../../src-shared/api/leads.api';
import type { DirectoryUser } from '../../../src-shared/api/directory.api';

const T = Date.UTC(2026, 0, 15, 9, 30);
const USERS: DirectoryUser[] = [{ id: 'u1', name: 'Rita Rep', email: 'rep1@demo.test', role: 'rep', teamId: null, active: true }];

const row = (over: Partial<LeadQueueRow>): LeadQueueRow => ({
  id: 'l1', firstName: 'Ana', lastName: 'Lopez', email: 'ana@lopez.example', phone: null, companyName: 'Lopez Logistics', title: null, country: 'ES',
  source: 'google', status: 'NEW', score: 42, ownerId: 'u1', teamId: null, possibleDuplicateOf: null, lastActivityAt: null, createdAt: T, updatedAt: T,
  scoreFactors: [], ...over,
});

describe('lead CSV', () => {
  it('has one line per lead under the header, with owners by name and times in ISO', () => {
    const csv = leadsToCsv([row({}), row({ id: 'l2', ownerId: null, lastActivityAt: T + 1000 })], USERS);
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual([...CSV_HEADER]);
    expect(parsed).toHaveLength(3);
    expect(parsed[1]).toEqual(['l1', 'Ana', 'Lopez', 'ana@lopez.example', '', 'Lopez Logistics', '', 'ES', 'NEW', 'google', 'Rita Rep', 'rep1@demo.test', '42', '2026-01-15T09:30:00.000Z', '2026-01-15T09:30:00.000Z', '']);
    expect(parsed[2]!.slice(10, 12)).toEqual(['', '']);
    expect(parsed[2]![15]).toBe('2026-01-15T09:30:01.000Z');
  });

  it.each<[string, Partial<LeadQueueRow>, number, string]>([
    ['a comma and quotes survive', { companyName: 'Smith, "Jones" & Co' }, 5, 'Smith, "Jones" & Co'],
    ['a line break survives', { companyName: 'Two\nlines' }, 5, 'Two\nlines'],
    ['a formula is defused', { companyName: '=HYPERLINK("http://evil")' }, 5, '\'=HYPERLINK("http://evil")'],
    ['a leading @ is defused', { firstName: '@SUM(A1)' }, 1, '\'@SUM(A1)'],
    ['an owner not in the directory', { ownerId: 'gone' }, 10, 'Unknown user'],
  ])('%s', (_name, over, column, expected) => {
    const parsed = Papa.parse<string[]>(leadsToCsv([row(over)], USERS), { skipEmptyLines: true }).data;
    expect(parsed[1]![column]).toBe(expected);
  });

  it('gives the cells in header order', () => {
    expect(csvRecords([row({})], USERS)[0]).toHaveLength(CSV_HEADER.length);
  });

  it.each<[number, string]>([[0, 'leads-2026-01-15-0930.csv'], [-120, 'leads-2026-01-15-1130.csv'], [600, 'leads-2026-01-14-2330.csv']])('names the file in local time (offset %i)', (tz, name) => {
    expect(csvFileName(T, tz)).toBe(name);
  });
});
