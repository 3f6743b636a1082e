// The file's columns and what each is imported as (guessed from the header), with the import's options.
import { useApp } from '../state/app-store';
import { IMPORT_TARGETS, columnLabel, mappingProblems } from './import-mapping';
import type { ImportTarget } from './import-mapping';
import { resetImport, setTarget, startImport, useImport } from './import-store';

/** A few of the column's values, to recognise it by. */
function samples(rows: { cells: string[] }[], column: number): string {
  const values: string[] = [];
  for (const row of rows) {
    const v = row.cells[column]?.trim();
    if (v) values.push(v.length > 40 ? `${v.slice(0, 39)}…` : v);
    if (values.length === 3) break;
  }
  return values.join(' · ');
}

export function ColumnMappingView() {
  const csv = useImport((s) => s.csv)!;
  const fileName = useImport((s) => s.fileName);
  const mapping = useImport((s) => s.mapping);
  const onDuplicate = useImport((s) => s.onDuplicate);
  const owner = useImport((s) => s.owner);
  const defaultSource = useImport((s) => s.defaultSource);
  const users = useApp((s) => s.directory.users);
  const profileId = useApp((s) => s.profile?.id ?? null);
  const problems = mappingProblems(csv.headers, mapping);

  return (
    <div className="card import-mapping" data-testid="import-mapping">
      <h3>
        {fileName}: {csv.rows.length.toLocaleString('en')} rows, {csv.headers.length} columns
      </h3>
      {csv.warnings.length > 0 && (
        <ul className="warn" data-testid="import-warnings">
          {csv.warnings.slice(0, 5).map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <table>
        <thead>
          <tr>
            <th>Column</th>
            <th>Values</th>
            <th>Import as</th>
          </tr>
        </thead>
        <tbody>
          {csv.headers.map((_, i) => (
            <tr key={i} data-testid="mapping-row">
              <td>{columnLabel(csv.headers, i)}</td>
              <td className="muted">{samples(csv.rows, i)}</td>
              <td>
                <select
                  aria-label={`Import column ${columnLabel(csv.headers, i)} as`}
                  value={mapping[i] ?? ''}
                  onChange={(e) => setTarget(i, (e.target.value || null) as ImportTarget | null)}
                >
                  <option value="">— not imported —</option>
                  {IMPORT_TARGETS.map((t) => (
                    <option key={t.key} value={t.key}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="import-options">
        <fieldset>
          <legend>Rows that look like existing leads</legend>
          <label className="inline">
            <input type="radio" name="onDuplicate" checked={onDuplicate === 'flag'} onChange={() => useImport.setState({ onDuplicate: 'flag' })} />
            Import them, flagged as possible duplicates (to merge later)
          </label>
          <label className="inline">
            <input type="radio" name="onDuplicate" checked={onDuplicate === 'skip'} onChange={() => useImport.setState({ onDuplicate: 'skip' })} />
            Skip them
          </label>
        </fieldset>
        <label>
          Owner
          <select value={owner} onChange={(e) => useImport.setState({ owner: e.target.value })} aria-label="Owner of the imported leads">
            <option value="me">Me</option>
            <option value="unassigned">Unassigned (the team queue)</option>
            {users
              .filter((u) => u.active)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.role})
                </option>
              ))}
          </select>
        </label>
        <label>
          Source of rows without one
          <input value={defaultSource} maxLength={200} onChange={(e) => useImport.setState({ defaultSource: e.target.value })} />
        </label>
      </div>

      {problems.length > 0 && (
        <ul className="error" role="alert" data-testid="mapping-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="import-actions">
        <button type="button" className="primary" disabled={problems.length > 0} onClick={() => void startImport()}>
          Import {csv.rows.length.toLocaleString('en')} rows
        </button>
        <button type="button" onClick={() => resetImport(profileId)}>
          Choose another file
        </button>
      </div>
    </div>
  );
}
