// Normalised match keys for duplicate detection (Salesforce matching-rule style): the one source of blocking keys.
import { doubleMetaphone } from 'double-metaphone';
import { emailDomain } from './lead-filter';

/** The fields duplicate detection reads; a Lead or a Contact (with companyName) will do. */
export interface DuplicateCandidateFields {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  companyName: string | null;
}

/** Mailbox providers whose domain says nothing about the employer, so it is no company evidence. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.de', 'yahoo.fr', 'yahoo.co.uk', 'ymail.com',
  'hotmail.com', 'hotmail.de', 'hotmail.fr', 'hotmail.co.uk', 'outlook.com', 'outlook.de', 'live.com', 'msn.com',
  'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'mail.com', 'gmx.de', 'gmx.net',
  'gmx.com', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de', 'posteo.de', 'orange.fr', 'free.fr',
  'laposte.net', 'libero.it', 'yandex.ru', 'yandex.com', 'mail.ru', 'zoho.com', 'qq.com', '163.com', 'fastmail.com',
]);

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** Legal-form words dropped from the end of a company name ("Acme GmbH & Co. KG" → "acme"). */
const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'ltd', 'llc', 'llp', 'lp', 'gmbh', 'ag', 'kg', 'sa', 'sarl', 'sas', 'srl', 'spa', 'bv', 'nv',
  'co', 'company', 'corp', 'corporation', 'limited', 'plc', 'pty', 'oy', 'ab',
]);

/** Letters that Unicode decomposition leaves alone but people type both ways. */
const LETTER_FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

const ASCII = /^[ -~]*$/;

/** Lowercase, strip diacritics ("Müller" → "muller"). */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // Plain ASCII has nothing to decompose or fold, and it is most of what is typed: skip the Unicode work.
  if (ASCII.test(lower)) return lower;
  return lower
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøłđðþı]/g, (c) => LETTER_FOLDS[c] ?? c);
}

/** Lowercased, trimmed address; for Gmail dots and +tags are dropped because Gmail ignores them. */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf('@');
  if (at <= 0 || at === e.length - 1) return null;
  let local = e.slice(0, at);
  let domain = e.slice(at + 1);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.split('+')[0]!.replace(/\./g, '');
    domain = 'gmail.com';
    if (local === '') return null;
  }
  return `${local}@${domain}`;
}

/**
 * Digits only, keyed by the last 10 digits so "+49 30 12345678", "0049 30 12345678" and "030 12345678" agree
 * (the country code and trunk zero fall off the front); fewer than 6 digits is no usable phone.
 */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return null;
  return digits.length >= 10 ? digits.slice(-10) : digits;
}

/** Lowercase, no punctuation or diacritics, trailing legal forms dropped, single spaces. */
export function normalizeCompanyName(name: string | null | undefined): string | null {
  if (!name) return null;
  // Dots and apostrophes join ("S.A." → "sa", "O'Neil" → "oneil"); other punctuation separates words.
  const words = foldText(name)
    .replace(/[.'’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  // Never drop the last word: a company called "AG Partners" or just "Co" keeps its name.
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  const out = words.join(' ');
  return out === '' ? null : out;
}

/** Lowercase, no diacritics, letters and single spaces only ("  Zoë  O'Brien-Smith" → "zoe obrien smith"). */
export function normalizePersonName(name: string | null | undefined): string | null {
  if (!name) return null;
  const out = foldText(name)
    .replace(/[.'’]/g, '')
    .split(/[^\p{L}]+/u)
    .filter((w) => w !== '')
    .join(' ');
  return out === '' ? null : out;
}

/** Primary Double Metaphone code of a name, so "Johnson" and "Jonson" share a key; null for no name. */
export function phoneticKey(name: string | null | undefined): string | null {
  return soundOf(normalizePersonName(name));
}

/** phoneticKey of a name already through normalizePersonName. */
function soundOf(normalizedName: string | null): string | null {
  if (normalizedName === null) return null;
  const [primary] = doubleMetaphone(normalizedName.replace(/ /g, ''));
  return primary === '' ? null : primary;
}

/** The email's domain when it identifies an employer, i.e. is not a free-mail provider. */
export function corporateDomain(email: string | null | undefined): string | null {
  const domain = emailDomain(normalizeEmail(email));
  return domain !== null && !FREE_MAIL_DOMAINS.has(domain) ? domain : null;
}

/** Second-level labels under a country code ("acme.co.uk"), skipped to reach the company's own label. */
const SECOND_LEVEL_LABELS = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'ne', 'or', 'gv']);

/** The label naming the company in a corporate email domain: "sales.acme.co.uk" → "acme"; null for free mail. */
export function emailCompanyLabel(email: string | null | undefined): string | null {
  return domainLabelOf(normalizeEmail(email));
}

function domainLabelOf(normalizedEmail: string | null): string | null {
  const domain = emailDomain(normalizedEmail);
  return domain === null ? null : corporateLabel(domain);
}

/**
 * Remembers a pure function's result per input string, up to `max` inputs (then starts afresh). Names, company names
 * and email domains repeat from record to record (many people of few companies), and deriving their forms, phonetic
 * coding above all, is most of the cost of preparing a record for matching.
 */
function memoized<T>(fn: (s: string) => T, max = 10_000): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined) return hit;
    const value = fn(s);
    if (seen.size >= max) seen.clear();
    seen.set(s, value);
    return value;
  };
}

const corporateLabel = memoized((domain: string): string | null => {
  if (!domain || FREE_MAIL_DOMAINS.has(domain)) return null;
  const labels = domain.split('.').filter((l) => l !== '');
  if (labels.length < 2) return labels[0] ?? null;
  const beforeTld = labels.length - 2;
  const skip = labels.length >= 3 && labels[labels.length - 1]!.length === 2 && SECOND_LEVEL_LABELS.has(labels[beforeTld]!);
  return labels[skip ? beforeTld - 1 : beforeTld]!;
});

/** A normalised company name without spaces, comparable with an email domain label ("Acme Tools" → "acmetools"). */
export function companyLabel(companyName: string | null | undefined): string | null {
  return labelOf(normalizeCompanyName(companyName));
}

const labelOf = (normalizedCompany: string | null) => (normalizedCompany === null ? null : normalizedCompany.replace(/ /g, ''));

/** Every normalised form that matching reads, each computed once per record (keys and scoring both start here). */
export interface MatchFields {
  email: string | null;
  phone: string | null;
  first: string | null;
  last: string | null;
  firstSound: string | null;
  lastSound: string | null;
  company: string | null;
  /** The company name without spaces, and the company label of a corporate email domain. */
  companyLabel: string | null;
  domainLabel: string | null;
}

const NO_NAME = { name: null, sound: null } as const;
const nameForms = memoized((raw: string) => {
  const name = normalizePersonName(raw);
  return { name, sound: soundOf(name) };
});
const NO_COMPANY = { company: null, label: null } as const;
const companyForms = memoized((raw: string) => {
  const company = normalizeCompanyName(raw);
  return { company, label: labelOf(company) };
});

export function matchFields(rec: Omit<DuplicateCandidateFields, 'id'>): MatchFields {
  const email = normalizeEmail(rec.email);
  const first = rec.firstName ? nameForms(rec.firstName) : NO_NAME;
  const last = rec.lastName ? nameForms(rec.lastName) : NO_NAME;
  const company = rec.companyName ? companyForms(rec.companyName) : NO_COMPANY;
  return {
    email,
    phone: normalizePhone(rec.phone),
    first: first.name,
    last: last.name,
    firstSound: first.sound,
    lastSound: last.sound,
    company: company.company,
    companyLabel: company.label,
    domainLabel: domainLabelOf(email),
  };
}

/**
 * The blocking keys of a record: two records are compared only when they share one. The store keeps these in an
 * indexed table, so this is the single definition of them.
 *   e:<email>  p:<phone key>  n:<phonetic first>|<phonetic last>  c:<company label>|<phonetic last>
 * The company label comes from the company name and from a corporate email domain alike, so "Anna Schmidt, Acme
 * GmbH" and "a.schmidt@acme.de" share a key.
 */
export function matchKeys(rec: Omit<DuplicateCandidateFields, 'id'>): string[] {
  return keysOf(matchFields(rec));
}

/** matchKeys from fields already normalised. */
function keysOf(f: MatchFields): string[] {
  const keys: string[] = [];
  if (f.email) keys.push(`e:${f.email}`);
  if (f.phone) keys.push(`p:${f.phone}`);
  const last = f.lastSound;
  if (last) {
    if (f.firstSound) keys.push(`n:${f.firstSound}|${last}`);
    if (f.companyLabel) keys.push(`c:${f.companyLabel}|${last}`);
    if (f.domainLabel && f.domainLabel !== f.companyLabel) keys.push(`c:${f.domainLabel}|${last}`);
  }
  return keys;
}
