// An audit entry as people read it: what was done, and before → after for each field that changed.
import type { AuditAction, AuditEntry } from '../../src-shared/domain/activities.schema';
import { fieldLabel } from './lead-field-labels';

export interface AuditChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface AuditFormatContext {
  userName(id: string): string;
  teamName(id: string): string;
  formatTime(ms: number): string;
}

/** Bookkeeping that says nothing to a reader (the score's factors are summed up by the score itself). */
const HIDDEN = new Set(['id', 'tenantId', 'createdAt', 'updatedAt', 'version', 'scoreFactors']);
/** Notes the write attached to the entry rather than fields of the record. */
const NOTES = new Set(['mergedLeadId', 'mergedInto', 'fromLeadId']);
const USER_FIELDS = new Set(['ownerId', 'actorId', 'userId', 'managerId']);

const ACTION_LABELS: Record<AuditAction, string> = {
  create: 'created', update: 'edited', delete: 'deleted', merge: 'merged', convert: 'converted', move: 'moved', assign: 'assigned', archive: 'archived', decide: 'decided',
};

export const auditActionLabel = (action: AuditAction): string => ACTION_LABELS[action];

export const EMPTY_VALUE = '—';

/** One value as text: names for user and team ids, times for instants, labels for lists of factors. */
export function formatAuditValue(field: string, value: unknown, ctx: AuditFormatContext): string {
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  if (typeof value === 'string') {
    if (USER_FIELDS.has(field)) return ctx.userName(value);
    if (field === 'teamId') return ctx.teamName(value);
    return value;
  }
  if (typeof value === 'number') {
    if (field.endsWith('At')) return ctx.formatTime(value);
    if (field === 'winProbability') return `${Math.round(value * 100)}%`;
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' && 'label' in v ? String(v.label) : JSON.stringify(v))).join(', ') || EMPTY_VALUE;
  return JSON.stringify(value);
}

/**
 * The fields an entry changed, in the order it lists them. A created record lists its values (from empty); a record
 * that went away (deleted, or merged into another) lists only the notes saying where it went.
 */
export function auditChanges(entry: Pick<AuditEntry, 'action' | 'before' | 'after'>, ctx: AuditFormatContext): AuditChange[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const gone = entry.action === 'delete' || 'mergedInto' in after;
  const keys = gone ? Object.keys(after).filter((k) => NOTES.has(k)) : [...new Set([...Object.keys(after), ...Object.keys(before)])];
  const changes: AuditChange[] = [];
  for (const field of keys) {
    if (HIDDEN.has(field)) continue;
    const b = formatAuditValue(field, before[field], ctx);
    const a = formatAuditValue(field, after[field], ctx);
    if (b === a && !NOTES.has(field)) continue;
    changes.push({ field, label: fieldLabel(field), before: NOTES.has(field) ? EMPTY_VALUE : b, after: a });
  }
  return changes;
}
