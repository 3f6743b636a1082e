// Choosing the CSV file: a file input and a drop zone.
import { useState } from 'react';
import type { DragEvent } from 'react';
import { chooseFile, useImport } from './import-store';

export function FileChooser() {
  const phase = useImport((s) => s.phase);
  const fileError = useImport((s) => s.fileError);
  const fileName = useImport((s) => s.fileName);
  const [over, setOver] = useState(false);

  const take = (files: FileList | null) => {
    const file = files?.[0];
    if (file) void chooseFile(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };

  return (
    <div
      className={`card import-drop${over ? ' over' : ''}`}
      data-testid="import-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>Drop a CSV file here, or</p>
      <label className="import-file">
        Choose a CSV file
        <input type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" data-testid="import-file" onChange={(e) => take(e.target.files)} disabled={phase === 'parsing'} />
      </label>
      <p className="muted">
        One lead per row, a header row first (names like “First Name”, “E-mail”, “Company” are recognised). Comma, semicolon or tab separated.
      </p>
      {phase === 'parsing' && <p role="status">Reading {fileName}…</p>}
      {fileError && (
        <p className="error" role="alert" data-testid="import-file-error">
          {fileError}
        </p>
      )}
    </div>
  );
}
