// Lead merge in one mutation: the winner keeps its id, takes chosen fields, the loser's timeline and deals; the loser goes.
import { z } from 'zod';
import { AppError, ErrorCode } from '../api/errors';
import { Id } from '../domain/common.schema';
import type { Lead } from '../domain/leads.schema';
import { mustGet, requireLeadEditable } from './access';
import { LEAD_FIELD_KEYS } from './lead-args';
import type { LeadFields } from './lead-args';
import { scoreFields } from './lead-score-step';
import { defineMutator } from './mutator';

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
