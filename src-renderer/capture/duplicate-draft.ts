// The duplicate probe of a lead being typed or imported: only what is complete enough to compare, within the API's limits.

/** The fields `leads.findDuplicates` compares, as its `draft`. */
export interface DuplicateDraft {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  companyName?: string;
}

export type DraftSource = Partial<Record<keyof DuplicateDraft, string | null | undefined>>;

/** An address worth checking: a half-typed one ("ana@lo") would be refused by the API and match nothing useful. */
const COMPLETE_EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[^\s@.]{2,}$/;

const LIMITS: Record<keyof DuplicateDraft, number> = { firstName: 200, lastName: 200, email: 254, phone: 40, companyName: 200 };

/**
 * The draft to check, or null while nothing is worth checking yet: a name or company of two characters or more,
 * a complete email, or a phone of six digits or more. Over-long values are cut to the API's limits, so a long paste
 * still gets checked (the save itself reports the length).
 */
export function duplicateDraftOf(source: DraftSource): DuplicateDraft | null {
  const draft: DuplicateDraft = {};
  for (const key of Object.keys(LIMITS) as (keyof DuplicateDraft)[]) {
    const value = (source[key] ?? '').trim().slice(0, LIMITS[key]);
    if (value === '') continue;
    if (key === 'email' && !COMPLETE_EMAIL.test(value)) continue;
    if (key === 'phone' && value.replace(/\D/g, '').length < 6) continue;
    if (key !== 'email' && key !== 'phone' && value.length < 2) continue;
    draft[key] = value;
  }
  return Object.keys(draft).length > 0 ? draft : null;
}

/** "94%" — the score of a match as people read it. */
export const percent = (score: number): string => `${Math.round(score * 100)}%`;
