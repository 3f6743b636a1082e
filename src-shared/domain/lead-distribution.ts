// Chooses who gets a new lead: ordered distribution rules (first match wins), a method per rule, then the fallback.
import type { DistributionFallback, Team, User } from './accounts.schema';
import type { DistributionMethod, DistributionRule } from './automation.schema';
import type { LeadRuleFields } from './lead-filter';
import { matchesAll } from './lead-filter';

export type DistributionUser = Pick<User, 'id' | 'active' | 'capacity' | 'teamId'>;

export interface DistributionState {
  rules: readonly DistributionRule[];
  users: readonly DistributionUser[];
  /** Open leads each user holds now; a missing user holds none. */
  openLeadCounts: Readonly<Record<string, number>>;
  /** Per round-robin rule id: index into its memberIds of the next member to try. */
  cursors: Readonly<Record<string, number>>;
  fallback: DistributionFallback;
  /** When given, a fallback team that is not in it leaves the lead unassigned. */
  teams?: readonly Pick<Team, 'id'>[];
}

export type DistributionAssignment =
  | { kind: 'user'; userId: string; ruleId: string | null; reason: string }
  | { kind: 'team'; teamId: string; reason: string }
  | { kind: 'unassigned'; reason: string };

export interface DistributionOutcome {
  assignment: DistributionAssignment;
  /** The cursors to store for the next lead (a copy; the state passed in is not changed). */
  cursors: Record<string, number>;
}

/** Stands in for an unlimited capacity in the load ratio, so unlimited members look almost empty. */
const UNLIMITED_CAPACITY = 1_000_000;

const METHOD_LABEL: Record<DistributionMethod, string> = {
  roundRobin: 'round robin',
  leastBusy: 'least busy',
  capacityWeighted: 'capacity weighted',
};

interface Member {
  id: string;
  /** Position in the rule's memberIds: the round-robin order and the tie-break. */
  index: number;
  open: number;
  capacity: number | null;
}

const openOf = (state: DistributionState, userId: string) => state.openLeadCounts[userId] ?? 0;

/** Why a user cannot take a lead now, or null when they can (known, active, below capacity; null = unlimited). */
function unavailability(user: DistributionUser | undefined, open: number): string | null {
  if (!user) return 'is unknown';
  if (!user.active) return 'is inactive';
  return user.capacity !== null && open >= user.capacity ? 'is at capacity' : null;
}

function eligibleMembers(rule: DistributionRule, usersById: ReadonlyMap<string, DistributionUser>, state: DistributionState): Member[] {
  const members: Member[] = [];
  rule.memberIds.forEach((id, index) => {
    const user = usersById.get(id);
    const open = openOf(state, id);
    if (user && unavailability(user, open) === null) members.push({ id, index, open, capacity: user.capacity });
  });
  return members;
}

/** The member with the smallest key, ties going to the earlier member. */
function minBy(members: readonly Member[], key: (m: Member) => number): Member {
  return members.reduce((best, m) => (key(m) < key(best) ? m : best));
}

function pick(rule: DistributionRule, members: readonly Member[], cursor: number): { member: Member; detail: string } {
  switch (rule.method) {
    case 'roundRobin': {
      // The first eligible member at or after the cursor, wrapping round.
      const n = rule.memberIds.length;
      const start = Number.isInteger(cursor) && cursor >= 0 ? cursor % n : 0;
      const member = minBy(members, (m) => (m.index - start + n) % n);
      return { member, detail: '' };
    }
    case 'leastBusy': {
      const member = minBy(members, (m) => m.open);
      return { member, detail: ` (${member.open} open)` };
    }
    case 'capacityWeighted': {
      // Odoo-style: fill everyone in proportion to their capacity by picking the lowest load ratio.
      const member = minBy(members, (m) => m.open / (m.capacity ?? UNLIMITED_CAPACITY));
      return { member, detail: ` (${member.open}/${member.capacity ?? '∞'} open)` };
    }
  }
}

/**
 * Active rules are tried by ascending position (ties by id); the first whose filters all match picks among its
 * eligible members. When every member of a matching rule is inactive or at capacity, the next matching rule is
 * tried, and after the last one the fallback. A fallback user who is inactive or at capacity leaves the lead
 * unassigned. Deterministic: the same lead and state always give the same outcome.
 */
export function distributeLead(lead: LeadRuleFields, state: DistributionState): DistributionOutcome {
  const cursors: Record<string, number> = { ...state.cursors };
  const usersById = new Map(state.users.map((u) => [u.id, u]));
  const rules = state.rules
    .filter((r) => r.active && matchesAll(lead, r.filters))
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const passedOver: string[] = [];
  for (const rule of rules) {
    const members = eligibleMembers(rule, usersById, state);
    if (members.length === 0) {
      passedOver.push(`rule '${rule.name}' has no member available`);
      continue;
    }
    const { member, detail } = pick(rule, members, cursors[rule.id] ?? 0);
    if (rule.method === 'roundRobin') cursors[rule.id] = (member.index + 1) % rule.memberIds.length;
    const reason = `rule '${rule.name}' ${METHOD_LABEL[rule.method]} → ${member.id}${detail}`;
    return { assignment: { kind: 'user', userId: member.id, ruleId: rule.id, reason: [...passedOver, reason].join('; ') }, cursors };
  }

  const why = rules.length === 0 ? 'no rule matched' : passedOver.join('; ');
  return { assignment: applyFallback(state, usersById, why), cursors };
}

function applyFallback(state: DistributionState, usersById: ReadonlyMap<string, DistributionUser>, why: string): DistributionAssignment {
  const fallback = state.fallback;
  switch (fallback.kind) {
    case 'unassigned':
      return { kind: 'unassigned', reason: `${why}; fallback: unassigned` };
    case 'user': {
      const problem = unavailability(usersById.get(fallback.userId), openOf(state, fallback.userId));
      if (problem === null) {
        return { kind: 'user', userId: fallback.userId, ruleId: null, reason: `${why}; fallback user → ${fallback.userId}` };
      }
      return { kind: 'unassigned', reason: `${why}; fallback user ${fallback.userId} ${problem}, left unassigned` };
    }
    case 'team': {
      if (state.teams && !state.teams.some((t) => t.id === fallback.teamId)) {
        return { kind: 'unassigned', reason: `${why}; fallback team ${fallback.teamId} is unknown, left unassigned` };
      }
      return { kind: 'team', teamId: fallback.teamId, reason: `${why}; fallback team → ${fallback.teamId}` };
    }
  }
}
