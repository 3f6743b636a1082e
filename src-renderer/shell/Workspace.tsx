// The workspace around every screen: navigation, the always-visible sync status, notifications, and the side panel.
import { useEffect } from 'react';
import type { Profile } from '../../src-shared/api/host.api';
import { api, appState, setAppState, useApp } from '../state/app-store';
import type { Screen } from '../state/app-store';
import { LeadQueue } from '../leads/LeadQueue';
import { LeadDetail } from '../lead-detail/LeadDetail';
import { CaptureForm } from '../capture/CaptureForm';
import { CsvImport } from '../import/CsvImport';
import { SyncBar } from '../sync/SyncBar';
import { SyncPanel } from '../sync/SyncPanel';
import { NotificationsPanel } from '../notifications/NotificationsPanel';

const TABS: { label: string; screen: Screen }[] = [
  { label: 'Leads', screen: { name: 'leads' } },
  { label: 'Capture', screen: { name: 'capture' } },
  { label: 'Import', screen: { name: 'import' } },
];

function ScreenView({ screen }: { screen: Screen }) {
  switch (screen.name) {
    case 'leads':
      return <LeadQueue />;
    case 'lead':
      return <LeadDetail key={screen.id} id={screen.id} />;
    case 'capture':
      return <CaptureForm />;
    case 'import':
      return <CsvImport />;
  }
}

export function Workspace({ profile }: { profile: Profile }) {
  const screen = useApp((s) => s.screen);
  const panel = useApp((s) => s.panel);
  const unread = useApp((s) => s.attention?.unreadNotifications ?? 0);
  const { navigate, togglePanel } = appState();

  // The desktop app's menu and shortcuts arrive as events.
  useEffect(
    () =>
      api().on('menu.command', ({ command }) => {
        if (command === 'lead.new') navigate({ name: 'capture' });
        if (command === 'search') navigate({ name: 'leads' });
        if (command === 'profiles.switch') setAppState({ profile: null });
        if (command === 'sync.now') void api().call('sync.now', {}).catch(appState().report);
      }),
    [navigate],
  );

  return (
    <div className="workspace" aria-label="Workspace">
      <nav className="workspace-nav">
        {TABS.map((tab) => (
          <button key={tab.label} type="button" aria-current={screen.name === tab.screen.name ? 'page' : undefined} onClick={() => navigate(tab.screen)}>
            {tab.label}
          </button>
        ))}
        <span className="spacer" />
        <SyncBar onOpen={() => togglePanel('sync')} />
        <button type="button" className="bell" aria-label={`Notifications, ${unread} unread`} onClick={() => togglePanel('notifications')}>
          Notifications <span className="badge" data-testid="unread-count">{unread}</span>
        </button>
        <span className="who" data-testid="profile">
          {profile.userName} ({profile.role}) · {profile.tenantName}
          {profile.serverUrl ? ` · ${profile.serverUrl}` : ' · local'}
        </span>
        <button type="button" onClick={() => setAppState({ profile: null })}>
          Switch profile
        </button>
      </nav>
      <div className="workspace-body">
        <main className="workspace-main">
          <ScreenView screen={screen} />
        </main>
        {panel && <aside className="side-panel">{panel === 'sync' ? <SyncPanel /> : <NotificationsPanel />}</aside>}
      </div>
    </div>
  );
}
