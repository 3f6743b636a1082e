// Messages between the main process and the client-core utility process (a trusted channel: both ends are ours).
import type { CallResult, HostEvent } from '../../src-shared/api/host-protocol';
import type { StoredSession } from '../host/token-store';

export interface CoreInit {
  /** Profiles and their stores. */
  rootDir: string;
  migrationsFolder: string;
  /** The tenant server a sign-in form suggests. */
  serverUrl: string | null;
}

export type ToCore =
  | { type: 'init'; init: CoreInit }
  | { type: 'open'; session: string }
  | { type: 'call'; session: string; id: number; method: string; input: unknown }
  | { type: 'close'; session: string }
  | { type: 'tokens.reply'; requestId: number; ok: true; tokens: StoredSession | null }
  | { type: 'tokens.reply'; requestId: number; ok: false; message: string }
  | { type: 'shutdown' };

export type TokenOp = { op: 'load'; profileId: string } | { op: 'save'; profileId: string; tokens: StoredSession } | { op: 'remove'; profileId: string };

export type FromCore =
  | { type: 'ready' }
  | { type: 'result'; session: string; id: number; result: CallResult }
  | { type: 'event'; session: string; event: HostEvent }
  /** Tokens live in the main process: only it can use safeStorage. */
  | ({ type: 'tokens'; requestId: number } & TokenOp)
  | { type: 'stopped' };

/** The part of Electron's parentPort / UtilityProcess the two ends use. */
export interface MessagePortLike<In, Out> {
  postMessage(message: Out): void;
  on(event: 'message', listener: (event: { data: In }) => void): unknown;
}
