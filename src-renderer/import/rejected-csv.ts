// The rejected rows as a CSV to fix and import again: the file's own columns, then the row number and the reasons (CRLF, as spreadsheets write).
import Papa from 'papaparse';
import type { RejectedRow } from './import-run';

/** The extra columns' names, made unique against the file's own headers. */
function extraColumn(headers: readonly string[], name: string): string {
  let column = name;
  while (headers.includes(column)) column = `import ${column}`;
  return column;
}

export function rejectedRowsCsv(headers: readonly string[], rejected: readonly RejectedRow[]): string {
  const rowColumn = extraColumn(headers, 'row');
  const reasonColumn = extraColumn(headers, 'reason');
  const data = rejected.map((r) => [...headers.map((_, i) => r.cells[i] ?? ''), String(r.line), r.reasons.join('; ')]);
  // Papa ends the text without a line break unless there are no rows; a file always ends with one.
  return `${Papa.unparse({ fields: [...headers, rowColumn, reasonColumn], data }, { newline: '\r\n' }).replace(/\r\n$/, '')}\r\n`;
}
