// Evaluates the lead field filters that scoring, distribution and nurture rules share.
import type { LeadFieldFilter, LeadRuleField } from './automation.schema';

/** The lead fields a filter can read; any object carrying them (a Lead, a capture submission) will do. */
export type LeadRuleFields = Partial<Record<LeadRuleField, string | null | undefined>>;

export type LeadPredicate = (lead: LeadRuleFields) => boolean;

const norm = (v: string) => v.trim().toLowerCase();

export function emailDomain(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return at < 0 ? null : norm(email.slice(at + 1));
}

/** Prepares a filter once (normalised values, sets) for evaluating it against many leads. */
export function compileFilter(filter: LeadFieldFilter): LeadPredicate {
  const field = filter.field;
  const wanted = filter.values.map(norm);
  const read = (lead: LeadRuleFields) => {
    const raw = lead[field];
    return raw == null ? '' : norm(raw);
  };
  switch (filter.op) {
    case 'present':
      return (lead) => read(lead) !== '';
    case 'eq': {
      const target = wanted[0] ?? '';
      return (lead) => {
        const value = read(lead);
        return value !== '' && value === target;
      };
    }
    case 'in': {
      const set = new Set(wanted);
      return (lead) => {
        const value = read(lead);
        return value !== '' && set.has(value);
      };
    }
    case 'contains': {
      const needles = wanted.filter((w) => w !== '');
      return (lead) => {
        const value = read(lead);
        return value !== '' && needles.some((w) => value.includes(w));
      };
    }
    case 'emailDomainIn': {
      const set = new Set(wanted);
      return (lead) => {
        const domain = emailDomain(lead[field]);
        return domain !== null && set.has(domain);
      };
    }
  }
}

export function matchesFilter(lead: LeadRuleFields, filter: LeadFieldFilter): boolean {
  return compileFilter(filter)(lead);
}

/** Prepares a conjunction of filters (an empty list matches everything). */
export function compileFilters(filters: readonly LeadFieldFilter[]): LeadPredicate {
  const predicates = filters.map(compileFilter);
  return (lead) => predicates.every((p) => p(lead));
}

/** True when the lead matches every filter (an empty list matches everything). */
export function matchesAll(lead: LeadRuleFields, filters: readonly LeadFieldFilter[]): boolean {
  return compileFilters(filters)(lead);
}
