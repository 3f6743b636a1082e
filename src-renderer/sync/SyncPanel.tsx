// Placeholder until this screen lands (being built now).
export function SyncPanel() {
  return <section aria-label="SyncPanel" />;
}
