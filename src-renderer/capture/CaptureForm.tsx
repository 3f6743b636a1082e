// Placeholder until this screen lands (being built now).
export function CaptureForm() {
  return <section aria-label="CaptureForm" />;
}
