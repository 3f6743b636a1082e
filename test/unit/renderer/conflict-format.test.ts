// Conflict values and refused changes in words: money in minor units, dates, owners, stages, field and mutation names.
import { describe, expect, it } from 'vitest';
import { describeConflict, fieldLabel, formatCalendarDate, formatConflictValue, formatMoney, mutationLabel, refusalText } from '../../../src-renderer/sync/conflict-format';
import type { ValueContext } from '../../../src-renderer/sync/conflict-format';

const users = [
  { id: 'u-rita', name: 'Rita Rep' },
  { id: 'u-max', name: 'Max Manager' },
];
const ctx: ValueContext = { users, stages: new Map([['s-prop', 'Proposal']]), currency: 'EUR', locale: 'en-US' };

describe('formatMoney', () => {
  it.each<[number, string | null, string]>([
    [1_234_500, 'EUR', '€12,345.00'],
    [0, 'USD', '$0.00'],
    [5, 'USD', '$0.05'],
    [-2_50, 'GBP', '-£2.50'],
    // Yen have no minor unit: the number is already whole yen.
    [12_345, 'JPY', '¥12,345'],
    [1_234_500, null, '12,345.00'],
  ])('%j %s → %s', (minor, currency, expected) => {
    expect(formatMoney(minor, currency, 'en-US')).toBe(expected);
  });
});

describe('formatCalendarDate', () => {
  it.each<[string, string]>([
    ['2025-03-05', 'Mar 5, 2025'],
    ['2024-12-31', 'Dec 31, 2024'],
    // Not a calendar date: shown as it is rather than guessed at.
    ['next week', 'next week'],
  ])('%s → %s', (date, expected) => {
    expect(formatCalendarDate(date, 'en-US')).toBe(expected);
  });
});

describe('fieldLabel', () => {
  it.each<[string, string]>([
    ['amountMinor', 'Amount'],
    ['stageId', 'Stage'],
    ['ownerId', 'Owner'],
    ['expectedCloseDate', 'Expected close date'],
    ['utmSource', 'Utm source'],
    ['', 'Record'],
  ])('%j → %s', (field, expected) => {
    expect(fieldLabel(field)).toBe(expected);
  });
});

describe('formatConflictValue', () => {
  it.each<[string, unknown, string]>([
    ['amountMinor', 2_220_000, '€22,200.00'],
    ['amountMinor', null, '(none)'],
    ['ownerId', 'u-rita', 'Rita Rep'],
    ['ownerId', null, 'Unassigned'],
    ['ownerId', 'u-gone', 'Unknown user'],
    ['stageId', 's-prop', 'Proposal'],
    ['stageId', 's-unknown', 'Unknown stage'],
    ['stageId', '(won)', 'closed as won'],
    ['expectedCloseDate', '2025-06-30', 'Jun 30, 2025'],
    ['expectedCloseDate', null, '(none)'],
    ['discountPct', 12.5, '12.5%'],
    ['nextStep', 'Call back', 'Call back'],
    ['nextStep', '', '(none)'],
    ['probability', 40, '40'],
    ['tags', ['a', 'b'], '["a","b"]'],
  ])('%s = %j → %s', (field, value, expected) => {
    expect(formatConflictValue(field, value, ctx)).toBe(expected);
  });
});

describe('describeConflict', () => {
  const amount = { kind: 'field' as const, field: 'amountMinor', baseValue: 1_000_000, serverValue: 2_220_000, clientValue: 1_110_000, clientUserId: 'u-rita', serverUserId: 'u-max' };

  it('shows the three values and both people, from the offline editor’s side', () => {
    expect(describeConflict(amount, ctx, 'u-rita')).toEqual({
      summary: 'Amount changed on both sides',
      values: [
        { label: 'Before', value: '€10,000.00', side: 'base' },
        { label: 'Server value', value: '€22,200.00', side: 'server' },
        { label: 'Your value', value: '€11,100.00', side: 'client' },
      ],
      who: 'Changed on the server by Max Manager, offline by you.',
    });
  });

  it('names the offline editor to the one whose change is on the server', () => {
    const lines = describeConflict(amount, ctx, 'u-max');
    expect(lines.values[2]).toEqual({ label: 'Offline value', value: '€11,100.00', side: 'client' });
    expect(lines.who).toBe('Changed on the server by you, offline by Rita Rep.');
  });

  it('says "someone" when the audit log does not name the server’s editor', () => {
    expect(describeConflict({ ...amount, serverUserId: null }, ctx, 'u-rita').who).toBe('Changed on the server by someone, offline by you.');
  });

  it('describes a record deleted on the server with no values to compare', () => {
    const deleted = { kind: 'deleted' as const, field: '', baseValue: null, serverValue: null, clientValue: { name: 'x' }, clientUserId: 'u-rita', serverUserId: null };
    expect(describeConflict(deleted, ctx, 'u-max')).toEqual({ summary: 'Deleted on the server while edited offline', values: [], who: 'Edited offline by Rita Rep; the delete stands.' });
  });
});

describe('refused changes', () => {
  it.each<[string, string]>([
    ['leads.qualify', 'Qualify lead'],
    ['deals.move', 'Move deal'],
    ['leads.assign', 'Assign lead'],
    ['approvals.decide', 'Decide approval'],
    ['widgets.spinFast', 'Widgets spin fast'],
  ])('%s → %s', (name, expected) => {
    expect(mutationLabel(name)).toBe(expected);
  });

  it('reads as the change, then why the server refused it', () => {
    expect(refusalText('leads.qualify', 'the tenant requires an email to qualify a lead')).toBe('Qualify lead — refused: the tenant requires an email to qualify a lead');
  });
});
