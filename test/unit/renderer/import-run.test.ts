import { describe, expect, it } from 'vitest';
import { addChunkResult, chunksOf, emptyReport, guessDelimiter, parseCsvText, reasonOf } from '../../../src-renderer/import/import-run';
import type { CsvRow } from '../../../src-renderer/import/import-run';

describe('parseCsvText', () => {
  it.each<[string, string, { headers: string[]; rows: CsvRow[] }]>([
    ['comma separated, header is row 1', 'First Name,Email\nAna,ana@x.example\nBo,bo@x.example\n', { headers: ['First Name', 'Email'], rows: [{ line: 2, cells: ['Ana', 'ana@x.example'] }, { line: 3, cells: ['Bo', 'bo@x.example'] }] }],
    ['semicolons (a spreadsheet in a comma-decimal locale)', 'Name;Company\nAna Lopez;Lopez, S.A.\n', { headers: ['Name', 'Company'], rows: [{ line: 2, cells: ['Ana Lopez', 'Lopez, S.A.'] }] }],
    ['blank rows dropped, numbering kept', 'Name\r\nAna\r\n\r\n,\r\nBo\r\n', { headers: ['Name'], rows: [{ line: 2, cells: ['Ana'] }, { line: 5, cells: ['Bo'] }] }],
    ['a byte-order mark and padded headers', '\uFEFF Email ,Phone\nana@x.example,1\n', { headers: ['Email', 'Phone'], rows: [{ line: 2, cells: ['ana@x.example', '1'] }] }],
    ['tabs', 'Name\tEmail\nAna Lopez\tana@x.example\n', { headers: ['Name', 'Email'], rows: [{ line: 2, cells: ['Ana Lopez', 'ana@x.example'] }] }],
    ['quoted commas and quotes', 'Company,Title\n"Acme, Inc.","The ""Boss"""\n', { headers: ['Company', 'Title'], rows: [{ line: 2, cells: ['Acme, Inc.', 'The "Boss"'] }] }],
  ])('%s', (_name, text, expected) => {
    const parsed = parseCsvText(text);
    expect({ headers: parsed.headers, rows: parsed.rows }).toEqual(expected);
  });

  it.each([
    ['', 'the file is empty'],
    ['\n\n', 'the file is empty'],
    ['Name,Email\n', 'no rows of leads'],
    ['Name,Email\n,\n', 'no rows of leads'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parseCsvText(text)).toThrow(message);
  });

  it('refuses more rows than one import takes, naming the limit', () => {
    expect(() => parseCsvText(`Name\n${'a\n'.repeat(100_001)}`)).toThrow('the file has 100,001 rows; import at most 100,000');
  });

  it('reports an unclosed quote with its row', () => {
    expect(parseCsvText('Name,Company\nAna,"Acme\n').warnings).toEqual([expect.stringMatching(/^row 2: /)]);
  });
});

describe('guessDelimiter', () => {
  it.each([
    ['Name,Email\nx', ','],
    ['Name;Email;Company\nLopez, S.A.;a;b', ';'],
    ['"Last, First";Email\n', ';'],
    ['Name\tEmail', '\t'],
    ['Name|Email|Phone', '|'],
    ['Name\nAna', ','],
  ])('%j → %j', (text, delimiter) => {
    expect(guessDelimiter(text)).toBe(delimiter);
  });
});

describe('chunksOf', () => {
  it.each<[number, number, number[]]>([
    [0, 250, []],
    [1, 250, [1]],
    [250, 250, [250]],
    [251, 250, [250, 1]],
    [3000, 250, Array<number>(12).fill(250)],
    [7, 3, [3, 3, 1]],
  ])('%i items by %i → sizes %j', (count, size, sizes) => {
    const items = Array.from({ length: count }, (_, i) => i);
    const chunks = chunksOf(items, size);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(items);
  });

  it.each([0, -1, 2.5])('refuses a chunk size of %s', (size) => {
    expect(() => chunksOf([1], size)).toThrow('chunk size must be a positive integer');
  });
});

describe('reasonOf', () => {
  it.each([
    [{ path: 'email', message: 'Invalid email address' }, 'Email: Invalid email address'],
    [{ path: 'lastName', message: 'required when there is no email, phone or company' }, 'Last name: required when there is no email, phone or company'],
    [{ path: 'companyName', message: 'Too big' }, 'Company: Too big'],
    [{ path: '(row)', message: 'user x is inactive' }, 'user x is inactive'],
    [{ path: 'somethingElse', message: 'bad' }, 'somethingElse: bad'],
  ])('%j → %s', (error, expected) => {
    expect(reasonOf(error)).toBe(expected);
  });
});

describe('addChunkResult', () => {
  const chunk: CsvRow[] = [
    { line: 252, cells: ['Ana', 'ana@x.example'] },
    { line: 254, cells: ['', 'nope'] },
    { line: 255, cells: ['Bo', 'bo@x.example'] },
  ];
  const id = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

  it('adds the counts and keeps each rejected row with its file row number and reasons', () => {
    const before = { ...emptyReport(500), done: 250, created: 240, skipped: 2, rejected: [{ line: 9, cells: ['x'], reasons: ['Email: bad'] }] };
    const after = addChunkResult(before, chunk, {
      created: 1,
      skipped: 1,
      rejected: 1,
      rows: [
        { row: 0, status: 'created', leadId: id, errors: [], duplicates: [] },
        { row: 1, status: 'rejected', leadId: null, errors: [{ path: 'email', message: 'Invalid email address' }, { path: 'lastName', message: 'required' }], duplicates: [] },
        { row: 2, status: 'skipped', leadId: null, errors: [], duplicates: [{ id, score: 0.97 }] },
      ],
    });
    expect(after).toEqual({
      total: 500,
      done: 253,
      created: 241,
      skipped: 3,
      rejected: [
        { line: 9, cells: ['x'], reasons: ['Email: bad'] },
        { line: 254, cells: ['', 'nope'], reasons: ['Email: Invalid email address', 'Last name: required'] },
      ],
    });
    // The report before is left as it was (the screen keeps showing it until the next one).
    expect(before.rejected).toHaveLength(1);
  });

  it('refuses an answer about a row the chunk does not have', () => {
    expect(() => addChunkResult(emptyReport(3), chunk, { created: 0, skipped: 0, rejected: 1, rows: [{ row: 3, status: 'rejected', leadId: null, errors: [], duplicates: [] }] })).toThrow('row 3 of a chunk of 3');
  });
});
