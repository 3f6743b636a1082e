// The import under way and its report: progress, created / skipped / rejected, the rejected rows with reasons and their download.
import { appState, useApp } from '../state/app-store';
import { applyMapping } from './import-mapping';
import { cancelImport, resetImport, useImport } from './import-store';
import { rejectedRowsCsv } from './rejected-csv';
import type { RejectedRow } from './import-run';

const SHOWN_REJECTS = 500;

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const cut = (s: string | undefined, n = 40) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : (s ?? ''));

export function ImportRunView() {
  const report = useImport((s) => s.report)!;
  const phase = useImport((s) => s.phase);
  const ending = useImport((s) => s.ending);
  const cancelRequested = useImport((s) => s.cancelRequested);
  const csv = useImport((s) => s.csv)!;
  const mapping = useImport((s) => s.mapping);
  const fileName = useImport((s) => s.fileName) ?? 'import.csv';
  const profileId = useApp((s) => s.profile?.id ?? null);

  /** Who the row was, in a few words: the reasons say what is wrong with it. */
  const who = (r: RejectedRow) => {
    const rec = applyMapping(r.cells, mapping);
    const name = `${cut(rec.firstName)} ${cut(rec.lastName)}`.trim();
    return [name, cut(rec.email), cut(rec.companyName)].filter(Boolean).join(' · ') || '(nothing to identify the lead)';
  };

  const title =
    phase === 'running' ? 'Importing…' : ending?.kind === 'cancelled' ? 'Import cancelled' : ending?.kind === 'failed' ? 'Import stopped' : 'Import finished';

  return (
    <div className="card import-run" data-testid="import-report">
      <h3>
        {title} <span className="muted">{fileName}</span>
      </h3>
      <div className="import-progress">
        <progress data-testid="import-progress" max={report.total} value={report.done} aria-label="Import progress" />
        <span data-testid="import-progress-text">
          {report.done.toLocaleString('en')} / {report.total.toLocaleString('en')}
        </span>
        {phase === 'running' && (
          <button type="button" onClick={cancelImport} disabled={cancelRequested}>
            {cancelRequested ? 'Stopping after this chunk…' : 'Cancel'}
          </button>
        )}
      </div>
      {ending?.kind === 'cancelled' && (
        <p className="warn">Cancelled: the first {report.done.toLocaleString('en')} rows were processed; the rest were not imported.</p>
      )}
      {ending?.kind === 'failed' && (
        <p className="error" role="alert">
          The import stopped after {report.done.toLocaleString('en')} rows: {ending.message}. Nothing of the failed chunk was written.
        </p>
      )}
      <dl className="import-counts">
        <div>
          <dt>Created</dt>
          <dd data-testid="import-created">{report.created}</dd>
        </div>
        <div>
          <dt>Skipped as duplicates</dt>
          <dd data-testid="import-skipped">{report.skipped}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-testid="import-rejected">{report.rejected.length}</dd>
        </div>
      </dl>
      {report.rejected.length > 0 && (
        <>
          <div className="import-actions">
            <button type="button" onClick={() => download(fileName.replace(/(\.[^.]*)?$/, '-rejected.csv'), rejectedRowsCsv(csv.headers, report.rejected))}>
              Download the rejected rows (CSV with reasons)
            </button>
          </div>
          <div className="import-table-scroll">
            <table data-testid="rejected-rows">
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Lead</th>
                  <th>Why it was rejected</th>
                </tr>
              </thead>
              <tbody>
                {report.rejected.slice(0, SHOWN_REJECTS).map((r) => (
                  <tr key={r.line} data-testid="rejected-row">
                    <td>{r.line}</td>
                    <td>{who(r)}</td>
                    <td>{r.reasons.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.rejected.length > SHOWN_REJECTS && <p className="muted">…and {report.rejected.length - SHOWN_REJECTS} more in the download.</p>}
        </>
      )}
      {phase === 'done' && (
        <div className="import-actions">
          <button type="button" className="primary" onClick={() => appState().navigate({ name: 'leads' })}>
            Go to the leads
          </button>
          <button type="button" onClick={() => resetImport(profileId)}>
            Import another file
          </button>
        </div>
      )}
    </div>
  );
}
