// Lead lifecycle writes (qualify, advance, disqualify, reopen) through the shared state machine.
import { z } from 'zod';
import { AppError } from '../api/errors';
import { Id } from '../domain/common.schema';
import { transitionLead } from '../domain/lead-lifecycle';
import type { LeadStatus } from '../domain/leads.schema';
import { mustGet, requireLeadEditable } from './access';
import { defineMutator } from './mutator';
import type { MutatorEnv } from './mutator';
import type { MutationTx } from './mutation-tx';

async function moveLead(tx: MutationTx, env: MutatorEnv, id: string, to: LeadStatus, reason?: string): Promise<void> {
  const lead = await mustGet(tx, 'leads', id, 'lead');
  requireLeadEditable(env.actor, lead);
  const tenant = await mustGet(tx, 'tenants', env.actor.tenantId, 'tenant');
  const result = transitionLead(lead, to, { criteria: tenant.settings.qualification, permissions: env.actor.permissions, reason: reason ?? null });
  if (!result.ok) throw AppError.fromRefusal(result.refusal);
  await tx.update('leads', id, result.value);
}

export const leadsQualify = defineMutator({
  name: 'leads.qualify',
  args: z.object({ id: Id }),
  run: (tx, a, env) => moveLead(tx, env, a.id, 'QUALIFIED'),
});

export const leadsAdvance = defineMutator({
  name: 'leads.advance',
  args: z.object({ id: Id, to: z.enum(['CONTACTED', 'NEGOTIATING']) }),
  run: (tx, a, env) => moveLead(tx, env, a.id, a.to),
});

export const leadsDisqualify = defineMutator({
  name: 'leads.disqualify',
  // A blank reason reaches the state machine, which refuses it with REASON_REQUIRED.
  args: z.object({ id: Id, reason: z.string().trim().max(200) }),
  run: (tx, a, env) => moveLead(tx, env, a.id, 'DISQUALIFIED', a.reason),
});

export const leadsReopen = defineMutator({
  name: 'leads.reopen',
  args: z.object({ id: Id }),
  run: (tx, a, env) => moveLead(tx, env, a.id, 'NEW'),
});
