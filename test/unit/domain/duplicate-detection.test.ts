import { describe, expect, it } from 'vitest';
import type { DuplicateCandidateFields } from '../../../src-shared/domain/duplicate-keys';
import {
  matchKeys,
  normalizeCompanyName,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
  phoneticKey,
} from '../../../src-shared/domain/duplicate-keys';
import { CandidateRanker, checkDuplicates, DuplicateIndex, findDuplicates, MAX_DUPLICATE_CANDIDATES, scoreDuplicate, topCandidates } from '../../../src-shared/domain/duplicate-detection';

type Person = Omit<DuplicateCandidateFields, 'id'>;
const blank: Person = { firstName: null, lastName: null, email: null, phone: null, companyName: null };
const rec = (id: string, fields: Partial<Person>): DuplicateCandidateFields => ({ id, ...blank, ...fields });

describe('normalised keys', () => {
  it.each<[string | null, string | null]>([
    ['  Ana@Example.COM ', 'ana@example.com'],
    ['Anna.Schmidt+crm@GoogleMail.com', 'annaschmidt@gmail.com'],
    ['a.n.n.a@gmail.com', 'anna@gmail.com'],
    // Only Gmail ignores dots and tags; elsewhere they are part of the address.
    ['anna.schmidt+crm@acme.com', 'anna.schmidt+crm@acme.com'],
    ['no-at-sign', null],
    [null, null],
  ])('email %j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each<[string | null, string | null]>([
    ['+49 30 12345678', '3012345678'],
    ['0049 (30) 1234-5678', '3012345678'],
    ['030 12345678', '3012345678'],
    ['+1 (212) 555-0100', '2125550100'],
    ['555 0100', '5550100'],
    ['12-34', null],
    ['', null],
  ])('phone %j → %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each<[string, string | null]>([
    ['Acme Inc.', 'acme'],
    ['ACME, Incorporated', 'acme'],
    ['Acme GmbH & Co. KG', 'acme'],
    ['Société Générale S.A.', 'societe generale'],
    ['Müller-Lüdenscheidt AG', 'muller ludenscheidt'],
    ['The Co', 'the'],
    ['AG', 'ag'],
    ['  ', null],
  ])('company %j → %j', (input, expected) => {
    expect(normalizeCompanyName(input)).toBe(expected);
  });

  it('folds person names and makes sound-alike keys', () => {
    expect(normalizePersonName("  Zoë  O'Brien-Straße ")).toBe('zoe obrien strasse');
    expect(phoneticKey('Johnson')).toBe(phoneticKey('Jonson'));
    expect(phoneticKey('Meyer')).toBe(phoneticKey('Maier'));
    expect(phoneticKey('Smith')).not.toBe(phoneticKey('Miller'));
    expect(phoneticKey('')).toBeNull();
  });

  it('builds blocking keys from what the record has, with no domain key for free mail', () => {
    expect(matchKeys({ firstName: 'Jon', lastName: 'Jonson', email: 'jon@acme.com', phone: '+49 30 12345678', companyName: 'Acme Inc.' })).toEqual([
      'e:jon@acme.com',
      'p:3012345678',
      'n:JN|JNSN',
      'c:acme|JNSN',
    ]);
    expect(matchKeys({ ...blank, firstName: 'Anna', lastName: 'Schmidt', email: 'a.schmidt@sales.initech.co.uk', companyName: 'Acme Tools Ltd' })).toEqual([
      'e:a.schmidt@sales.initech.co.uk',
      'n:AN|XMT',
      'c:acmetools|XMT',
      'c:initech|XMT',
    ]);
    expect(matchKeys({ ...blank, firstName: 'Jon', lastName: 'Jonson', email: 'jon@gmail.com' })).toEqual(['e:jon@gmail.com', 'n:JN|JNSN']);
    expect(matchKeys(blank)).toEqual([]);
  });
});

describe('scoreDuplicate', () => {
  it.each<[string, Person, Person, boolean]>([
    ['same gmail address, other case, dots and tag', { ...blank, email: 'Anna.Schmidt@gmail.com' }, { ...blank, email: 'annaschmidt+fair@googlemail.com' }, true],
    ['same phone written +49 / 0049 / spaces', { ...blank, firstName: 'Peter', lastName: 'Meyer', phone: '+49 30 12345678' }, { ...blank, firstName: 'Peter', lastName: 'Meyer', phone: '0049 30 1234 5678' }, true],
    ['typo in last name, same company', { ...blank, firstName: 'Jon', lastName: 'Johnson', companyName: 'Acme Inc.' }, { ...blank, firstName: 'Jon', lastName: 'Jonson', companyName: 'ACME, Incorporated' }, true],
    ['sound-alike names, same company', { ...blank, firstName: 'John', lastName: 'Johnson', companyName: 'Acme' }, { ...blank, firstName: 'Jon', lastName: 'Jonson', companyName: 'Acme Corp' }, true],
    ['same name, same company by email domain', { ...blank, firstName: 'John', lastName: 'Smith', email: 'js@acme.com' }, { ...blank, firstName: 'John', lastName: 'Smith', email: 'john.smith@acme.com' }, true],
    ['same name, company name matching the email domain', { ...blank, firstName: 'Anna', lastName: 'Schmid', companyName: 'ACME GmbH' }, { ...blank, firstName: 'A.', lastName: 'Schmidt', email: 'anna.schmidt@acme.de' }, true],
    ['nickname but same email', { ...blank, firstName: 'Bob', lastName: 'Smith', email: 'bob@acme.com' }, { ...blank, firstName: 'Robert', lastName: 'Smith', email: 'bob@acme.com' }, true],
    ['different people, same company', { ...blank, firstName: 'Mary', lastName: 'Jones', companyName: 'Acme Inc.' }, { ...blank, firstName: 'Peter', lastName: 'Grant', companyName: 'Acme' }, false],
    ['same surname, same company, other first name', { ...blank, firstName: 'Mary', lastName: 'Johnson', companyName: 'Acme' }, { ...blank, firstName: 'Peter', lastName: 'Johnson', companyName: 'Acme' }, false],
    ['same common first name only', { ...blank, firstName: 'John', lastName: 'Smith' }, { ...blank, firstName: 'John', lastName: 'Miller' }, false],
    ['same first name at the same company', { ...blank, firstName: 'John', lastName: 'Smith', companyName: 'Acme' }, { ...blank, firstName: 'John', lastName: 'Miller', companyName: 'Acme' }, false],
    ['same full name and nothing else', { ...blank, firstName: 'John', lastName: 'Smith' }, { ...blank, firstName: 'John', lastName: 'Smith' }, false],
    ['shared switchboard number, different people', { ...blank, firstName: 'Mary', lastName: 'Jones', phone: '+1 212 555 0100', companyName: 'Acme' }, { ...blank, firstName: 'Peter', lastName: 'Grant', phone: '(212) 555-0100', companyName: 'Acme' }, false],
  ])('$0 → duplicate: $3', (_label, a, b, expected) => {
    expect(scoreDuplicate(rec('a', a), rec('b', b)).score >= 0.8).toBe(expected);
  });

  it('rates an exact email alone as very strong and names the fields that matched', () => {
    const result = scoreDuplicate(rec('a', { email: 'ana@example.com' }), rec('b', { email: 'ANA@example.com ' }));
    expect(result.score).toBeGreaterThanOrEqual(0.95);
    expect(result.matched).toEqual([{ field: 'email', score: 1 }]);
    const byName = scoreDuplicate(rec('a', { firstName: 'Jon', lastName: 'Johnson', companyName: 'Acme' }), rec('b', { firstName: 'Jon', lastName: 'Jonson', companyName: 'Acme' }));
    expect(byName.matched.map((m) => m.field)).toEqual(['name', 'company']);
    expect(byName.matched[0]!.score).toBeLessThan(1);
  });
});

describe('findDuplicates', () => {
  const probe = rec('new', { firstName: 'Jon', lastName: 'Jonson', email: 'jon@acme.com', companyName: 'Acme' });
  const candidates = [
    rec('new', { firstName: 'Jon', lastName: 'Jonson', email: 'jon@acme.com' }),
    rec('same-email', { email: 'JON@acme.com' }),
    rec('typo', { firstName: 'Jon', lastName: 'Johnson', companyName: 'Acme Inc.' }),
    rec('name-only', { firstName: 'Jon', lastName: 'Jonson' }),
    rec('other', { firstName: 'Mary', lastName: 'Jones', companyName: 'Acme' }),
  ];

  it('returns matches best first, without the probe itself', () => {
    expect(findDuplicates(probe, candidates).map((m) => m.id)).toEqual(['same-email', 'typo']);
  });

  it('honours the threshold and the limit', () => {
    expect(findDuplicates(probe, candidates, { threshold: 0.4 }).map((m) => m.id)).toEqual(['same-email', 'typo', 'name-only']);
    expect(findDuplicates(probe, candidates, { threshold: 0.99 })).toEqual([]);
    expect(findDuplicates(probe, candidates, { limit: 1 }).map((m) => m.id)).toEqual(['same-email']);
  });
});

describe('DuplicateIndex', () => {
  const people = [
    rec('p1', { firstName: 'Anna', lastName: 'Schmidt', email: 'anna@acme.com', companyName: 'Acme' }),
    rec('p2', { firstName: 'Peter', lastName: 'Meyer', phone: '+49 30 12345678' }),
    rec('p3', { firstName: 'Mary', lastName: 'Jones', companyName: 'Globex' }),
  ];
  const byId = new Map(people.map((p) => [p.id, p]));

  it('offers only records sharing a blocking key', () => {
    const index = new DuplicateIndex(people);
    expect(index.size).toBe(3);
    expect(index.candidatesFor({ ...blank, firstName: 'Petra', lastName: 'Maier', phone: '030 1234 5678' })).toEqual(['p2']);
    expect(index.candidatesFor({ ...blank, firstName: 'Ana', lastName: 'Schmitt', companyName: 'ACME Ltd' })).toEqual(['p1']);
    expect(index.candidatesFor({ ...blank, firstName: 'Zed', lastName: 'Quinn' })).toEqual([]);
    expect(index.candidatesFor(people[0]!)).toEqual([]);
  });

  it('forgets removed records and re-keys edited ones', () => {
    const index = new DuplicateIndex(people);
    expect(index.remove('p2')).toBe(true);
    expect(index.remove('p2')).toBe(false);
    expect(index.candidatesFor({ ...blank, phone: '+49 30 12345678' })).toEqual([]);
    index.add(rec('p3', { firstName: 'Mary', lastName: 'Jones', phone: '+49 30 12345678' }));
    expect(index.size).toBe(2);
    expect(index.candidatesFor({ ...blank, phone: '0049 30 12345678' })).toEqual(['p3']);
    expect(index.candidatesFor({ ...blank, firstName: 'Eve', lastName: 'Jones', companyName: 'Globex' })).toEqual([]);
  });

  it('checkDuplicates scores the blocked candidates and skips ids the store no longer has', () => {
    const index = new DuplicateIndex(people);
    const probe = rec('new', { firstName: 'Anna', lastName: 'Schmidt', email: 'Anna@ACME.com' });
    expect(checkDuplicates(probe, index, (id) => byId.get(id)).map((m) => m.id)).toEqual(['p1']);
    expect(checkDuplicates(probe, index, () => undefined)).toEqual([]);
  });

  it('ranks a common key\'s crowd and keeps the strongest: shared email or phone first, then more keys, then id', () => {
    // 80 Schmidts at Acme share the company key; one also has the probe's email, one its phone, one its name.
    const crowd = Array.from({ length: 80 }, (_, i) => rec(`s${String(i).padStart(2, '0')}`, { firstName: `Person${i}`, lastName: 'Schmidt', companyName: 'Acme' }));
    crowd[70] = rec('s70', { firstName: 'Ute', lastName: 'Schmidt', email: 'anna.schmidt@acme.com', companyName: 'Acme' });
    crowd[75] = rec('s75', { firstName: 'Anna', lastName: 'Schmidt', companyName: 'Acme' });
    crowd[78] = rec('s78', { firstName: 'Ole', lastName: 'Schmidt', phone: '+49 89 1234567', companyName: 'Acme' });
    const index = new DuplicateIndex(crowd);
    const probe = rec('new', { firstName: 'Anna', lastName: 'Schmidt', email: 'Anna.Schmidt@acme.com', phone: '0049 89 1234567', companyName: 'ACME GmbH' });
    const ranked = index.rankedCandidates(matchKeys(probe), probe.id);
    expect(ranked).toHaveLength(MAX_DUPLICATE_CANDIDATES);
    expect(ranked.slice(0, 4)).toEqual(['s70', 's78', 's75', 's00']);
    expect(ranked.at(-1)).toBe(`s${MAX_DUPLICATE_CANDIDATES - 4}`);
    expect(index.rankedCandidates(matchKeys(probe), probe.id, 200)).toHaveLength(80);
    expect(findDuplicates(probe, ranked.map((id) => crowd.find((c) => c.id === id)!)).map((m) => m.id)).toEqual(['s75', 's70']);
  });

  it('CandidateRanker chooses, for probes sharing big company blocks, exactly what topCandidates chooses', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % n;
    const keys = ['e:a@x.de', 'e:b@x.de', 'p:301234567', 'n:AN|XMT', 'n:PN|XMT', 'c:acme|XMT', 'c:acmede|XMT', 'c:acme|MLR'];
    const idsByKey = new Map(keys.map((k) => [k, [...new Set(Array.from({ length: k.startsWith('c:') ? 300 : 20 }, () => `l${rnd(400)}`))]]));
    const ranker = new CandidateRanker(idsByKey);
    for (let probe = 0; probe < 200; probe++) {
      const probeKeys = keys.filter(() => rnd(2) === 0);
      const self = `l${rnd(400)}`;
      const weights = new Map<string, number>();
      for (const k of probeKeys) for (const id of idsByKey.get(k)!) if (id !== self) weights.set(id, (weights.get(id) ?? 0) + (/^[ep]:/.test(k) ? 100 : 1));
      expect(ranker.top(probeKeys, self).sort()).toEqual(topCandidates(weights).sort());
    }
  });

  it('breaks ties by id in code point order, as SQLite orders ids, characters past U+FFFF last', () => {
    const weights = new Map([['\u{1F600}', 1], ['\uFFFD', 1], ['z', 1], ['a', 2]]);
    expect(topCandidates(weights, 3)).toEqual(['a', 'z', '\uFFFD']);
  });
});

describe('precision and recall on a hand-made set', () => {
  // Each record's entity: records sharing an entity are true duplicates. Variants carry the usual capture noise.
  const labelled: Array<[entity: string, DuplicateCandidateFields]> = [
    ['anna', rec('1', { firstName: 'Anna', lastName: 'Schmidt', email: 'anna.schmidt@acme.de', phone: '+49 89 4455 6677', companyName: 'Acme GmbH' })],
    ['anna', rec('2', { firstName: 'Anna', lastName: 'Schmid', email: null, phone: '089 44556677', companyName: 'ACME' })],
    ['anna', rec('3', { firstName: 'A.', lastName: 'Schmidt', email: 'ANNA.SCHMIDT@acme.de', phone: null, companyName: null })],
    ['jon', rec('4', { firstName: 'Jon', lastName: 'Johnson', email: 'jon.johnson@gmail.com', phone: null, companyName: 'Initech Inc.' })],
    ['jon', rec('5', { firstName: 'John', lastName: 'Jonson', email: null, phone: null, companyName: 'Initech Incorporated' })],
    ['jon', rec('6', { firstName: 'Jon', lastName: 'Johnson', email: 'jonjohnson+expo@googlemail.com', phone: null, companyName: null })],
    ['marie', rec('7', { firstName: 'Marie', lastName: 'Dubois', email: 'm.dubois@societe.fr', phone: '+33 1 42 68 53 00', companyName: 'Société Générale S.A.' })],
    ['marie', rec('8', { firstName: 'Marie', lastName: 'Dubois', email: 'marie.dubois@societe.fr', phone: null, companyName: 'Societe Generale' })],
    ['li', rec('9', { firstName: 'Li', lastName: 'Wei', email: 'li.wei@globex.com', phone: '+1 415 555 0199', companyName: 'Globex Corp' })],
    ['li', rec('10', { firstName: 'Li', lastName: 'Wei', email: null, phone: '(415) 555-0199', companyName: null })],
    ['peter', rec('11', { firstName: 'Peter', lastName: 'Meyer', email: 'p.meyer@hooli.com', phone: null, companyName: 'Hooli' })],
    ['petra', rec('12', { firstName: 'Petra', lastName: 'Meyer', email: 'petra.meyer@hooli.com', phone: null, companyName: 'Hooli' })],
    ['johnS', rec('13', { firstName: 'John', lastName: 'Smith', email: 'john.smith@gmail.com', phone: null, companyName: null })],
    ['johnM', rec('14', { firstName: 'John', lastName: 'Miller', email: 'jmiller@gmail.com', phone: null, companyName: null })],
    ['mary', rec('15', { firstName: 'Mary', lastName: 'Jones', email: null, phone: '+1 212 555 0100', companyName: 'Umbrella' })],
    ['paul', rec('16', { firstName: 'Paul', lastName: 'Grant', email: null, phone: '+1 212 555 0100', companyName: 'Umbrella' })],
    ['sara', rec('17', { firstName: 'Sara', lastName: 'Kowalski', email: 'sara@umbrella.com', phone: null, companyName: 'Umbrella' })],
    ['sarah', rec('18', { firstName: 'Sarah', lastName: 'Novak', email: 'snovak@umbrella.com', phone: null, companyName: 'Umbrella' })],
  ];

  it('finds at least 80% of the true pairs with at least 90% precision', () => {
    const entityOf = new Map(labelled.map(([entity, r]) => [r.id, entity]));
    const records = labelled.map(([, r]) => r);
    const index = new DuplicateIndex(records);
    const byId = new Map(records.map((r) => [r.id, r]));
    const pairKey = (a: string, b: string) => [a, b].sort().join('~');

    const found = new Set<string>();
    for (const r of records) for (const m of checkDuplicates(r, index, (id) => byId.get(id))) found.add(pairKey(r.id, m.id));
    const truth = new Set<string>();
    for (const a of records) for (const b of records) if (a.id < b.id && entityOf.get(a.id) === entityOf.get(b.id)) truth.add(pairKey(a.id, b.id));

    const truePositives = [...found].filter((p) => truth.has(p)).length;
    expect(truth.size).toBe(8);
    expect(truePositives / found.size).toBeGreaterThanOrEqual(0.9);
    expect(truePositives / truth.size).toBeGreaterThanOrEqual(0.8);
  });
});
