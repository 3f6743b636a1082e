// The first rows as they will be imported, and which of the first 50 look like leads already in the local store.
import { useEffect, useMemo, useState } from 'react';
import type { DuplicateMatchOut } from '../../src-shared/api/leads.api';
import { api } from '../state/app-store';
import { duplicateDraftOf, percent } from '../capture/duplicate-draft';
import { leadLabel } from '../capture/capture-values';
import { applyMapping, targetLabel } from './import-mapping';
import type { LeadRecord } from './import-mapping';
import { useImport } from './import-store';

const SHOWN_ROWS = 8;
const CHECKED_ROWS = 50;

interface RowCheck {
  line: number;
  record: LeadRecord;
  matches: DuplicateMatchOut[];
}

const recordLabel = (r: LeadRecord) => leadLabel({ firstName: r.firstName ?? '', lastName: r.lastName ?? '', email: r.email ?? null, companyName: r.companyName ?? null });

export function ImportPreview() {
  const csv = useImport((s) => s.csv)!;
  const mapping = useImport((s) => s.mapping);
  const defaultSource = useImport((s) => s.defaultSource);
  const first = useMemo(
    () => csv.rows.slice(0, CHECKED_ROWS).map((r) => ({ line: r.line, record: applyMapping(r.cells, mapping, { source: defaultSource }) })),
    [csv, mapping, defaultSource],
  );
  const checks = useDuplicatePreview(first);
  const columns = [...new Set(first.flatMap((r) => Object.keys(r.record)))] as (keyof LeadRecord)[];
  const flagged = checks?.filter((c) => c.matches.length > 0) ?? [];
  const matchesOf = (line: number) => checks?.find((c) => c.line === line)?.matches ?? [];

  return (
    <div className="card import-preview">
      <h3>Preview</h3>
      <div className="import-table-scroll">
        <table data-testid="import-preview">
          <thead>
            <tr>
              <th>Row</th>
              {columns.map((c) => (
                <th key={c}>{targetLabel(c)}</th>
              ))}
              <th>Looks like</th>
            </tr>
          </thead>
          <tbody>
            {first.slice(0, SHOWN_ROWS).map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                {columns.map((c) => (
                  <td key={c}>{r.record[c]}</td>
                ))}
                <td className="warn">{matchesOf(r.line).map((m) => `${leadLabel(m.lead)} (${percent(m.score)})`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div data-testid="duplicate-preview">
        {checks === null ? (
          <p className="muted">Checking the first rows against your leads…</p>
        ) : (
          <p>
            <span data-testid="duplicate-preview-count">{flagged.length}</span> of the first {first.length} rows look like existing leads.
          </p>
        )}
        {flagged.length > 0 && (
          <ul className="import-duplicates">
            {flagged.map((c) => (
              <li key={c.line} data-testid="duplicate-preview-row">
                Row {c.line}: {recordLabel(c.record)} →{' '}
                {c.matches
                  .map((m) => `${leadLabel(m.lead)} ${percent(m.score)} (${m.matched.map((f) => f.field).join(', ')})`)
                  .join('; ')}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** The duplicate check of each row (null while it runs); rows with nothing to compare have no matches. */
function useDuplicatePreview(rows: { line: number; record: LeadRecord }[]): RowCheck[] | null {
  const [checks, setChecks] = useState<RowCheck[] | null>(null);
  useEffect(() => {
    let live = true;
    setChecks(null);
    // Waits for the mapping to settle; each check is a local index lookup (about a millisecond).
    const timer = setTimeout(() => {
      void Promise.all(
        rows.map(async ({ line, record }) => {
          const draft = duplicateDraftOf(record);
          const matches = draft ? await api().call('leads.findDuplicates', { draft, limit: 3 }).catch(() => []) : [];
          return { line, record, matches };
        }),
      ).then((found) => live && setChecks(found));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [rows]);
  return checks;
}
