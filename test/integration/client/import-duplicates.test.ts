// Importing many people of one company: true duplicates (of stored leads and of earlier rows) are flagged even when
// the company's match keys are shared by more leads than one check compares, and colleagues are never flagged.
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../src-shared/domain/leads.schema';
import { openAs, T0, TEAM, TENANT, TestClock, U } from './fixture';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

// Names that neither sound alike nor look alike, so two of them are never one person to the scoring.
const FIRST = (
  'Anna Bernd Carlos Dmitri Emil Fatima Gustav Hiroshi Ingrid Jamal Klaus Leila Magnus Nadia Oskar Priya Quentin Rolf ' +
  'Svetlana Tomasz Ulrike Viktor Wanda Xavier Yusuf Boris Cecile Dario Edith Florin Greta Henrik Irma Jorge Kenji Lucia ' +
  'Mehmet Nora Otto Paloma Rasmus Till Uma Vera Wolfgang Ximena Yara Zeynep Bruno Chiara Elif Felix Gisela Hugo Isolde ' +
  'Joakim Kirsten Malak Nils Pavel Rhea Thiago Ursula Wilma Yannick Amadou Bettina Cosmin Dagny Fabio'
).split(' ');
const LAST = 'Schmidt Okafor Lindqvist Yamamoto Petrov Moreau Kowalczyk Haddad Fitzgerald Brennan Castillo Dimitriou Gallagher Horvath Quispe Rahman Szabo Novotny Mbeki Eriksen'.split(' ');
/** People of Acme already in the store: 55 per surname, more than one duplicate check compares (50). */
const STORED_FIRST = FIRST.slice(0, 55);
const STORED_LAST = LAST.slice(0, 10);
const NEW_FIRST = FIRST.slice(55);

const email = (first: string, last: string) => `${first}.${last}@acme.de`.toLowerCase();

function storedLead(first: string, last: string, i: number): Lead {
  return {
    id: `stored-${String(i).padStart(4, '0')}`, tenantId: TENANT, firstName: first, lastName: last, email: email(first, last), phone: null,
    companyName: 'Acme GmbH', title: null, country: 'DE', region: null, source: null, medium: null, campaign: null, referrer: null,
    formKey: null, status: 'NEW', disqualifyReason: null, score: 0, scoreFactors: [], winProbability: null, ownerId: U.rep1, teamId: TEAM,
    possibleDuplicateOf: null, convertedContactId: null, convertedCompanyId: null, convertedDealId: null, lastActivityAt: null,
    archived: false, createdAt: T0, updatedAt: T0,
  };
}

describe('leads.import of many people of one company', () => {
  it('flags the true duplicates among hundreds of colleagues and none of the colleagues', async () => {
    const client = openAs(tempDir(), U.rep1, new TestClock());
    const stored = STORED_LAST.flatMap((last) => STORED_FIRST.map((first) => ({ first, last })));
    const storedLeads = stored.map(({ first, last }, i) => storedLead(first, last, i));
    client.bootstrap({ leads: storedLeads });
    const storedId = (first: string, last: string) => storedLeads.find((l) => l.firstName === first && l.lastName === last)!.id;

    const rows: Record<string, unknown>[] = [];
    /** Row index → the stored lead ("stored-…") or earlier row ("row:N") it repeats. */
    const expected = new Map<number, string>();
    // 300 colleagues who are new: surnames shared with the stored people, a third without an email, some with a phone.
    for (const last of LAST) {
      for (const first of NEW_FIRST) {
        const n = rows.length;
        rows.push({
          firstName: first, lastName: last, companyName: 'Acme GmbH',
          ...(n % 3 === 0 ? {} : { email: email(first, last) }),
          ...(n % 4 === 0 ? { phone: `+49 30 555${String(n).padStart(4, '0')}` } : {}),
        });
      }
    }
    // Stored people again: ten by their email written differently, five by name and company alone.
    for (let k = 0; k < 15; k++) {
      const { first, last } = stored[k * 37]!;
      expected.set(rows.length, storedId(first, last));
      rows.push(k < 10 ? { firstName: first, lastName: last, email: email(first, last).toUpperCase(), companyName: 'ACME' } : { firstName: first, lastName: last, companyName: 'Acme GmbH' });
    }
    // Earlier rows of this import again: by email in other case, and by phone with the surname misspelt.
    for (const n of [1, 2, 50, 100, 200]) {
      const row = rows[n]!;
      expected.set(rows.length, `row:${n}`);
      rows.push({ firstName: String(row['firstName']).toUpperCase(), lastName: row['lastName'], email: String(row['email']).toUpperCase(), companyName: 'Acme' });
    }
    for (const n of [0, 4, 8]) {
      const row = rows[n]!;
      expected.set(rows.length, `row:${n}`);
      rows.push({ firstName: row['firstName'], lastName: `${String(row['lastName'])}n`, phone: String(row['phone']).replace(/ /g, '-'), companyName: 'Acme GmbH' });
    }

    const result = await client.call('leads.import', { rows });
    expect(result).toMatchObject({ created: rows.length, skipped: 0, rejected: 0 });
    const leadIdOf = (ref: string) => (ref.startsWith('row:') ? result.rows[Number(ref.slice(4))]!.leadId : ref);
    const flagged = result.rows.filter((r) => r.duplicates.length > 0).map((r) => [r.row, r.duplicates[0]!.id]);
    expect(flagged).toEqual([...expected].map(([row, ref]) => [row, leadIdOf(ref)]));
    // The flag is kept on the created lead.
    const [firstDuplicateRow, ref] = [...expected][0]!;
    expect((await client.call('leads.get', { id: result.rows[firstDuplicateRow]!.leadId! })).possibleDuplicateOf).toBe(leadIdOf(ref));
    await client.close();
  });
});
