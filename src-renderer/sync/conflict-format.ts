// Readable words for conflict records and refused changes: field names, values (money, dates, people, stages), mutation names.
import type { DirectoryUser } from '../../src-shared/api/directory.api';
import type { Conflict } from '../../src-shared/sync/conflicts.schema';

/** What a value needs to be shown in words: the users, the stage names, the record's currency, the locale. */
export interface ValueContext {
  users: readonly Pick<DirectoryUser, 'id' | 'name'>[];
  /** Stage id → name (every pipeline the user sees). */
  stages: ReadonlyMap<string, string>;
  /** The deal's currency; null when unknown (the amount is then shown as a plain number). */
  currency: string | null;
  /** BCP 47 locale; undefined = the browser's. */
  locale?: string;
}

const FIELD_LABELS: Record<string, string> = {
  amountMinor: 'Amount',
  stageId: 'Stage',
  ownerId: 'Owner',
  expectedCloseDate: 'Expected close date',
  discountPct: 'Discount',
  nextStep: 'Next step',
  companyName: 'Company',
  firstName: 'First name',
  lastName: 'Last name',
};

/** "amountMinor" → "Amount"; an unknown camelCase field → its words ("utmSource" → "Utm source"); "" → "Record". */
export function fieldLabel(field: string): string {
  if (field === '') return 'Record';
  const known = FIELD_LABELS[field];
  if (known) return known;
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Minor units of a currency as an amount: 1234500 EUR → "€12,345.00" (en-US). */
export function formatMoney(minor: number, currency: string | null, locale?: string): string {
  if (currency === null) return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** A calendar date `YYYY-MM-DD` as a date in words ("Mar 5, 2025" in en-US); anything else as it is. */
export function formatCalendarDate(date: string, locale?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
}

/** A conflict value in words for its field; null is "(none)", an owner null is "Unassigned". */
export function formatConflictValue(field: string, value: unknown, ctx: ValueContext): string {
  if (field === 'ownerId') {
    if (value === null || value === undefined) return 'Unassigned';
    return ctx.users.find((u) => u.id === value)?.name ?? 'Unknown user';
  }
  if (value === null || value === undefined || value === '') return '(none)';
  if (field === 'amountMinor' && typeof value === 'number') return formatMoney(value, ctx.currency, ctx.locale);
  if (field === 'stageId' && typeof value === 'string') {
    // A close names its outcome, "(won)" or "(lost)", rather than a stage.
    const outcome = /^\((won|lost)\)$/.exec(value);
    if (outcome) return `closed as ${outcome[1]}`;
    return ctx.stages.get(value) ?? 'Unknown stage';
  }
  if (field === 'expectedCloseDate' && typeof value === 'string') return formatCalendarDate(value, ctx.locale);
  if (field === 'discountPct' && typeof value === 'number') return `${value}%`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export interface ConflictLines {
  /** "Amount changed on both sides" or "Deleted on the server while edited offline". */
  summary: string;
  /** Rows of the comparison: label and value in words. */
  values: { label: string; value: string; side: 'base' | 'server' | 'client' }[];
  /** Who made each change, in words. */
  who: string;
}

const nameOf = (users: ValueContext['users'], id: string | null, me: string): string => {
  if (id === null) return 'someone';
  if (id === me) return 'you';
  return users.find((u) => u.id === id)?.name ?? 'an unknown user';
};

/** The lines the conflicts panel shows for one conflict, from the point of view of user `me`. */
export function describeConflict(c: Pick<Conflict, 'kind' | 'field' | 'baseValue' | 'serverValue' | 'clientValue' | 'clientUserId' | 'serverUserId'>, ctx: ValueContext, me: string): ConflictLines {
  const offline = nameOf(ctx.users, c.clientUserId, me);
  if (c.kind === 'deleted') {
    return {
      summary: 'Deleted on the server while edited offline',
      values: [],
      who: `Edited offline by ${offline}; the delete stands.`,
    };
  }
  const server = nameOf(ctx.users, c.serverUserId, me);
  const mine = c.clientUserId === me;
  return {
    summary: `${fieldLabel(c.field)} changed on both sides`,
    values: [
      { label: 'Before', value: formatConflictValue(c.field, c.baseValue, ctx), side: 'base' },
      { label: 'Server value', value: formatConflictValue(c.field, c.serverValue, ctx), side: 'server' },
      { label: mine ? 'Your value' : 'Offline value', value: formatConflictValue(c.field, c.clientValue, ctx), side: 'client' },
    ],
    who: `Changed on the server by ${server}, offline by ${offline}.`,
  };
}

const MUTATION_LABELS: Record<string, string> = {
  'leads.create': 'Create lead',
  'leads.update': 'Edit lead',
  'leads.qualify': 'Qualify lead',
  'leads.advance': 'Advance lead',
  'leads.disqualify': 'Disqualify lead',
  'leads.reopen': 'Reopen lead',
  'leads.assign': 'Assign lead',
  'leads.convert': 'Convert lead',
  'leads.merge': 'Merge leads',
  'leads.import': 'Import leads',
  'deals.create': 'Create deal',
  'deals.update': 'Edit deal',
  'deals.move': 'Move deal',
  'deals.close': 'Close deal',
  'approvals.request': 'Request approval',
  'approvals.decide': 'Decide approval',
  'activities.log': 'Log activity',
  'activities.complete': 'Complete task',
  'conflicts.resolve': 'Resolve conflict',
  'notifications.markRead': 'Mark notifications read',
};

/** "leads.qualify" → "Qualify lead"; an unknown name → its words ("widgets.spin" → "Widgets spin"). */
export function mutationLabel(name: string): string {
  const known = MUTATION_LABELS[name];
  if (known) return known;
  const words = name.replace(/[._]/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Qualify lead — refused: the tenant requires an email to qualify". */
export function refusalText(name: string, message: string): string {
  return `${mutationLabel(name)} — refused: ${message}`;
}
