// The app frame; screens arrive with the desktop-app issue.
export function App() {
  return (
    <main>
      <h1>FieldCRM</h1>
      <p>The desktop workspace is being built; use the client core or the tenant server for now.</p>
    </main>
  );
}
