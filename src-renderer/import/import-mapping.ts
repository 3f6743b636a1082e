// CSV columns → lead fields: the guess from header names ("First Name", "E-mail", "Company"), checks, and applying a mapping to a row.

/** What a column can be imported as: the lead fields a CSV carries, and a full name split into first and last. */
export const IMPORT_TARGETS = [
  { key: 'firstName', label: 'First name', names: ['firstname', 'first', 'givenname', 'forename', 'fname', 'prenom', 'vorname'] },
  { key: 'lastName', label: 'Last name', names: ['lastname', 'last', 'surname', 'familyname', 'lname', 'nom', 'nachname'] },
  { key: 'fullName', label: 'Full name (split)', names: ['name', 'fullname', 'contactname', 'contact', 'leadname', 'person'] },
  { key: 'email', label: 'Email', names: ['email', 'emailaddress', 'mail', 'email1', 'workemail', 'businessemail', 'emailaddr'] },
  { key: 'phone', label: 'Phone', names: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'workphone', 'businessphone'] },
  { key: 'companyName', label: 'Company', names: ['company', 'companyname', 'organisation', 'organization', 'org', 'account', 'accountname', 'business', 'employer'] },
  { key: 'title', label: 'Title', names: ['title', 'jobtitle', 'position', 'role', 'jobrole', 'function'] },
  { key: 'country', label: 'Country (2 letters)', names: ['country', 'countrycode', 'countryiso', 'iso2'] },
  { key: 'region', label: 'Region', names: ['region', 'state', 'province', 'stateprovince', 'county'] },
  { key: 'source', label: 'Source', names: ['source', 'leadsource', 'utmsource'] },
  { key: 'medium', label: 'Medium', names: ['medium', 'utmmedium'] },
  { key: 'campaign', label: 'Campaign', names: ['campaign', 'utmcampaign', 'campaignname'] },
  { key: 'referrer', label: 'Referrer', names: ['referrer', 'referer', 'referrerurl', 'refererurl'] },
] as const;

export type ImportTarget = (typeof IMPORT_TARGETS)[number]['key'];
/** One target per column, null = not imported. */
export type ColumnMapping = (ImportTarget | null)[];
/** A row as `leads.import` takes it: lead field → text. */
export type LeadRecord = Partial<Record<Exclude<ImportTarget, 'fullName'>, string>>;

const IDENTITY: readonly ImportTarget[] = ['firstName', 'lastName', 'fullName', 'email', 'phone', 'companyName'];

export const targetLabel = (key: string): string => IMPORT_TARGETS.find((t) => t.key === key)?.label ?? key;

/** "E-Mail Address " → "emailaddress": case, accents, spaces and punctuation do not matter. */
export function normalizeHeader(header: string): string {
  return header.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function guessTarget(header: string): ImportTarget | null {
  const name = normalizeHeader(header);
  if (name === '') return null;
  return IMPORT_TARGETS.find((t) => (t.names as readonly string[]).includes(name))?.key ?? null;
}

/** The guessed mapping of a header row: the first column claiming a field gets it; a full name only when first and last are not both there. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const taken = new Set<ImportTarget>();
  const mapping = headers.map((h) => {
    const target = guessTarget(h);
    if (target === null || taken.has(target)) return null;
    taken.add(target);
    return target;
  });
  if (taken.has('firstName') && taken.has('lastName')) return mapping.map((t) => (t === 'fullName' ? null : t));
  return mapping;
}

/** What stops an import with this mapping: a field fed by two columns, or no column that identifies a lead. */
export function mappingProblems(headers: readonly string[], mapping: ColumnMapping): string[] {
  const problems: string[] = [];
  for (const target of IMPORT_TARGETS) {
    const columns = mapping.flatMap((t, i) => (t === target.key ? [columnLabel(headers, i)] : []));
    if (columns.length > 1) problems.push(`${target.label} is mapped from ${columns.length} columns (${columns.join(', ')}): keep one`);
  }
  if (!mapping.some((t) => t !== null && IDENTITY.includes(t))) problems.push('map at least one column to a name, email, phone or company');
  return problems;
}

/** The header as shown, or "Column 3" for a blank one. */
export function columnLabel(headers: readonly string[], index: number): string {
  const header = headers[index]?.trim() ?? '';
  return header === '' ? `Column ${index + 1}` : header;
}

/** Splits "Ana María Lopez" into first "Ana María" and last "Lopez"; one word is a last name. */
export function splitFullName(full: string): { firstName: string; lastName: string } {
  const words = full.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: '', lastName: '' };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1]! };
}

/**
 * The lead record of one CSV row: mapped cells only, blank cells left out (nothing to set), `defaults` for fields
 * the row leaves blank (e.g. the source of the whole file). Values are passed on as they are: the import validates
 * each row and reports what is wrong with it.
 */
export function applyMapping(cells: readonly string[], mapping: ColumnMapping, defaults: LeadRecord = {}): LeadRecord {
  const record: LeadRecord = {};
  let fullName: string | null = null;
  mapping.forEach((target, i) => {
    const value = cells[i];
    if (target === null || value === undefined || value.trim() === '') return;
    if (target === 'fullName') fullName = value;
    else record[target] = value;
  });
  if (fullName !== null) {
    const split = splitFullName(fullName);
    if (record.firstName === undefined && split.firstName !== '') record.firstName = split.firstName;
    if (record.lastName === undefined) record.lastName = split.lastName;
  }
  for (const [key, value] of Object.entries(defaults) as [keyof LeadRecord, string][]) {
    if (record[key] === undefined && value.trim() !== '') record[key] = value;
  }
  return record;
}
