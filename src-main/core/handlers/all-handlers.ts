// Every method's handler, checked against the contract: a missing, extra or twice-registered handler fails at startup.
import type { HandlerMap } from '../../../src-shared/api/contract';
import { API } from '../../../src-shared/api/api';
import type { Api } from '../../../src-shared/api/api';
import type { CoreContext } from '../core-context';
import { activitiesHandlers } from './activities.handlers';
import { approvalsHandlers } from './approvals.handlers';
import { auditHandlers, notificationsHandlers } from './audit.handlers';
import { dealsHandlers, pipelinesHandlers } from './deals.handlers';
import { directoryHandlers } from './directory.handlers';
import { leadsHandlers } from './leads.handlers';
import { conflictsHandlers } from '../../sync/conflicts.handlers';

type AnyHandler = (input: unknown, ctx: CoreContext) => unknown;

function mergeHandlers(...maps: object[]): Record<string, AnyHandler> {
  const merged: Record<string, AnyHandler> = {};
  for (const map of maps) {
    for (const [name, handler] of Object.entries(map)) {
      if (name in merged) throw new Error(`handler ${name} is registered twice`);
      merged[name] = handler as AnyHandler;
    }
  }
  const missing = Object.keys(API).filter((n) => !(n in merged));
  const extra = Object.keys(merged).filter((n) => !(n in API));
  if (missing.length || extra.length) throw new Error(`handlers do not match the API: missing [${missing.join(', ')}], extra [${extra.join(', ')}]`);
  return merged;
}

/** Typed so that a handler missing from the map, or with the wrong signature, fails to compile. */
const DOMAINS = [leadsHandlers, dealsHandlers, pipelinesHandlers, activitiesHandlers, approvalsHandlers, auditHandlers, notificationsHandlers, directoryHandlers, conflictsHandlers] as const;
const _typed: HandlerMap<Api, CoreContext> = Object.assign({}, ...DOMAINS) as typeof leadsHandlers & typeof dealsHandlers & typeof pipelinesHandlers & typeof activitiesHandlers & typeof approvalsHandlers & typeof auditHandlers & typeof notificationsHandlers & typeof directoryHandlers & typeof conflictsHandlers;

export const HANDLERS = mergeHandlers(...DOMAINS) as Record<keyof typeof _typed, AnyHandler>;
