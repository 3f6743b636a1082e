// Every mutator by name; the desktop and the server apply mutations only through this map.
import type { Mutator } from './mutator';
import { leadsAssign, leadsCreate, leadsUpdate } from './leads.mutators';
import { leadsMerge } from './lead-merge.mutator';
import { leadsAdvance, leadsDisqualify, leadsQualify, leadsReopen } from './lead-lifecycle.mutators';
import { leadsConvert } from './lead-convert.mutator';
import { dealsClose, dealsCreate, dealsMove, dealsUpdate } from './deals.mutators';
import { approvalsDecide, approvalsRequest } from './approvals.mutators';
import { activitiesComplete, activitiesLog } from './activities.mutators';
import { notificationsMarkRead } from './notifications.mutators';
import { conflictsResolve } from '../sync/conflicts.mutators';

/** Builds the name → mutator map, refusing a name registered twice. */
export function registerMutators(...mutators: Mutator[]): ReadonlyMap<string, Mutator> {
  const map = new Map<string, Mutator>();
  for (const m of mutators) {
    if (map.has(m.name)) throw new Error(`mutator ${m.name} is registered twice`);
    map.set(m.name, m);
  }
  return map;
}

export const MUTATORS: ReadonlyMap<string, Mutator> = registerMutators(
  leadsCreate,
  leadsUpdate,
  leadsAssign,
  leadsMerge,
  leadsQualify,
  leadsAdvance,
  leadsDisqualify,
  leadsReopen,
  leadsConvert,
  dealsCreate,
  dealsUpdate,
  dealsMove,
  dealsClose,
  approvalsRequest,
  approvalsDecide,
  activitiesLog,
  activitiesComplete,
  notificationsMarkRead,
  conflictsResolve,
);
