// Placeholder until this screen lands (being built now).
export function NotificationsPanel() {
  return <section aria-label="NotificationsPanel" />;
}
