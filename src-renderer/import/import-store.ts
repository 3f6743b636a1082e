// The CSV import's state (zustand, outside the screen so an import keeps running and reporting while the user looks elsewhere).
import { create } from 'zustand';
import { api, appState, messageOf } from '../state/app-store';
import { applyMapping, guessMapping } from './import-mapping';
import type { ColumnMapping, ImportTarget } from './import-mapping';
import { addChunkResult, chunksOf, emptyReport, parseCsvText } from './import-run';
import type { ImportReport, ParsedCsv } from './import-run';

/** Rows per `leads.import` call: small enough for the progress to move and a cancel to stop soon, large enough to be quick. */
export const IMPORT_CHUNK_ROWS = 250;
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Who gets the imported leads: the importer, nobody (the unassigned queue), or a user's id. */
export type OwnerChoice = 'me' | 'unassigned' | (string & {});

export type ImportPhase = 'choose' | 'parsing' | 'map' | 'running' | 'done';

export interface ImportState {
  profileId: string | null;
  phase: ImportPhase;
  fileName: string | null;
  csv: ParsedCsv | null;
  /** Why the chosen file cannot be imported. */
  fileError: string | null;
  mapping: ColumnMapping;
  onDuplicate: 'flag' | 'skip';
  owner: OwnerChoice;
  /** The source of rows that name none. */
  defaultSource: string;
  report: ImportReport | null;
  cancelRequested: boolean;
  /** How a finished run ended: every row, cancelled after a chunk, or stopped by a failure (nothing of that chunk written). */
  ending: { kind: 'complete' } | { kind: 'cancelled' } | { kind: 'failed'; message: string } | null;
}

const initial = (profileId: string | null): ImportState => ({
  profileId,
  phase: 'choose',
  fileName: null,
  csv: null,
  fileError: null,
  mapping: [],
  onDuplicate: 'flag',
  owner: 'me',
  defaultSource: 'csv-import',
  report: null,
  cancelRequested: false,
  ending: null,
});

export const useImport = create<ImportState>()(() => initial(null));
const set = useImport.setState;
const get = useImport.getState;

/** Starts over, for this profile (a switched profile never sees another's import). */
export function resetImport(profileId: string | null): void {
  set(initial(profileId), true);
}

export async function chooseFile(file: File): Promise<void> {
  if (file.size > MAX_FILE_BYTES) {
    set({ fileError: `${file.name} is ${(file.size / 1024 / 1024).toFixed(0)} MB; import at most 50 MB at a time (split the file)`, phase: 'choose' });
    return;
  }
  set({ phase: 'parsing', fileName: file.name, fileError: null, csv: null, report: null, ending: null });
  try {
    const csv = parseCsvText(await file.text());
    set({ phase: 'map', csv, mapping: guessMapping(csv.headers) });
  } catch (err) {
    set({ phase: 'choose', fileError: `${file.name}: ${err instanceof Error ? err.message : String(err)}` });
  }
}

export function setTarget(column: number, target: ImportTarget | null): void {
  set({ mapping: get().mapping.map((t, i) => (i === column ? target : t)) });
}

const ownerInput = (owner: OwnerChoice): { ownerId?: string | null } => (owner === 'me' ? {} : { ownerId: owner === 'unassigned' ? null : owner });

/** Imports the mapped rows chunk by chunk, updating the report after each; stops early on cancel or on a failed chunk. */
export async function startImport(): Promise<void> {
  const { csv, mapping, onDuplicate, owner, defaultSource, phase, profileId } = get();
  if (!csv || phase !== 'map') return;
  const defaults = { source: defaultSource };
  let report = emptyReport(csv.rows.length);
  set({ phase: 'running', report, cancelRequested: false, ending: null });
  for (const chunk of chunksOf(csv.rows, IMPORT_CHUNK_ROWS)) {
    // The profile was switched away: that import's window is gone.
    if (appState().profile?.id !== profileId) return;
    if (get().cancelRequested) {
      set({ phase: 'done', ending: { kind: 'cancelled' } });
      return;
    }
    try {
      const output = await api().call('leads.import', { rows: chunk.map((r) => applyMapping(r.cells, mapping, defaults)), onDuplicate, ...ownerInput(owner) });
      report = addChunkResult(report, chunk, output);
      set({ report });
    } catch (err) {
      set({ phase: 'done', ending: { kind: 'failed', message: messageOf(err) } });
      return;
    }
  }
  set({ phase: 'done', ending: { kind: 'complete' } });
}

export function cancelImport(): void {
  if (get().phase === 'running') set({ cancelRequested: true });
}
