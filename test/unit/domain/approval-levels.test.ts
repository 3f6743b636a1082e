import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src-shared/domain/accounts.schema';
import type { ApproverContext, ApproverUser } from '../../../src-shared/domain/approval-levels';
import { canDecide, levelsForAmount, resolveApprover, timeoutOutcome } from '../../../src-shared/domain/approval-levels';
import type { ApprovalLevel, ApprovalPolicy, ApproverSpec, Delegation } from '../../../src-shared/domain/approvals.schema';

const level = (minAmountMinor: number, fields: Partial<ApprovalLevel> = {}): ApprovalLevel => ({
  minAmountMinor,
  approver: { kind: 'managerOfOwner' },
  deadlineHours: 24,
  escalationTarget: null,
  timeoutAction: 'notify',
  ...fields,
});
const policy = (levels: ApprovalLevel[]): ApprovalPolicy => ({ id: 'p1', tenantId: 't1', name: 'Big deals', levels, configVersion: 1 });

describe('levelsForAmount', () => {
  // Thresholds deliberately out of order in the policy: 0, 100k, 10k, 1M.
  const tiered = policy([level(0), level(100_000_00), level(10_000_00), level(1_000_000_00)]);

  it.each<[number | null, number[]]>([
    [null, [0]],
    [0, [0]],
    [9_999_99, [0]],
    [10_000_00, [0, 2]],
    [99_999_99, [0, 2]],
    [100_000_00, [0, 2, 1]],
    [5_000_000_00, [0, 2, 1, 3]],
  ])('amount %j → levels %j', (amount, expected) => {
    expect(levelsForAmount(tiered, amount)).toEqual(expected);
  });

  it('returns no levels when the amount is under every threshold', () => {
    expect(levelsForAmount(policy([level(50_000_00)]), 49_999_99)).toEqual([]);
    expect(levelsForAmount(policy([level(50_000_00)]), null)).toEqual([]);
  });

  it('keeps policy order between levels with the same threshold', () => {
    expect(levelsForAmount(policy([level(500), level(0), level(500)]), 1000)).toEqual([1, 0, 2]);
  });
});

const NOW = 1_700_000_000_000;
const users: ApproverUser[] = [
  { id: 'rep1', role: 'rep', managerId: 'mgr2', active: true },
  { id: 'rep2', role: 'rep', managerId: 'mgrGone', active: true },
  { id: 'rep3', role: 'rep', managerId: null, active: true },
  { id: 'mgr2', role: 'manager', managerId: 'adm1', active: true },
  { id: 'mgr1', role: 'manager', managerId: 'adm1', active: true },
  { id: 'mgr0', role: 'manager', managerId: 'adm1', active: false },
  { id: 'mgrGone', role: 'manager', managerId: null, active: false },
  { id: 'adm1', role: 'admin', managerId: null, active: true },
  { id: 'ex', role: 'admin', managerId: null, active: false },
];
const delegation = (id: string, fromUserId: string, toUserId: string, startsAt: number, endsAt: number): Delegation => ({
  id,
  tenantId: 't1',
  fromUserId,
  toUserId,
  startsAt,
  endsAt,
});
const roles: Role[] = [
  { id: 'r-m', tenantId: 't1', name: 'manager', permissions: ['deals.approve'], approvalLimitMinor: 50_000_00 },
  { id: 'r-a', tenantId: 't1', name: 'admin', permissions: ['deals.approve'], approvalLimitMinor: null },
];
const base: ApproverContext = { ownerId: 'rep1', users, delegations: [], now: NOW };

describe('resolveApprover', () => {
  it.each<[string, ApproverSpec, Partial<ApproverContext>, string]>([
    ['a named user', { kind: 'user', userId: 'adm1' }, {}, 'adm1'],
    ['the owner’s manager', { kind: 'managerOfOwner' }, {}, 'mgr2'],
    ['the first active user with the role, by id', { kind: 'role', role: 'manager' }, {}, 'mgr1'],
    ['a role within its approval limit', { kind: 'role', role: 'manager' }, { roles, amountMinor: 50_000_00 }, 'mgr1'],
    ['a role without a limit', { kind: 'role', role: 'admin' }, { roles, amountMinor: 10_000_000_00 }, 'adm1'],
    ['a role whose limit is not checked without roles', { kind: 'role', role: 'manager' }, { amountMinor: 10_000_000_00 }, 'mgr1'],
  ])('%s', (_label, spec, extra, approverId) => {
    expect(resolveApprover(spec, { ...base, ...extra })).toEqual({ ok: true, value: { approverId, onBehalfOf: null } });
  });

  it.each<[string, ApproverSpec, Partial<ApproverContext>]>([
    ['an unknown user', { kind: 'user', userId: 'nobody' }, {}],
    ['an inactive user', { kind: 'user', userId: 'ex' }, {}],
    ['no owner', { kind: 'managerOfOwner' }, { ownerId: null }],
    ['an unknown owner', { kind: 'managerOfOwner' }, { ownerId: 'ghost' }],
    ['an owner without a manager', { kind: 'managerOfOwner' }, { ownerId: 'rep3' }],
    ['an owner whose manager is inactive', { kind: 'managerOfOwner' }, { ownerId: 'rep2' }],
    ['a role nobody active holds', { kind: 'role', role: 'admin' }, { users: users.filter((u) => u.id !== 'adm1') }],
    ['an amount over the role’s limit', { kind: 'role', role: 'manager' }, { roles, amountMinor: 50_000_01 }],
  ])('refuses %s with NOT_FOUND', (_label, spec, extra) => {
    const r = resolveApprover(spec, { ...base, ...extra });
    expect(!r.ok && r.refusal.code).toBe('NOT_FOUND');
  });

  it.each<[string, Delegation[], { approverId: string; onBehalfOf: string | null }]>([
    ['an active delegation redirects', [delegation('d1', 'mgr2', 'mgr1', NOW - 1000, NOW + 1000)], { approverId: 'mgr1', onBehalfOf: 'mgr2' }],
    ['a delegation starting now is active', [delegation('d1', 'mgr2', 'mgr1', NOW, NOW + 1)], { approverId: 'mgr1', onBehalfOf: 'mgr2' }],
    ['a delegation ending now has ended', [delegation('d1', 'mgr2', 'mgr1', NOW - 10, NOW)], { approverId: 'mgr2', onBehalfOf: null }],
    ['a future delegation does not apply', [delegation('d1', 'mgr2', 'mgr1', NOW + 1, NOW + 10)], { approverId: 'mgr2', onBehalfOf: null }],
    ['someone else’s delegation does not apply', [delegation('d1', 'mgr1', 'adm1', NOW - 1, NOW + 1)], { approverId: 'mgr2', onBehalfOf: null }],
    ['a delegation to an inactive user is ignored', [delegation('d1', 'mgr2', 'mgr0', NOW - 1, NOW + 1)], { approverId: 'mgr2', onBehalfOf: null }],
    [
      'the most recently started delegation wins',
      [delegation('d1', 'mgr2', 'adm1', NOW - 100, NOW + 100), delegation('d2', 'mgr2', 'mgr1', NOW - 10, NOW + 100)],
      { approverId: 'mgr1', onBehalfOf: 'mgr2' },
    ],
    [
      'only one hop is followed',
      [delegation('d1', 'mgr2', 'mgr1', NOW - 1, NOW + 1), delegation('d2', 'mgr1', 'adm1', NOW - 1, NOW + 1)],
      { approverId: 'mgr1', onBehalfOf: 'mgr2' },
    ],
  ])('%s', (_label, delegations, expected) => {
    expect(resolveApprover({ kind: 'managerOfOwner' }, { ...base, delegations })).toEqual({ ok: true, value: expected });
  });
});

describe('timeoutOutcome', () => {
  const boss: ApproverSpec = { kind: 'user', userId: 'adm1' };
  it.each<[string, Partial<ApprovalLevel>, ReturnType<typeof timeoutOutcome>]>([
    ['reassign to the escalation target', { timeoutAction: 'reassign', escalationTarget: boss }, { kind: 'reassign', to: boss, event: 'reassigned' }],
    ['reassign with no target only notifies', { timeoutAction: 'reassign', escalationTarget: null }, { kind: 'notify', escalateTo: null, event: 'notified' }],
    ['auto-approve', { timeoutAction: 'autoApprove' }, { kind: 'autoApprove', event: 'autoApproved' }],
    ['auto-reject', { timeoutAction: 'autoReject', escalationTarget: boss }, { kind: 'autoReject', event: 'autoRejected' }],
    ['notify, telling the escalation target', { timeoutAction: 'notify', escalationTarget: boss }, { kind: 'notify', escalateTo: boss, event: 'notified' }],
    ['notify with no target', { timeoutAction: 'notify' }, { kind: 'notify', escalateTo: null, event: 'notified' }],
  ])('%s', (_label, fields, expected) => {
    expect(timeoutOutcome(level(0, fields))).toEqual(expected);
  });
});

describe('canDecide', () => {
  const pending = { status: 'pending' as const, approverId: 'mgr2' };
  const onLeave = [delegation('d1', 'mgr2', 'mgr1', NOW - 1000, NOW + 1000)];

  it.each<[string, string, Delegation[], string | null]>([
    ['the approver decides in person', 'mgr2', [], null],
    ['the approver may still decide while delegating', 'mgr2', onLeave, null],
    ['an active delegate decides on the approver’s behalf', 'mgr1', onLeave, 'mgr2'],
  ])('%s', (_label, actor, delegations, onBehalfOf) => {
    expect(canDecide(pending, actor, delegations, NOW)).toEqual({ ok: true, value: { onBehalfOf } });
  });

  it.each<[string, { status: 'pending' | 'approved' | 'rejected' | 'voided'; approverId: string | null }, string, Delegation[], string]>([
    ['someone else', pending, 'adm1', onLeave, 'FORBIDDEN'],
    ['a delegate whose delegation ended', pending, 'mgr1', [delegation('d1', 'mgr2', 'mgr1', NOW - 1000, NOW)], 'FORBIDDEN'],
    ['a delegate of a different approver', pending, 'mgr1', [delegation('d1', 'adm1', 'mgr1', NOW - 1, NOW + 1)], 'FORBIDDEN'],
    ['anyone when no approver is assigned', { status: 'pending', approverId: null }, 'mgr2', [], 'FORBIDDEN'],
    ['the approver once approved', { status: 'approved', approverId: 'mgr2' }, 'mgr2', [], 'INVALID_TRANSITION'],
    ['the approver once voided', { status: 'voided', approverId: 'mgr2' }, 'mgr2', [], 'INVALID_TRANSITION'],
  ])('refuses %s', (_label, request, actor, delegations, code) => {
    const r = canDecide(request, actor, delegations, NOW);
    expect(!r.ok && r.refusal.code).toBe(code);
  });
});
