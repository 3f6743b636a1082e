// Notifications in words: each kind named, where a click leads, newest first, and the row's accessible name.
import { describe, expect, it } from 'vitest';
import { NotificationKind } from '../../../src-shared/domain/activities.schema';
import { KIND_LABELS, kindLabel, newestFirst, notificationLabel, notificationTarget, notificationTitle } from '../../../src-renderer/notifications/notification-format';

describe('kindLabel', () => {
  it.each<[NotificationKind, string]>([
    ['assignment', 'Assignment'],
    ['approval.requested', 'Approval request'],
    ['approval.decided', 'Approval decision'],
    ['approval.escalated', 'Approval escalated'],
    ['mutation.refused', 'Refused change'],
    ['conflict', 'Conflict'],
    ['mention', 'Mention'],
    ['task.due', 'Task due'],
  ])('%s → %s', (kind, expected) => {
    expect(kindLabel(kind)).toBe(expected);
  });

  it('has words for every kind the schema knows', () => {
    expect(Object.keys(KIND_LABELS).sort()).toEqual([...NotificationKind.options].sort());
  });
});

describe('notificationTarget', () => {
  it.each<[Parameters<typeof notificationTarget>[0], ReturnType<typeof notificationTarget>]>([
    [{ entityType: 'lead', entityId: 'l1' }, { name: 'lead', id: 'l1' }],
    [{ entityType: 'deal', entityId: 'd1' }, null],
    [{ entityType: 'approval', entityId: 'a1' }, null],
    [{ entityType: 'lead', entityId: null }, null],
    [{ entityType: null, entityId: null }, null],
  ])('%j → %j', (n, expected) => {
    expect(notificationTarget(n)).toEqual(expected);
  });
});

describe('newestFirst', () => {
  it('orders by time, newest first, and ties by the later id', () => {
    const items = [
      { id: '01-a', createdAt: 100 },
      { id: '01-c', createdAt: 300 },
      { id: '01-b', createdAt: 200 },
      { id: '01-d', createdAt: 200 },
    ];
    expect(newestFirst(items).map((n) => n.id)).toEqual(['01-c', '01-d', '01-b', '01-a']);
    // The input is left as it was.
    expect(items[0]!.id).toBe('01-a');
  });
});

describe('notificationLabel', () => {
  it.each<[Parameters<typeof notificationLabel>[0], string]>([
    [{ kind: 'assignment', title: 'A lead was assigned to you', readAt: null }, 'Unread assignment: A lead was assigned to you'],
    [{ kind: 'assignment', title: 'A lead was assigned to you', readAt: 5 }, 'Assignment: A lead was assigned to you'],
    [{ kind: 'mutation.refused', title: 'Not applied: leads.qualify', readAt: null }, 'Unread refused change: Qualify lead was refused'],
  ])('%j → %s', (n, expected) => {
    expect(notificationLabel(n)).toBe(expected);
  });
});

describe('notificationTitle', () => {
  it.each<[Parameters<typeof notificationTitle>[0], string]>([
    [{ kind: 'mutation.refused', title: 'Not applied: leads.qualify' }, 'Qualify lead was refused'],
    [{ kind: 'mutation.refused', title: 'Not applied: deals.move' }, 'Move deal was refused'],
    [{ kind: 'conflict', title: 'Conflicting change of lead ownerId' }, 'Conflicting change of a lead’s owner'],
    [{ kind: 'conflict', title: 'Conflicting change of deal amountMinor' }, 'Conflicting change of a deal’s amount'],
    [{ kind: 'conflict', title: 'Conflicting change of deal expectedCloseDate' }, 'Conflicting change of a deal’s expected close date'],
    [{ kind: 'conflict', title: 'Conflicting change of lead record' }, 'Conflicting change of a lead'],
    // Titles written for people are kept as they are.
    [{ kind: 'assignment', title: 'A lead was assigned to you' }, 'A lead was assigned to you'],
    [{ kind: 'mutation.refused', title: 'Your stage move was refused' }, 'Your stage move was refused'],
  ])('%j → %s', (n, expected) => {
    expect(notificationTitle(n)).toBe(expected);
  });
});
