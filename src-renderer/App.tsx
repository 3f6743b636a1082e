// The app frame until the workspace screens land: sign in (a server or the demo workspace), then the profile and its lead count.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { AppError } from '../src-shared/api/errors';
import type { AppOutput, Profile, SyncStatusOut } from '../src-shared/api/host.api';
import { createTransport } from './transport/create-transport';
import type { Transport, TransportStatus } from './transport/transport';

type HostInfo = AppOutput<'host.info'>;

const messageOf = (err: unknown) => (err instanceof AppError ? err.message : 'something went wrong');

export function App() {
  const [transport] = useState<Transport>(createTransport);
  const [status, setStatus] = useState<TransportStatus>(transport.status());
  const [info, setInfo] = useState<HostInfo | null>(null);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [hostInfo, current, list] = await Promise.all([
      transport.call('host.info', {}),
      transport.call('profiles.current', {}),
      transport.call('profiles.list', {}),
    ]);
    setInfo(hostInfo);
    setProfile(current);
    setProfiles(list.profiles);
  }, [transport]);

  useEffect(() => {
    const offStatus = transport.onStatus(setStatus);
    const offProfile = transport.on('profile.changed', () => void load().catch((err: unknown) => setError(messageOf(err))));
    void load().catch((err: unknown) => setError(messageOf(err)));
    return () => {
      offStatus();
      offProfile();
    };
  }, [transport, load]);

  // Stable, so effects that run work through it do not re-run on every render.
  const run = useCallback((work: () => Promise<unknown>) => {
    setError(null);
    void work().catch((err: unknown) => setError(messageOf(err)));
  }, []);

  return (
    <main>
      <header>
        <h1>FieldCRM</h1>
        <span data-testid="host-status">{status === 'open' ? 'connected' : status}</span>
      </header>
      {error && <p role="alert">{error}</p>}
      {profile ? (
        <Workspace transport={transport} profile={profile} onSwitch={() => setProfile(null)} run={run} />
      ) : (
        <SignIn info={info} profiles={profiles} run={run} transport={transport} onOpened={setProfile} />
      )}
    </main>
  );
}

interface SignInProps {
  transport: Transport;
  info: HostInfo | null;
  profiles: Profile[];
  run: (work: () => Promise<unknown>) => void;
  onOpened: (profile: Profile) => void;
}

function SignIn({ transport, info, profiles, run, onOpened }: SignInProps) {
  const [serverUrl, setServerUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const signIn = (input: { serverUrl: string; email: string; password: string }) =>
    run(async () => onOpened(await transport.call('profiles.signIn', input)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn({ serverUrl: serverUrl || info?.serverUrl || '', email, password });
  };

  return (
    <section aria-label="Sign in">
      {info?.demo && (
        <div>
          <h2>Demo workspace</h2>
          {info.demo.users.map((u) => (
            <button key={u.email} type="button" onClick={() => signIn({ serverUrl: info.demo!.serverUrl, email: u.email, password: info.demo!.password })}>
              Open as {u.name} ({u.role})
            </button>
          ))}
        </div>
      )}
      <form onSubmit={submit}>
        <h2>Connect to a workspace</h2>
        <label>Server <input value={serverUrl} placeholder={info?.serverUrl ?? 'https://crm.example.com'} onChange={(e) => setServerUrl(e.target.value)} /></label>
        <label>Email <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
        <label>Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        <button type="submit">Sign in</button>
      </form>
      <button type="button" onClick={() => run(async () => onOpened(await transport.call('profiles.createLocal', { name: 'Local profile' })))}>
        Work locally without a server
      </button>
      {profiles.length > 0 && (
        <ul aria-label="Profiles">
          {profiles.map((p) => (
            <li key={p.id}>
              <button type="button" onClick={() => run(async () => onOpened(await transport.call('profiles.open', { id: p.id })))}>
                {p.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface WorkspaceProps {
  transport: Transport;
  profile: Profile;
  onSwitch: () => void;
  run: (work: () => Promise<unknown>) => void;
}

function Workspace({ transport, profile, onSwitch, run }: WorkspaceProps) {
  const [leadCount, setLeadCount] = useState<number | null>(null);
  const [sync, setSync] = useState<SyncStatusOut | null>(null);

  useEffect(() => {
    run(async () => setSync(await transport.call('sync.status', {})));
    return transport.on('sync.status', setSync);
  }, [transport, run]);

  const count = useCallback(async () => {
    const { total } = await transport.call('leads.queue', { limit: 1, withTotal: true });
    setLeadCount(total);
  }, [transport]);

  useEffect(() => {
    run(count);
    return transport.on('changed', (change) => {
      if (change.tables.includes('leads')) run(count);
    });
  }, [transport, count, run]);

  return (
    <section aria-label="Workspace">
      <p data-testid="profile">
        {profile.userName} ({profile.role}) · {profile.tenantName}
        {profile.serverUrl ? ` · ${profile.serverUrl}` : ' · local'}
      </p>
      <p>
        Leads: <span data-testid="lead-count">{leadCount ?? '…'}</span>
      </p>
      {sync && (
        <p data-testid="sync-status">
          Sync: <span data-testid="sync-phase">{sync.phase}</span> · pending <span data-testid="sync-pending">{sync.pending}</span>
        </p>
      )}
      <button type="button" onClick={() => run(() => transport.call('leads.create', { firstName: 'Sample', lastName: 'Lead', source: 'manual' }))}>
        Add a sample lead
      </button>
      <button type="button" onClick={onSwitch}>
        Switch profile
      </button>
    </section>
  );
}
