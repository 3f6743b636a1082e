// The lead history as read: who did what, with before → after for each changed field.
import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditChanges, formatAuditValue } from '../../../src-renderer/lead-detail/audit-format';
import type { AuditFormatContext } from '../../../src-renderer/lead-detail/audit-format';
import type { AuditEntry } from '../../../src-shared/domain/activities.schema';

const ctx: AuditFormatContext = {
  userName: (id) => ({ u1: 'Rita Rep', u2: 'Max Manager' })[id] ?? 'Unknown user',
  teamName: (id) => ({ t1: 'East' })[id] ?? 'Unknown team',
  formatTime: (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' '),
};

type Entry = Pick<AuditEntry, 'action' | 'before' | 'after'>;

describe('auditChanges', () => {
  it.each<[string, Entry, [string, string, string][]]>([
    ['an edit lists each changed field', { action: 'update', before: { email: 'a@x.example', title: null }, after: { email: 'b@x.example', title: 'CTO' } }, [['Email', 'a@x.example', 'b@x.example'], ['Title', '—', 'CTO']]],
    ['a status move', { action: 'update', before: { status: 'NEW' }, after: { status: 'QUALIFIED' } }, [['Status', 'NEW', 'QUALIFIED']]],
    ['owner and team read as names', { action: 'assign', before: { ownerId: 'u1', teamId: null }, after: { ownerId: 'u2', teamId: 't1' } }, [['Owner', 'Rita Rep', 'Max Manager'], ['Team', '—', 'East']]],
    ['instants read as times', { action: 'update', before: { lastActivityAt: null }, after: { lastActivityAt: Date.UTC(2025, 0, 2, 3, 4) } }, [['Last activity', '—', '2025-01-02 03:04']]],
    ['bookkeeping is left out', { action: 'update', before: { score: 10, scoreFactors: [] }, after: { score: 25, scoreFactors: [{ key: 'k', label: 'Has email', points: 15 }] } }, [['Score', '10', '25']]],
    ['a created record lists its values from empty', { action: 'create', before: null, after: { id: 'l1', tenantId: 't', firstName: 'Ana', status: 'NEW', createdAt: 1 } }, [['First name', '—', 'Ana'], ['Status', '—', 'NEW']]],
    ['a merge into this lead names the merged lead', { action: 'merge', before: { phone: null }, after: { phone: '+1', mergedLeadId: 'l2' } }, [['Phone', '—', '+1'], ['Merged lead', '—', 'l2']]],
    ['a lead merged away says where it went', { action: 'merge', before: { firstName: 'Ana', email: 'a@x.example' }, after: { mergedInto: 'l1' } }, [['Merged into', '—', 'l1']]],
    ['a conversion links its records', { action: 'convert', before: { status: 'QUALIFIED', convertedDealId: null }, after: { status: 'CONVERTED', convertedDealId: 'd1' } }, [['Status', 'QUALIFIED', 'CONVERTED'], ['Converted deal', '—', 'd1']]],
    ['a deletion without notes lists nothing', { action: 'delete', before: { firstName: 'Ana' }, after: null }, []],
    ['an unchanged value is not a change', { action: 'update', before: { archived: false }, after: { archived: false } }, []],
  ])('%s', (_name, entry, expected) => {
    expect(auditChanges(entry, ctx).map((c) => [c.label, c.before, c.after])).toEqual(expected);
  });
});

describe('formatAuditValue', () => {
  it.each<[string, unknown, string]>([
    ['email', null, '—'],
    ['email', '', '—'],
    ['archived', true, 'yes'],
    ['winProbability', 0.425, '43%'],
    ['scoreFactors', [{ label: 'Has email' }, { label: 'Recent call' }], 'Has email, Recent call'],
    ['ownerId', 'nobody', 'Unknown user'],
    ['nextStep', 'Call back', 'Call back'],
  ])('%s = %j reads %j', (field, value, text) => {
    expect(formatAuditValue(field, value, ctx)).toBe(text);
  });

  it('names the actions in words', () => {
    expect(['create', 'update', 'merge', 'convert'].map((a) => auditActionLabel(a as AuditEntry['action']))).toEqual(['created', 'edited', 'merged', 'converted']);
  });
});
