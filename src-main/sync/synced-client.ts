// Opens a client core that syncs with its tenant server: the write path's hooks, the sync engine and the poke socket.
import { openClient } from '../core/client-core';
import type { ClientCore, OpenClientOptions } from '../core/client-core';
import { connectPokeSocket } from './poke-socket';
import type { PokeSocket } from './poke-socket';
import { createSyncClient } from './sync-client';
import type { SyncClient, SyncClientOptions } from './sync-client';
import { SyncHooks } from './sync-hooks';
import { createHttpTransport } from './sync-transport';
import type { SyncAuth, SyncTransport } from './sync-transport';

export interface OpenSyncedClientOptions extends Omit<OpenClientOptions, 'onApplied' | 'onBegin'> {
  /** e.g. `http://127.0.0.1:8787` */
  serverUrl: string;
  auth: SyncAuth;
  /** Replaces the HTTP transport (fault injection in tests and the simulation). */
  transport?: SyncTransport;
  /** Connect the poke WebSocket (default true). */
  live?: boolean;
  /** Start a round right away (default true); false leaves every round to syncNow/requestSync (the simulation). */
  start?: boolean;
  sync?: Partial<Omit<SyncClientOptions, 'core' | 'hooks' | 'transport' | 'clientId'>>;
}

export interface SyncedClient {
  core: ClientCore;
  sync: SyncClient;
  /** Stops syncing (waiting for a round under way), closes the socket, then the store. */
  close(): Promise<void>;
}

/**
 * Every write of a synced store goes to its outbox in the transaction of its optimistic effect: open synced stores
 * only through here, so no write can bypass the outbox.
 */
export function openSyncedClient(options: OpenSyncedClientOptions): SyncedClient {
  const { serverUrl, auth, transport, live, start, sync: syncOptions, ...clientOptions } = options;
  const hooks = new SyncHooks();
  const core = openClient({ ...clientOptions, onApplied: hooks.onApplied, onBegin: hooks.onBegin });
  hooks.attach(core.store.sqlite);
  const sync = createSyncClient({
    ...syncOptions,
    core,
    hooks,
    transport: transport ?? createHttpTransport({ baseUrl: serverUrl, auth }),
    clientId: auth.clientId,
  });
  let socket: PokeSocket | null = null;
  if (live !== false) {
    socket = connectPokeSocket({ baseUrl: serverUrl, auth, onPoke: () => sync.requestSync(), onConnected: (c) => sync.setLive(c), ...(syncOptions?.random ? { random: syncOptions.random } : {}) });
  }
  if (start !== false) sync.requestSync();
  return {
    core,
    sync,
    async close() {
      socket?.close();
      await sync.close();
      await core.close();
    },
  };
}
