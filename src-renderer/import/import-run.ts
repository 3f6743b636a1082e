// The import's pure bookkeeping: a parsed file's data rows with their row numbers, chunks, and the running report.
import Papa from 'papaparse';
import type { AppOutput } from '../../src-shared/api/host.api';
import { targetLabel } from './import-mapping';

/** A data row of the file: its row number counting the header as row 1, and its cells. */
export interface CsvRow {
  line: number;
  cells: string[];
}

export interface ParsedCsv {
  headers: string[];
  rows: CsvRow[];
  /** What the parser had to guess at (an unclosed quote, …), with the row it happened on. */
  warnings: string[];
}

/** Rows above this are refused up front: a file that size is split before importing. */
export const MAX_IMPORT_ROWS = 100_000;

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The delimiter the header row uses most (comma, semicolon, tab or pipe; comma when none): header names rarely
 * contain one, where data does ("Lopez, S.A."), so the header tells better than the rows.
 */
export function guessDelimiter(text: string): string {
  const header = text.split(/\r?\n/, 1)[0]!.replace(/"[^"]*"/g, '');
  const counts = DELIMITERS.map((d) => header.split(d).length - 1);
  const best = Math.max(...counts);
  return best === 0 ? ',' : DELIMITERS[counts.indexOf(best)]!;
}

/** Parses CSV text with the header's delimiter. Blank rows are dropped but keep their numbers. */
export function parseCsvText(text: string): ParsedCsv {
  const clean = text.replace(/^\uFEFF/, '');
  const result = Papa.parse<string[]>(clean, { header: false, skipEmptyLines: false, delimiter: guessDelimiter(clean) });
  const [headerRow, ...data] = result.data;
  if (!headerRow || headerRow.every((h) => h.trim() === '')) throw new Error('the file is empty: expected a header row and rows of leads');
  const rows: CsvRow[] = [];
  data.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    rows.push({ line: i + 2, cells });
  });
  if (rows.length === 0) throw new Error('the file has a header row but no rows of leads');
  if (rows.length > MAX_IMPORT_ROWS) throw new Error(`the file has ${rows.length.toLocaleString('en')} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString('en')} at a time (split the file)`);
  const warnings = result.errors.map((e) => (e.row === undefined ? e.message : `row ${e.row + 1}: ${e.message}`));
  return { headers: headerRow.map((h) => h.trim()), rows, warnings };
}

/** Consecutive slices of at most `size` items. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export interface RejectedRow extends CsvRow {
  reasons: string[];
}

export interface ImportReport {
  total: number;
  /** Rows sent and answered so far. */
  done: number;
  created: number;
  skipped: number;
  rejected: RejectedRow[];
}

export const emptyReport = (total: number): ImportReport => ({ total, done: 0, created: 0, skipped: 0, rejected: [] });

type ImportOutput = AppOutput<'leads.import'>;

/** "Email: Invalid email address" — a row's problem as a person reads it. */
export function reasonOf(error: { path: string; message: string }): string {
  const field = error.path.split('.')[0] ?? '';
  return field === '' || field === '(row)' || field === '(root)' ? error.message : `${targetLabel(field)}: ${error.message}`;
}

/** The report after one chunk's answer; the answer's `row` indexes the chunk's rows. */
export function addChunkResult(report: ImportReport, chunk: readonly CsvRow[], output: ImportOutput): ImportReport {
  const rejected = [...report.rejected];
  for (const r of output.rows) {
    if (r.status !== 'rejected') continue;
    const source = chunk[r.row];
    if (!source) throw new Error(`the import answered for row ${r.row} of a chunk of ${chunk.length}`);
    const reasons = r.errors.length > 0 ? r.errors.map(reasonOf) : ['rejected'];
    rejected.push({ ...source, reasons });
  }
  return {
    total: report.total,
    done: report.done + chunk.length,
    created: report.created + output.created,
    skipped: report.skipped + output.skipped,
    rejected,
  };
}
