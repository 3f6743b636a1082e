import { describe, expect, it } from 'vitest';
import { applyMapping, guessMapping, guessTarget, mappingProblems, splitFullName } from '../../../src-renderer/import/import-mapping';
import type { ColumnMapping, ImportTarget, LeadRecord } from '../../../src-renderer/import/import-mapping';

describe('guessTarget', () => {
  it.each<[string, ImportTarget | null]>([
    ['First Name', 'firstName'],
    ['first_name', 'firstName'],
    ['Given name', 'firstName'],
    ['Prénom', 'firstName'],
    ['LAST NAME', 'lastName'],
    ['Surname', 'lastName'],
    ['Name', 'fullName'],
    ['Full Name', 'fullName'],
    ['E-mail', 'email'],
    ['Email Address', 'email'],
    ['e_mail', 'email'],
    ['Phone Number', 'phone'],
    ['Mobile', 'phone'],
    ['Tel.', 'phone'],
    ['Company', 'companyName'],
    ['Organisation', 'companyName'],
    ['Account Name', 'companyName'],
    ['Job Title', 'title'],
    ['Country', 'country'],
    ['State/Province', 'region'],
    ['Lead Source', 'source'],
    ['utm_source', 'source'],
    ['utm_campaign', 'campaign'],
    ['Referer', 'referrer'],
    ['Notes', null],
    ['', null],
    ['  ', null],
  ])('%j → %s', (header, expected) => {
    expect(guessTarget(header)).toBe(expected);
  });
});

describe('guessMapping', () => {
  it.each<[string[], ColumnMapping]>([
    [['First Name', 'Last Name', 'E-mail', 'Company'], ['firstName', 'lastName', 'email', 'companyName']],
    // The first column claiming a field gets it; the second stays unmapped.
    [['Email', 'Work Email'], ['email', null]],
    // A full name column is used when first and last are not both there.
    [['Name', 'Email'], ['fullName', 'email']],
    [['Name', 'First Name', 'Last Name'], [null, 'firstName', 'lastName']],
    [['Name', 'Last Name'], ['fullName', 'lastName']],
    [['id', 'created', 'notes'], [null, null, null]],
  ])('%j → %j', (headers, expected) => {
    expect(guessMapping(headers)).toEqual(expected);
  });
});

describe('mappingProblems', () => {
  it.each<[string[], ColumnMapping, string[]]>([
    [['First', 'Email'], ['firstName', 'email'], []],
    [['Email', 'Mail'], ['email', 'email'], ['Email is mapped from 2 columns (Email, Mail): keep one']],
    [['Title', ''], ['title', null], ['map at least one column to a name, email, phone or company']],
    [['', 'x'], ['phone', 'phone'], ['Phone is mapped from 2 columns (Column 1, x): keep one']],
  ])('%j %j → %j', (headers, mapping, expected) => {
    expect(mappingProblems(headers, mapping)).toEqual(expected);
  });
});

describe('splitFullName', () => {
  it.each([
    ['Ana Lopez', { firstName: 'Ana', lastName: 'Lopez' }],
    ['  Ana  María   Lopez ', { firstName: 'Ana María', lastName: 'Lopez' }],
    ['Cher', { firstName: '', lastName: 'Cher' }],
    ['', { firstName: '', lastName: '' }],
  ])('%j → %j', (full, expected) => {
    expect(splitFullName(full)).toEqual(expected);
  });
});

describe('applyMapping', () => {
  it.each<[string, string[], ColumnMapping, LeadRecord, LeadRecord]>([
    ['maps cells to fields', ['Ana', 'Lopez', 'ana@x.example'], ['firstName', 'lastName', 'email'], {}, { firstName: 'Ana', lastName: 'Lopez', email: 'ana@x.example' }],
    ['leaves unmapped and blank cells out', ['Ana', ' ', 'ignored'], ['firstName', 'email', null], {}, { firstName: 'Ana' }],
    ['passes values on as they are (the import validates them)', ['not-an-email'], ['email'], {}, { email: 'not-an-email' }],
    ['splits a full name', ['Ana María Lopez'], ['fullName'], {}, { firstName: 'Ana María', lastName: 'Lopez' }],
    ['prefers a first name column to the split', ['Ana Lopez', 'Anita'], ['fullName', 'firstName'], {}, { firstName: 'Anita', lastName: 'Lopez' }],
    ['fills a blank field from the defaults', ['Ana', ''], ['firstName', 'source'], { source: 'csv-import' }, { firstName: 'Ana', source: 'csv-import' }],
    ['keeps the row\'s own value over the default', ['Ana', 'fair'], ['firstName', 'source'], { source: 'csv-import' }, { firstName: 'Ana', source: 'fair' }],
    ['ignores a blank default', ['Ana'], ['firstName'], { source: ' ' }, { firstName: 'Ana' }],
    ['reads a short row as blank at the end', ['Ana'], ['firstName', 'email'], {}, { firstName: 'Ana' }],
  ])('%s', (_name, cells, mapping, defaults, expected) => {
    expect(applyMapping(cells, mapping, defaults)).toEqual(expected);
  });
});
