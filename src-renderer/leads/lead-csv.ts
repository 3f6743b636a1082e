// The lead queue as CSV: one line per lead with the columns a spreadsheet user expects, formula-looking cells defused.
import Papa from 'papaparse';
import type { LeadQueueRow } from '../../src-shared/api/leads.api';
import type { DirectoryUser } from '../../src-shared/api/directory.api';

export const CSV_HEADER = [
  'id', 'first_name', 'last_name', 'email', 'phone', 'company', 'title', 'country', 'status', 'source', 'owner', 'owner_email', 'score', 'created_at', 'updated_at', 'last_activity_at',
] as const;

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** The CSV cells of each lead, in {@link CSV_HEADER} order; owners by name (blank when unassigned). */
export function csvRecords(rows: readonly LeadQueueRow[], users: readonly DirectoryUser[]): string[][] {
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) => {
    const owner = r.ownerId ? byId.get(r.ownerId) : undefined;
    return [
      r.id, r.firstName, r.lastName, r.email ?? '', r.phone ?? '', r.companyName ?? '', r.title ?? '', r.country ?? '', r.status, r.source ?? '',
      r.ownerId ? (owner?.name ?? 'Unknown user') : '', owner?.email ?? '', String(r.score), iso(r.createdAt), iso(r.updatedAt), iso(r.lastActivityAt),
    ];
  });
}

/**
 * The whole file: a header line and one line per lead, CRLF-separated (what spreadsheets expect). A cell starting
 * with = + - @ is prefixed with a quote so a spreadsheet shows it instead of running it (CSV injection).
 */
export function leadsToCsv(rows: readonly LeadQueueRow[], users: readonly DirectoryUser[]): string {
  return Papa.unparse({ fields: [...CSV_HEADER], data: csvRecords(rows, users) }, { escapeFormulae: true, newline: '\r\n' });
}

/** `leads-2026-01-15-0930.csv`, in the user's local time (`tzOffsetMinutes` from `Date#getTimezoneOffset()`). */
export function csvFileName(now: number, tzOffsetMinutes: number): string {
  const local = new Date(now - tzOffsetMinutes * 60_000).toISOString();
  return `leads-${local.slice(0, 10)}-${local.slice(11, 13)}${local.slice(14, 16)}.csv`;
}
