import { describe, expect, it } from 'vitest';
import { rejectedRowsCsv } from '../../../src-renderer/import/rejected-csv';
import { parseCsvText } from '../../../src-renderer/import/import-run';
import type { RejectedRow } from '../../../src-renderer/import/import-run';

describe('rejectedRowsCsv', () => {
  it.each<[string, string[], RejectedRow[], string]>([
    ['the file\'s columns, then the row number and the reasons', ['First Name', 'Email'], [{ line: 7, cells: ['Ana', 'nope'], reasons: ['Email: Invalid email address'] }], 'First Name,Email,row,reason\r\nAna,nope,7,Email: Invalid email address'],
    ['several reasons in one cell', ['Name'], [{ line: 3, cells: [''], reasons: ['a', 'b'] }], 'Name,row,reason\r\n,3,a; b'],
    ['quotes what needs quoting', ['Company'], [{ line: 2, cells: ['Acme, "Inc."'], reasons: ['Company: too long'] }], 'Company,row,reason\r\n"Acme, ""Inc.""",2,Company: too long'],
    ['a short row padded, extra cells dropped', ['A', 'B'], [{ line: 4, cells: ['1'], reasons: ['x'] }, { line: 5, cells: ['1', '2', '3'], reasons: ['y'] }], 'A,B,row,reason\r\n1,,4,x\r\n1,2,5,y'],
    ['names that the file already uses', ['reason', 'row'], [{ line: 2, cells: ['r', 'w'], reasons: ['z'] }], 'reason,row,import row,import reason\r\nr,w,2,z'],
    ['no rows: the header alone', ['Email'], [], 'Email,row,reason'],
  ])('%s', (_name, headers, rejected, expected) => {
    expect(rejectedRowsCsv(headers, rejected)).toBe(`${expected}\r\n`);
  });

  it('reads back as the same rows (fix them and import the file again)', () => {
    const rejected: RejectedRow[] = [{ line: 12, cells: ['Ana\nMaría', 'ana@'], reasons: ['Email: Invalid email address'] }];
    const parsed = parseCsvText(rejectedRowsCsv(['First Name', 'Email'], rejected));
    expect(parsed.headers).toEqual(['First Name', 'Email', 'row', 'reason']);
    expect(parsed.rows.map((r) => r.cells)).toEqual([['Ana\nMaría', 'ana@', '12', 'Email: Invalid email address']]);
  });
});
