// The app's state shared across screens (zustand): the host connection, the open profile, sync and attention, navigation.
import { create } from 'zustand';
import { AppError } from '../../src-shared/api/errors';
import type { DirectoryUser } from '../../src-shared/api/directory.api';
import type { AppOutput, Profile, SyncStatusOut } from '../../src-shared/api/host.api';
import type { Attention } from '../../src-shared/api/host-protocol';
import type { Team } from '../../src-shared/domain/accounts.schema';
import type { Transport, TransportStatus } from '../transport/transport';

export type HostInfo = AppOutput<'host.info'>;

/** What the main area shows. */
export type Screen = { name: 'leads' } | { name: 'lead'; id: string } | { name: 'capture' } | { name: 'import' };
export type Panel = 'sync' | 'notifications' | null;

export interface Toast {
  kind: 'error' | 'info';
  text: string;
}

export interface AppState {
  transport: Transport;
  hostStatus: TransportStatus;
  info: HostInfo | null;
  profile: Profile | null;
  profiles: Profile[];
  sync: SyncStatusOut | null;
  attention: Attention | null;
  directory: { users: DirectoryUser[]; teams: Team[] };
  screen: Screen;
  panel: Panel;
  toast: Toast | null;
  navigate(screen: Screen): void;
  togglePanel(panel: Exclude<Panel, null>): void;
  /** Shows a failure to the user: the AppError's message (it names the field or the problem), else a generic one. */
  report(err: unknown): void;
  notify(text: string): void;
  dismissToast(): void;
}

export const messageOf = (err: unknown): string => (err instanceof AppError ? err.message : 'something went wrong');

let store: ReturnType<typeof makeStore> | null = null;

function makeStore(transport: Transport) {
  return create<AppState>()((set, get) => ({
    transport,
    hostStatus: transport.status(),
    info: null,
    profile: null,
    profiles: [],
    sync: null,
    attention: null,
    directory: { users: [], teams: [] },
    screen: { name: 'leads' },
    panel: null,
    toast: null,
    navigate: (screen) => set({ screen }),
    togglePanel: (panel) => set({ panel: get().panel === panel ? null : panel }),
    report: (err) => {
      if (!(err instanceof AppError)) console.error(err);
      set({ toast: { kind: 'error', text: messageOf(err) } });
    },
    notify: (text) => set({ toast: { kind: 'info', text } }),
    dismissToast: () => set({ toast: null }),
  }));
}

/** Creates the store once, at start-up, around the transport chosen for this window. */
export function initAppStore(transport: Transport): void {
  store ??= makeStore(transport);
}

/** The app store's hook: `useApp((s) => s.profile)`. */
export function useApp<T>(select: (s: AppState) => T): T {
  if (!store) throw new Error('initAppStore was not called');
  return store(select);
}

/** The store outside React (event handlers, async work). */
export function appState(): AppState {
  if (!store) throw new Error('initAppStore was not called');
  return store.getState();
}

export function setAppState(patch: Partial<AppState>): void {
  if (!store) throw new Error('initAppStore was not called');
  store.setState(patch);
}

/** The typed API of the window's host: `api().call('leads.get', { id })`. */
export const api = (): Transport => appState().transport;

/** The users by id, for showing owners' names. */
export function userName(users: readonly DirectoryUser[], id: string | null): string {
  if (!id) return 'Unassigned';
  return users.find((u) => u.id === id)?.name ?? 'Unknown user';
}
