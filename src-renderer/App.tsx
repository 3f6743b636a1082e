// The app frame: keeps the host connection, the profile and the profile's sync and attention in the store; signs in or shows the workspace.
import { useEffect } from 'react';
import { appState, setAppState, useApp } from './state/app-store';
import { SignIn } from './shell/SignIn';
import { Workspace } from './shell/Workspace';
import { Toast } from './shell/Toast';

/** Loads what the frame shows; again whenever the host says the window's profile changed. */
async function loadSession(): Promise<void> {
  const t = appState().transport;
  const [info, profile, list] = await Promise.all([t.call('host.info', {}), t.call('profiles.current', {}), t.call('profiles.list', {})]);
  setAppState({ info, profile, profiles: list.profiles });
  if (!profile) return setAppState({ sync: null, attention: null, directory: { users: [], teams: [] } });
  const [sync, directory, notes] = await Promise.all([t.call('sync.status', {}), t.call('directory.list', {}), t.call('notifications.list', { limit: 1 })]);
  setAppState({ sync, directory, attention: appState().attention ?? { unreadNotifications: notes.unread, pendingApprovals: 0, fresh: [] } });
}

export function App() {
  const profile = useApp((s) => s.profile);
  const hostStatus = useApp((s) => s.hostStatus);

  useEffect(() => {
    const { transport, report } = appState();
    const reload = () => void loadSession().catch(report);
    const offs = [
      transport.onStatus((status) => {
        setAppState({ hostStatus: status });
        if (status === 'open') reload();
      }),
      transport.on('profile.changed', reload),
      transport.on('sync.status', (sync) => setAppState({ sync })),
      transport.on('attention.changed', (attention) => setAppState({ attention })),
      transport.on('changed', (change) => {
        if (change.tables.includes('users') || change.tables.includes('teams')) {
          void transport.call('directory.list', {}).then((directory) => setAppState({ directory }), report);
        }
      }),
    ];
    // The socket may have opened before this subscription: take its status now.
    setAppState({ hostStatus: transport.status() });
    reload();
    return () => offs.forEach((off) => off());
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>FieldCRM</h1>
        <span className={`host-status host-${hostStatus}`} data-testid="host-status">
          {hostStatus === 'open' ? 'connected' : hostStatus}
        </span>
      </header>
      <Toast />
      {profile ? <Workspace profile={profile} /> : <SignIn />}
    </div>
  );
}
