// Lead writes: create, edit and assign, with scoring and access rules (conversion and merge have their own files).
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
