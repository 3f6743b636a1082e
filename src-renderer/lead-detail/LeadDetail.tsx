// Placeholder until this screen lands (being built now).
export function LeadDetail({ id }: { id: string }) {
  return <section aria-label="Lead">Lead {id}</section>;
}
