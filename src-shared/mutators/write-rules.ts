// Rules every MutationTx implementation follows: which tables are audited under which entity, and what a diff is.
import type { EntityType } from '../domain/activities.schema';
import type { TableName } from './mutation-tx';

export interface AuditTarget {
  entityType: EntityType;
  /** The field holding the audited entity's id (a stage's changes are the pipeline's history). */
  idField: string;
}

/**
 * Tables whose writes get an audit entry. Not audited: stage_history and approval_events, which are themselves
 * histories, and notifications, which are per-user inbox state.
 */
export const AUDITED: Partial<Record<TableName, AuditTarget>> = {
  leads: { entityType: 'lead', idField: 'id' },
  deals: { entityType: 'deal', idField: 'id' },
  contacts: { entityType: 'contact', idField: 'id' },
  companies: { entityType: 'company', idField: 'id' },
  activities: { entityType: 'activity', idField: 'id' },
  approval_requests: { entityType: 'approval', idField: 'id' },
  pipelines: { entityType: 'pipeline', idField: 'id' },
  stages: { entityType: 'pipeline', idField: 'pipelineId' },
  stage_transition_rules: { entityType: 'pipeline', idField: 'pipelineId' },
  users: { entityType: 'user', idField: 'id' },
  delegations: { entityType: 'user', idField: 'fromUserId' },
  teams: { entityType: 'team', idField: 'id' },
  tenants: { entityType: 'config', idField: 'id' },
  roles: { entityType: 'config', idField: 'id' },
  scoring_configs: { entityType: 'config', idField: 'tenantId' },
  distribution_rules: { entityType: 'config', idField: 'id' },
  approval_policies: { entityType: 'config', idField: 'id' },
  win_loss_reasons: { entityType: 'config', idField: 'id' },
  nurture_sequences: { entityType: 'config', idField: 'id' },
  nurture_enrollments: { entityType: 'lead', idField: 'leadId' },
};

/** Lead fields the duplicate match keys are computed from; a change to one of them recomputes the keys. */
export const MATCH_KEY_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'companyName'] as const;

/** Fields never recorded in an audit diff: the bookkeeping stamp would make every entry noisy. */
const UNAUDITED_FIELDS = new Set(['updatedAt']);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of `patch` whose value differs from `before` (undefined in the patch means "leave alone"). */
export function changedFields(before: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> | null {
  let changed: Record<string, unknown> | null = null;
  for (const key in patch) {
    const value = patch[key];
    if (value === undefined || same(before[key], value)) continue;
    (changed ??= {})[key] = value;
  }
  return changed;
}

/** Before/after of an update's changed fields, for the audit entry. */
export function auditDiff(before: Record<string, unknown>, changed: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key in changed) {
    if (UNAUDITED_FIELDS.has(key)) continue;
    b[key] = before[key] ?? null;
    a[key] = changed[key];
  }
  return { before: b, after: a };
}

/** A created row as audited: its non-empty fields. */
export function auditCreated(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) if (row[key] !== null && row[key] !== undefined && !UNAUDITED_FIELDS.has(key)) out[key] = row[key];
  return out;
}
