// Deterministic CSV-import data of many people from few companies: stored leads of those companies and rows to import.
import type { Lead } from '../../src-shared/domain/leads.schema';

const FIRST = [
  'Ana', 'Ben', 'Chloé', 'David', 'Elena', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Luca', 'Maya', 'Noah', 'Olga', 'Paul', 'Quinn',
  'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wim', 'Xenia', 'Yusuf', 'Zoe', 'Anton', 'Bettina', 'Carlos', 'Dana', 'Emil', 'Frieda', 'Georg',
  'Hanna', 'Igor', 'Julia', 'Kai', 'Lena', 'Marco', 'Nina', 'Oskar', 'Petra', 'Rafael', 'Sara', 'Tom', 'Ulla', 'Viktor', 'Wanda', 'Yara', 'Zeno',
];
const ONSETS = ['b', 'br', 'k', 'kr', 'd', 'f', 'g', 'h', 'j', 'l', 'm', 'n', 'p', 'r', 's', 'sch', 't', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'au', 'ei'];
const CODAS = ['rt', 'nn', 'ls', 'ck', 'mer', 'berg', 'mann', 'stein', 'feld', 'ski', 'ova', 'sen', 'ini', 'ez', 'hoff'];
const PLACES = ['Nordwind', 'Alpen', 'Rhein', 'Hansa', 'Baltic', 'Elb', 'Main', 'Isar', 'Oder', 'Weser'];
const TRADES = ['Logistik', 'Systeme', 'Energie', 'Foods', 'Software'];

export interface CompanyImportData {
  stored: Lead[];
  rows: Array<Record<string, string>>;
  /** Rows that repeat a stored lead (its email in capitals) or an earlier row (its first name as an initial). */
  repeats: number;
}

/**
 * `stored` leads and `rows` spread over 50 companies with 10 email domains (each domain shared by five companies),
 * surnames from ~2,000 with a few very common ones (Zipf-like), as a trade-fair or partner export looks. One row in
 * twenty repeats a stored lead, one in fifty an earlier row.
 */
export function companyImportData(opts: { seed: number; stored: number; rows: number; tenantId: string; ownerId: string; now: number }): CompanyImportData {
  let s = opts.seed;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const surnames = ONSETS.flatMap((o) => VOWELS.flatMap((v) => CODAS.map((c) => `${o[0]!.toUpperCase()}${o.slice(1)}${v}${c}`)));
  // Shuffled so that the common ones are not all alike.
  for (let i = surnames.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [surnames[i], surnames[j]] = [surnames[j]!, surnames[i]!];
  }
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < surnames.length; i++) cumulative.push((total += 1 / Math.pow(i + 1, 0.8)));
  const surname = () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return surnames[lo]!;
  };
  const companies = Array.from({ length: 50 }, (_, i) => `${PLACES[i % 10]} ${TRADES[i % 5]} ${i} GmbH`);
  const ascii = (x: string) => x.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z]/g, '');
  const person = (n: number) => {
    const firstName = pick(FIRST);
    const lastName = surname();
    const c = Math.floor(rnd() * companies.length);
    return {
      firstName, lastName, companyName: companies[c]!,
      email: rnd() < 0.85 ? `${ascii(firstName)}.${ascii(lastName)}${n}@${PLACES[c % 10]!.toLowerCase()}.example` : null,
      phone: rnd() < 0.5 ? `+49 30 ${1_000_000 + Math.floor(rnd() * 8_999_999)}` : null,
    };
  };
  const stored: Lead[] = Array.from({ length: opts.stored }, (_, n) => ({
    ...person(n), id: `stored-${String(n).padStart(6, '0')}`, tenantId: opts.tenantId, title: null, country: null, region: null, source: null,
    medium: null, campaign: null, referrer: null, formKey: null, status: 'NEW', disqualifyReason: null, score: 0, scoreFactors: [],
    winProbability: null, ownerId: opts.ownerId, teamId: null, possibleDuplicateOf: null, convertedContactId: null, convertedCompanyId: null,
    convertedDealId: null, lastActivityAt: null, archived: false, createdAt: opts.now, updatedAt: opts.now,
  }));
  const present = (o: Record<string, string | null>) => Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== null));
  const rows: Array<Record<string, string>> = [];
  let repeats = 0;
  for (let n = 0; n < opts.rows; n++) {
    if (n % 20 === 7) {
      const l = stored[Math.floor(rnd() * stored.length)]!;
      rows.push(present({ firstName: l.firstName, lastName: l.lastName, email: l.email?.toUpperCase() ?? null, phone: l.phone, companyName: l.companyName }));
      repeats++;
    } else if (n % 50 === 13 && n > 50) {
      const earlier = rows[n - 50]!;
      rows.push({ ...earlier, firstName: `${earlier['firstName']!.slice(0, 1)}.` });
      repeats++;
    } else {
      rows.push(present(person(opts.stored + n)));
    }
  }
  return { stored, rows, repeats };
}
