// Exports every lead of the current view as CSV: pages through the cursor with progress, then downloads the file.
import { useCallback, useRef, useState } from 'react';
import { api, appState } from '../state/app-store';
import { csvFileName, leadsToCsv } from './lead-csv';
import { fetchAllRows } from './lead-queue.pager';
import type { QueueQuery } from './lead-queue.query';

export interface ExportProgress {
  done: number;
  total: number;
}

/** Saves text as a file through a Blob link (works in the browser host and in Electron's renderer alike). */
function download(text: string, fileName: string): void {
  // A BOM so spreadsheet apps read UTF-8 names right.
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function useCsvExport(): { progress: ExportProgress | null; start(query: QueueQuery): void; cancel(): void } {
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = useCallback((query: QueueQuery) => {
    if (abort.current) return;
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ done: 0, total: 0 });
    fetchAllRows((input) => api().call('leads.queue', input), query, (done, total) => setProgress({ done, total }), controller.signal)
      .then((rows) => {
        download(leadsToCsv(rows, appState().directory.users), csvFileName(Date.now(), new Date().getTimezoneOffset()));
        appState().notify(`Exported ${rows.length} ${rows.length === 1 ? 'lead' : 'leads'} to CSV`);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) appState().report(err);
      })
      .finally(() => {
        abort.current = null;
        setProgress(null);
      });
  }, []);

  const cancel = useCallback(() => abort.current?.abort(), []);
  return { progress, start, cancel };
}
