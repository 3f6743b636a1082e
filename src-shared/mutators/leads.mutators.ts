// Lead writes: create, edit, assign and merge, with scoring and access rules.
import { z } from 'zod';
import { AppError, ErrorCode } from '../api/errors';
import { Id } from '../domain/common.schema';
import type { Lead } from '../domain/leads.schema';
import { canAssignLeadTo } from '../domain/visibility';
import type { User } from '../domain/accounts.schema';
import { mustBeNew, mustGet, requireLeadEditable, requirePermission } from './access';
import { LeadFields, LEAD_FIELD_KEYS } from './lead-args';
import { scoreFields } from './lead-score-step';
import { defineMutator } from './mutator';
import type { MutatorEnv } from './mutator';
import type { MutationTx } from './mutation-tx';
import { notify } from './notify';

/** A lead must say who it is about: some name, an email, a phone or a company. */
export function requireIdentity(lead: Pick<Lead, 'firstName' | 'lastName' | 'email' | 'phone' | 'companyName'>): void {
  if (!lead.firstName && !lead.lastName && !lead.email && !lead.phone && !lead.companyName) {
    throw new AppError(ErrorCode.VALIDATION, 'a lead needs a name, an email, a phone or a company', [{ path: 'lastName', message: 'required when there is no email, phone or company' }]);
  }
}

/** The user a lead is given to: must exist and be active. */
async function assignee(tx: MutationTx, ownerId: string): Promise<User> {
  const owner = await mustGet(tx, 'users', ownerId, 'user');
  if (!owner.active) throw new AppError(ErrorCode.VALIDATION, `user ${ownerId} is inactive`, [{ path: 'ownerId', message: 'inactive user' }]);
  return owner;
}

/** Refuses giving `lead` to `owner` (null = the unassigned queue) unless the shared assignment rules allow it. */
function requireAssignable(env: MutatorEnv, lead: Pick<Lead, 'id' | 'tenantId' | 'ownerId' | 'teamId'>, owner: User | null): void {
  if (owner === null) {
    requirePermission(env.actor, 'leads.reassign', 'unassigning a lead');
    requireLeadEditable(env.actor, lead as Lead);
    return;
  }
  if (!canAssignLeadTo(env.actor, lead, owner)) {
    throw new AppError(ErrorCode.FORBIDDEN, `you may not assign lead ${lead.id} to ${owner.name}`, undefined, { leadId: lead.id, ownerId: owner.id });
  }
}


export const LeadsCreateArgs = LeadFields.extend({
  id: Id,
  /** Defaults to the actor; null leaves the lead unassigned. */
  ownerId: Id.nullable().optional(),
  teamId: Id.nullable().optional(),
  /** The lead the caller's duplicate check found this one to duplicate. */
  possibleDuplicateOf: Id.nullable().optional(),
});

export const leadsCreate = defineMutator({
  name: 'leads.create',
  args: LeadsCreateArgs,
  async run(tx, a, env) {
    await mustBeNew(tx, 'leads', a.id, 'lead');
    const ownerId = a.ownerId === undefined ? env.actor.userId : a.ownerId;
    const owner = ownerId === null || ownerId === env.actor.userId ? null : await assignee(tx, ownerId);
    // Creating for someone else is creating and then assigning.
    if (owner) requireAssignable(env, { id: a.id, tenantId: env.actor.tenantId, ownerId: env.actor.userId, teamId: env.actor.teamId }, owner);
    const lead: Lead = {
      id: a.id,
      tenantId: env.actor.tenantId,
      firstName: a.firstName ?? '',
      lastName: a.lastName ?? '',
      email: a.email ?? null,
      phone: a.phone ?? null,
      companyName: a.companyName ?? null,
      title: a.title ?? null,
      country: a.country ?? null,
      region: a.region ?? null,
      source: a.source ?? null,
      medium: a.medium ?? null,
      campaign: a.campaign ?? null,
      referrer: a.referrer ?? null,
      formKey: a.formKey ?? null,
      status: 'NEW',
      disqualifyReason: null,
      score: 0,
      scoreFactors: [],
      winProbability: null,
      ownerId,
      teamId: a.teamId !== undefined ? a.teamId : owner ? owner.teamId : env.actor.teamId,
      possibleDuplicateOf: a.possibleDuplicateOf ?? null,
      convertedContactId: null,
      convertedCompanyId: null,
      convertedDealId: null,
      lastActivityAt: null,
      archived: false,
      createdAt: env.now,
      updatedAt: env.now,
    };
    requireIdentity(lead);
    Object.assign(lead, await scoreFields(tx, lead, env.now, false));
    await tx.insert('leads', lead);
  },
});

export const leadsUpdate = defineMutator({
  name: 'leads.update',
  args: z.object({ id: Id, patch: LeadFields }),
  async run(tx, a, env) {
    const lead = await mustGet(tx, 'leads', a.id, 'lead');
    requireLeadEditable(env.actor, lead);
    const patch: Partial<Lead> = {};
    for (const key of LEAD_FIELD_KEYS) if (a.patch[key] !== undefined) Object.assign(patch, { [key]: a.patch[key] });
    const next = { ...lead, ...patch };
    requireIdentity(next);
    await tx.update('leads', lead.id, { ...patch, ...(await scoreFields(tx, next, env.now, true)) });
  },
});

export const leadsAssign = defineMutator({
  name: 'leads.assign',
  args: z.object({
    ids: z.array(Id).min(1).max(5000),
    ownerId: Id.nullable(),
    /** Defaults to the new owner's team (kept as is when unassigning). */
    teamId: Id.nullable().optional(),
  }),
  async run(tx, a, env) {
    const owner = a.ownerId === null ? null : await assignee(tx, a.ownerId);
    for (const id of new Set(a.ids)) {
      const lead = await mustGet(tx, 'leads', id, 'lead');
      requireAssignable(env, lead, owner);
      const teamId = a.teamId !== undefined ? a.teamId : owner ? owner.teamId : lead.teamId;
      await tx.update('leads', id, { ownerId: a.ownerId, teamId }, { action: 'assign' });
    }
    if (owner && a.ids.length > 0) {
      const n = new Set(a.ids).size;
      await notify(tx, env, {
        userId: owner.id,
        kind: 'assignment',
        title: n === 1 ? 'A lead was assigned to you' : `${n} leads were assigned to you`,
        entityType: n === 1 ? 'lead' : null,
        entityId: n === 1 ? a.ids[0]! : null,
      });
    }
  },
});

/** Which lead's value to keep per field when merging; unlisted fields keep the winner's, or the loser's where the winner has none. */
export const MergeChoices = z.partialRecord(z.enum(LEAD_FIELD_KEYS as [keyof LeadFields, ...(keyof LeadFields)[]]), z.enum(['winner', 'loser']));

export const leadsMerge = defineMutator({
  name: 'leads.merge',
  args: z.object({ winnerId: Id, loserId: Id, fields: MergeChoices.default({}) }),
  async run(tx, a, env) {
    if (a.winnerId === a.loserId) throw new AppError(ErrorCode.VALIDATION, 'a lead cannot be merged into itself', [{ path: 'loserId', message: 'same as winnerId' }]);
    const winner = await mustGet(tx, 'leads', a.winnerId, 'lead');
    const loser = await mustGet(tx, 'leads', a.loserId, 'lead');
    requireLeadEditable(env.actor, winner);
    requireLeadEditable(env.actor, loser);
    if (loser.status === 'CONVERTED') throw new AppError(ErrorCode.INVALID_TRANSITION, `lead ${loser.id} is converted; merge it the other way round`);

    const patch: Partial<Lead> = {};
    for (const key of LEAD_FIELD_KEYS) {
      const choice = a.fields[key] ?? (winner[key] === null || winner[key] === '' ? 'loser' : 'winner');
      if (choice === 'loser') Object.assign(patch, { [key]: loser[key] });
    }
    // The loser's timeline and deals now belong to the winner; its audit entries stay under its id and
    // audit history follows the merge note below.
    for (const act of await tx.find('activities', { entityType: 'lead', entityId: loser.id })) await tx.update('activities', act.id, { entityId: winner.id });
    for (const deal of await tx.find('deals', { leadId: loser.id })) await tx.update('deals', deal.id, { leadId: winner.id });
    for (const e of await tx.find('nurture_enrollments', { leadId: loser.id })) await tx.update('nurture_enrollments', e.id, { leadId: winner.id });
    for (const other of await tx.find('leads', { possibleDuplicateOf: loser.id })) {
      if (other.id !== winner.id) await tx.update('leads', other.id, { possibleDuplicateOf: winner.id });
    }
    await tx.delete('leads', loser.id, { action: 'merge', note: { mergedInto: winner.id } });

    const last = Math.max(winner.lastActivityAt ?? 0, loser.lastActivityAt ?? 0);
    if (last > 0) patch.lastActivityAt = last;
    if (winner.possibleDuplicateOf === loser.id) patch.possibleDuplicateOf = null;
    const next = { ...winner, ...patch };
    await tx.update('leads', winner.id, { ...patch, ...(await scoreFields(tx, next, env.now, true)) }, { action: 'merge', note: { mergedLeadId: loser.id } });
  },
});
