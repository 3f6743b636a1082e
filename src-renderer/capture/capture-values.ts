// The capture form's values and what a save sends: lead fields, the note, and the save's field errors by input.
import type { Lead } from '../../src-shared/domain/leads.schema';

export const CAPTURE_KEYS = ['firstName', 'lastName', 'email', 'phone', 'companyName', 'title', 'country', 'source', 'notes'] as const;
export type CaptureKey = (typeof CAPTURE_KEYS)[number];
export type CaptureValues = Record<CaptureKey, string>;

/** The lead fields of a save (the core trims them and stores blanks as nothing). */
export type CaptureLeadFields = Omit<CaptureValues, 'notes'>;

export const DEFAULT_SOURCE = 'trade-show';

/** A blank form; the source is kept from one person to the next. */
export function emptyCapture(source = DEFAULT_SOURCE): CaptureValues {
  return { firstName: '', lastName: '', email: '', phone: '', companyName: '', title: '', country: '', source, notes: '' };
}

/** The form filled from a saved lead, to correct it. */
export function captureOfLead(lead: Pick<Lead, 'firstName' | 'lastName' | 'email' | 'phone' | 'companyName' | 'title' | 'country' | 'source'>): CaptureValues {
  return {
    firstName: lead.firstName,
    lastName: lead.lastName,
    email: lead.email ?? '',
    phone: lead.phone ?? '',
    companyName: lead.companyName ?? '',
    title: lead.title ?? '',
    country: lead.country ?? '',
    source: lead.source ?? '',
    notes: '',
  };
}

export function leadFieldsOf(values: CaptureValues): CaptureLeadFields {
  const { notes: _notes, ...fields } = values;
  return { ...fields, country: fields.country.trim().toUpperCase() };
}

/** The note logged on the lead: its first line as the subject (the API allows 200 characters), the whole text as the body. */
export function noteOf(notes: string): { subject: string; body: string } | null {
  const body = notes.trim();
  if (body === '') return null;
  const firstLine = body.split('\n')[0]!.trim();
  const subject = firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
  return { subject, body };
}

/**
 * The save's field problems by input ({path: 'email', …} → email); problems no input shows (a path the form does not
 * have) come back as `other`, so they are still shown.
 */
export function fieldErrorsOf(fields: readonly { path: string; message: string }[] | undefined): { byKey: Partial<Record<CaptureKey, string>>; other: string[] } {
  const byKey: Partial<Record<CaptureKey, string>> = {};
  const other: string[] = [];
  for (const { path, message } of fields ?? []) {
    const key = path.replace(/^patch\./, '').split('.')[0] as CaptureKey;
    if ((CAPTURE_KEYS as readonly string[]).includes(key) && key !== 'notes') byKey[key] ??= message;
    else if (path === 'body' || path === 'subject') byKey.notes ??= message;
    else other.push(path && path !== '(root)' ? `${path}: ${message}` : message);
  }
  return { byKey, other };
}

/** "Ana Lopez", or the company or email when there is no name. */
export function leadLabel(lead: Pick<Lead, 'firstName' | 'lastName' | 'email' | 'companyName'>): string {
  const name = `${lead.firstName} ${lead.lastName}`.trim();
  return name || lead.companyName || lead.email || 'Unnamed lead';
}
