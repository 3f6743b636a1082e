// Placeholder until this screen lands (being built now).
export function LeadQueue() {
  return <section aria-label="LeadQueue" />;
}
