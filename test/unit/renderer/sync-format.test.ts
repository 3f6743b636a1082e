// The sync status in plain words: what each phase means for the user's changes, counts, progress and times.
import { describe, expect, it } from 'vitest';
import { formatAgo, issuesText, pendingText, phaseExplanation, progressText } from '../../../src-renderer/sync/sync-format';

describe('phaseExplanation', () => {
  it.each<[Parameters<typeof phaseExplanation>[0], string]>([
    [{ phase: 'idle', live: true, readOnly: null }, 'In step with the server; the team’s changes arrive as they happen.'],
    [{ phase: 'idle', live: false, readOnly: null }, 'In step with the server as of the last sync.'],
    [{ phase: 'syncing', live: true, readOnly: null }, 'Sending your changes and fetching the team’s.'],
    [{ phase: 'offline', live: false, readOnly: null }, 'The server cannot be reached: changes are kept and sent when the server is back.'],
    [{ phase: 'paused', live: false, readOnly: null }, 'You chose to work offline: changes are kept and sent when you go back online.'],
    [{ phase: 'readOnly', live: false, readOnly: 'Update the app: the server speaks sync protocol 3' }, 'Update the app: the server speaks sync protocol 3'],
    [{ phase: 'readOnly', live: false, readOnly: null }, 'This app cannot sync with the server’s version: changes are kept but not sent.'],
  ])('%j', (status, expected) => {
    expect(phaseExplanation(status)).toBe(expected);
  });
});

describe('pendingText', () => {
  it.each<[number, string]>([
    [0, 'No pending changes'],
    [1, '1 pending change'],
    [1_000, '1000 pending changes'],
  ])('%d → %s', (n, expected) => {
    expect(pendingText(n)).toBe(expected);
  });
});

describe('progressText', () => {
  it.each<[{ done: number; total: number }, string]>([
    [{ done: 0, total: 320_000 }, '0 of 320,000 rows (0%)'],
    [{ done: 1_200, total: 5_000 }, '1,200 of 5,000 rows (24%)'],
    [{ done: 5_000, total: 5_000 }, '5,000 of 5,000 rows (100%)'],
    // A total not known yet, and a count that ran past an estimate, stay sensible.
    [{ done: 10, total: 0 }, '10 of 0 rows (0%)'],
    [{ done: 6_000, total: 5_000 }, '6,000 of 5,000 rows (100%)'],
  ])('%j → %s', (progress, expected) => {
    expect(progressText(progress, 'en-US')).toBe(expected);
  });
});

describe('formatAgo', () => {
  const now = Date.UTC(2025, 2, 10, 15, 0, 0);
  it.each<[number, string]>([
    [now, 'just now'],
    [now + 5_000, 'just now'],
    [now - 59_000, 'just now'],
    [now - 60_000, '1 min ago'],
    [now - 59 * 60_000, '59 min ago'],
    [now - 3 * 3_600_000, '3 h ago'],
    [now - 30 * 3_600_000, 'yesterday'],
  ])('%d → %s', (at, expected) => {
    expect(formatAgo(at, now, 'en-US')).toBe(expected);
  });

  it('gives the date and time for anything older than two days', () => {
    expect(formatAgo(now - 3 * 86_400_000, now, 'en-US')).toMatch(/^Mar 7, 2025, \d{1,2}:00\s[AP]M$/);
  });
});

describe('issuesText', () => {
  it.each<[number, number, string]>([
    [0, 0, ''],
    [1, 0, '1 conflict'],
    [2, 0, '2 conflicts'],
    [0, 1, '1 refused change'],
    [3, 2, '3 conflicts, 2 refused changes'],
  ])('%d conflicts, %d refused → %j', (conflicts, refused, expected) => {
    expect(issuesText(conflicts, refused)).toBe(expected);
  });
});
