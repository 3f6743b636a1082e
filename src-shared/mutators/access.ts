// Access checks inside mutators, as refusals: the shared visibility rules (domain/visibility.ts) applied to the actor.
import { AppError, ErrorCode } from '../api/errors';
import type { Permission } from '../domain/accounts.schema';
import type { Deal, Pipeline } from '../domain/deals.schema';
import type { Lead } from '../domain/leads.schema';
import { canEditDeal, canEditLead, canMoveInPipeline, hasPermission } from '../domain/visibility';
import type { Actor } from './mutator';
import type { EntityMap, MutationTx, TableName } from './mutation-tx';

export function requirePermission(actor: Actor, permission: Permission, what: string): void {
  if (!hasPermission(actor, permission)) throw new AppError(ErrorCode.FORBIDDEN, `${what} needs the ${permission} permission`, undefined, { permission });
}

export function requireLeadEditable(actor: Actor, lead: Lead): void {
  if (!canEditLead(actor, lead)) throw new AppError(ErrorCode.FORBIDDEN, `lead ${lead.id} is not yours to change`, undefined, { leadId: lead.id });
}

export function requireDealEditable(actor: Actor, deal: Pick<Deal, 'id' | 'tenantId' | 'ownerId' | 'teamId' | 'pipelineId'>, pipeline: Pipeline): void {
  if (!canEditDeal(actor, deal, pipeline)) throw new AppError(ErrorCode.FORBIDDEN, `deal ${deal.id} is not yours to change`, undefined, { dealId: deal.id });
}

export function requireMoveRights(actor: Actor, pipeline: Pipeline): void {
  if (!canMoveInPipeline(actor, pipeline)) throw new AppError(ErrorCode.FORBIDDEN, `your role may not move deals in pipeline ${pipeline.name}`, undefined, { pipelineId: pipeline.id });
}

/** The row, or a NOT_FOUND refusal naming what was missing. */
export async function mustGet<T extends TableName>(tx: MutationTx, table: T, key: string, what: string): Promise<EntityMap[T]> {
  const row = await tx.get(table, key);
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `${what} ${key} not found`);
  return row;
}

/** Refuses a client-chosen id that is already taken, so a create never overwrites. */
export async function mustBeNew(tx: MutationTx, table: TableName, key: string, what: string): Promise<void> {
  if (await tx.get(table, key)) throw new AppError(ErrorCode.CONFLICT, `${what} ${key} already exists`);
}
