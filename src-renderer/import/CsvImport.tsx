// CSV import of leads: choose or drop a file, map its columns, preview duplicates, import in chunks with progress, then the report.
import { useEffect } from 'react';
import { useApp } from '../state/app-store';
import { resetImport, useImport } from './import-store';
import { FileChooser } from './FileChooser';
import { ColumnMappingView } from './ColumnMappingView';
import { ImportPreview } from './ImportPreview';
import { ImportRunView } from './ImportRunView';
import './import.css';

export function CsvImport() {
  const profileId = useApp((s) => s.profile?.id ?? null);
  const phase = useImport((s) => s.phase);
  const stale = useImport((s) => s.profileId !== profileId);

  useEffect(() => {
    if (stale) resetImport(profileId);
  }, [stale, profileId]);
  if (stale) return null;

  return (
    <section className="csv-import" aria-label="Import leads from CSV">
      <h2>Import leads from a CSV file</h2>
      {(phase === 'choose' || phase === 'parsing') && <FileChooser />}
      {phase === 'map' && (
        <>
          <ColumnMappingView />
          <ImportPreview />
        </>
      )}
      {(phase === 'running' || phase === 'done') && <ImportRunView />}
    </section>
  );
}
