// Sign-in: open the demo workspace as one of its users, connect to a workspace (server, email, password), work locally, or reopen a profile.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Profile } from '../../src-shared/api/host.api';
import { api, appState, setAppState, useApp } from '../state/app-store';

const opened = (profile: Profile) => setAppState({ profile, screen: { name: 'leads' }, panel: null, toast: null });

function attempt(work: () => Promise<Profile>): void {
  appState().dismissToast();
  work().then(opened, appState().report);
}

export function SignIn() {
  const info = useApp((s) => s.info);
  const profiles = useApp((s) => s.profiles);
  const [serverUrl, setServerUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const signIn = (input: { serverUrl: string; email: string; password: string }) => attempt(() => api().call('profiles.signIn', input));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn({ serverUrl: serverUrl || info?.serverUrl || '', email, password });
  };

  return (
    <section className="sign-in" aria-label="Sign in">
      {info?.demo && (
        <div className="card">
          <h2>Demo workspace</h2>
          <p className="muted">A tenant server with demo data runs beside this app. Open it as:</p>
          {info.demo.users.map((u) => (
            <button key={u.email} type="button" onClick={() => signIn({ serverUrl: info.demo!.serverUrl, email: u.email, password: info.demo!.password })}>
              Open as {u.name} ({u.role})
            </button>
          ))}
        </div>
      )}
      <form className="card" onSubmit={submit}>
        <h2>Connect to a workspace</h2>
        <label>
          Server <input value={serverUrl} placeholder={info?.serverUrl ?? 'https://crm.example.com'} onChange={(e) => setServerUrl(e.target.value)} />
        </label>
        <label>
          Email <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit">Sign in</button>
        <button type="button" className="link" onClick={() => attempt(() => api().call('profiles.createLocal', { name: 'Local profile' }))}>
          Work locally without a server
        </button>
      </form>
      {profiles.length > 0 && (
        <div className="card">
          <h2>Profiles on this computer</h2>
          <ul aria-label="Profiles">
            {profiles.map((p) => (
              <li key={p.id}>
                <button type="button" onClick={() => attempt(() => api().call('profiles.open', { id: p.id }))}>
                  {p.name} · {p.userName} ({p.role}){p.signedIn ? '' : ' · signed out'}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
