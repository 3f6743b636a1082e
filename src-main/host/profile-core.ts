// How a profile's client core is opened: a standalone profile gets a plain core, a server profile a synced one
// (outbox in the write path, push/pull, pokes), so no write of a synced store can bypass its outbox.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { SyncStatusOut } from '../../src-shared/api/host.api';
import { openClient } from '../core/client-core';
import type { ClientCore, OpenClientOptions } from '../core/client-core';
import { openSyncedClient } from '../sync/synced-client';
import type { SyncAuth } from '../sync/sync-transport';
import { createTokenSession } from '../sync/token-session';
import type { StoredProfile } from './profile-registry';
import type { StoredSession } from './token-store';

export interface ProfileCoreContext {
  profile: StoredProfile;
  /** Data directory, identity, clock, logger, migrations. */
  clientOptions: OpenClientOptions;
  /** The stored server session; null when signed out (sync then waits for a sign-in). */
  session: StoredSession | null;
  /** Keeps a refreshed session (its refresh token works once). */
  saveSession(session: StoredSession): Promise<void>;
  /** Sends an event to every window working in this profile. */
  emit(event: string, payload: unknown): void;
  logError(message: string, err: unknown): void;
}

export interface ProfileSyncControl {
  status(): SyncStatusOut;
  syncNow(): Promise<SyncStatusOut>;
  setWorkOffline(offline: boolean): SyncStatusOut;
}

export interface ProfileCore {
  readonly core: ClientCore;
  /** Null for a standalone profile. */
  readonly sync: ProfileSyncControl | null;
  /** After a sign-in (a new session) or a sign-out (null): sync goes on with it, or waits, without reopening the store. */
  setSession(session: StoredSession | null): void;
  /** Stops syncing, then drains writes and closes the store. */
  close(): Promise<void>;
}

export type OpenProfileCore = (ctx: ProfileCoreContext) => ProfileCore;

export const openProfileCore: OpenProfileCore = (ctx) => {
  const { kind, serverUrl, clientId } = ctx.profile;
  return kind === 'server' && serverUrl && clientId ? openSynced(ctx, serverUrl, clientId) : openPlain(ctx);
};

function openPlain(ctx: ProfileCoreContext): ProfileCore {
  const core = openClient(ctx.clientOptions);
  return { core, sync: null, setSession: () => {}, close: () => core.close() };
}

/** Sync's credentials, following sign-in and sign-out; signed out, every request is refused and sync waits. */
function switchableAuth(ctx: ProfileCoreContext, baseUrl: string, clientId: string) {
  const sessionOf = (session: StoredSession) =>
    createTokenSession({ baseUrl, session, onRotated: (s) => void ctx.saveSession(s).catch((err: unknown) => ctx.logError('keeping the refreshed session failed', err)) });
  let current = ctx.session ? sessionOf(ctx.session) : null;
  const signedOut = () => Promise.reject(new AppError(ErrorCode.UNAUTHENTICATED, 'signed out: sign in again to sync (changes made meanwhile are kept)'));
  const auth: SyncAuth = {
    clientId,
    accessToken: () => (current ? current.accessToken() : signedOut()),
    refresh: () => (current ? current.refresh() : signedOut()),
  };
  return { auth, set: (session: StoredSession | null) => void (current = session ? sessionOf(session) : null) };
}

function openSynced(ctx: ProfileCoreContext, serverUrl: string, clientId: string): ProfileCore {
  const credentials = switchableAuth(ctx, serverUrl, clientId);
  const synced = openSyncedClient({ ...ctx.clientOptions, serverUrl, auth: credentials.auth, sync: { logError: ctx.logError } });
  const { sync } = synced;
  const offStatus = sync.on('status', (status) => ctx.emit('sync.status', status));
  return {
    core: synced.core,
    sync: {
      status: () => sync.status(),
      // A failed round is described by the status (lastError, phase): the window shows it rather than an error.
      syncNow: () => sync.syncNow().catch(() => sync.status()),
      setWorkOffline(offline) {
        if (offline) sync.pause();
        else sync.resume();
        return sync.status();
      },
    },
    setSession(session) {
      credentials.set(session);
      if (session) sync.requestSync();
    },
    async close() {
      offStatus();
      await synced.close();
    },
  };
}
