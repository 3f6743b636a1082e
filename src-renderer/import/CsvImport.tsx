// Placeholder until this screen lands (being built now).
export function CsvImport() {
  return <section aria-label="CsvImport" />;
}
