// Evaluates the lead field filters that scoring, distribution and nurture rules share.
import type { LeadFieldFilter, LeadRuleField } from './automation.schema';

/** The lead fields a filter can read; any object carrying them (a Lead, a capture submission) will do. */
export type LeadRuleFields = Partial<Record<LeadRuleField, string | null | undefined>>;

const norm = (v: string) => v.trim().toLowerCase();

export function emailDomain(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return at < 0 ? null : norm(email.slice(at + 1));
}

export function matchesFilter(lead: LeadRuleFields, filter: LeadFieldFilter): boolean {
  const raw = lead[filter.field];
  const value = raw == null ? '' : norm(raw);
  const wanted = filter.values.map(norm);
  switch (filter.op) {
    case 'present':
      return value !== '';
    case 'eq':
      return value !== '' && value === (wanted[0] ?? '');
    case 'in':
      return value !== '' && wanted.includes(value);
    case 'contains':
      return value !== '' && wanted.some((w) => w !== '' && value.includes(w));
    case 'emailDomainIn': {
      const domain = emailDomain(raw);
      return domain !== null && wanted.includes(domain);
    }
  }
}

/** True when the lead matches every filter (an empty list matches everything). */
export function matchesAll(lead: LeadRuleFields, filters: readonly LeadFieldFilter[]): boolean {
  return filters.every((f) => matchesFilter(lead, f));
}
