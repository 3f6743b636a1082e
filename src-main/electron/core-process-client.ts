// The main process's handle on the client-core utility process: starts it, relays the windows' calls and events, keeps its tokens, restarts it if it dies.
import { utilityProcess } from 'electron';
import type { UtilityProcess } from 'electron';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { CallResult, HostEvent } from '../../src-shared/api/host-protocol';
import type { StoredSession, TokenStore } from '../host/token-store';
import type { CoreInit, FromCore, TokenOp, ToCore } from './core-process-messages';

export interface CoreProcessOptions {
  /** The built utility-process entry (out/main/core-process.js). */
  entry: string;
  init: CoreInit;
  tokens: TokenStore;
  log?: (line: string) => void;
  /** Restarts allowed within a minute before giving up. */
  maxRestarts?: number;
}

export interface CoreProcess {
  openSession(session: string, onEvent: (event: HostEvent) => void): void;
  call(session: string, method: string, input: unknown): Promise<CallResult>;
  closeSession(session: string): void;
  stop(): Promise<void>;
}

interface SessionEntry {
  onEvent: (event: HostEvent) => void;
  /** Re-opened in a restarted core, so the window keeps its profile. */
  profileId: string | null;
}

const failure = (code: ErrorCode, message: string): CallResult => ({ ok: false, error: new AppError(code, message).toBody() });

export function startCoreProcess(options: CoreProcessOptions): CoreProcess {
  const log = options.log ?? ((line: string) => console.error(line));
  const maxRestarts = options.maxRestarts ?? 3;
  const sessions = new Map<string, SessionEntry>();
  const pending = new Map<number, (result: CallResult) => void>();
  const restarts: number[] = [];
  let child: UtilityProcess | null = null;
  let nextId = 1;
  let stopping: Promise<void> | null = null;
  let gaveUp = false;
  let onStopped: (() => void) | null = null;

  const post = (message: ToCore) => child?.postMessage(message);

  async function serveTokens(requestId: number, op: TokenOp): Promise<void> {
    try {
      let tokens: StoredSession | null = null;
      if (op.op === 'load') tokens = await options.tokens.load(op.profileId);
      else if (op.op === 'save') await options.tokens.save(op.profileId, op.tokens);
      else await options.tokens.remove(op.profileId);
      post({ type: 'tokens.reply', requestId, ok: true, tokens });
    } catch (err) {
      post({ type: 'tokens.reply', requestId, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
  }

  function onMessage(message: FromCore): void {
    switch (message.type) {
      case 'result': {
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.result);
        return;
      }
      case 'event': {
        const entry = sessions.get(message.session);
        if (!entry) return;
        if (message.event.event === 'profile.changed') entry.profileId = (message.event.payload as { profileId: string | null }).profileId;
        entry.onEvent(message.event);
        return;
      }
      case 'tokens': {
        const { type: _type, requestId, ...op } = message;
        void serveTokens(requestId, op);
        return;
      }
      case 'stopped':
        onStopped?.();
        return;
      case 'ready':
        return;
    }
  }

  function onExit(code: number): void {
    child = null;
    const lost = [...pending.values()];
    pending.clear();
    if (stopping) return void onStopped?.();
    for (const resolve of lost) resolve(failure(ErrorCode.INTERNAL, 'the client core stopped unexpectedly; try again'));
    const now = Date.now();
    while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length >= maxRestarts) {
      gaveUp = true;
      return log(`the client core exited (code ${code}) ${maxRestarts} times within a minute: not restarting`);
    }
    restarts.push(now);
    log(`the client core exited (code ${code}): restarting`);
    spawn();
  }

  function spawn(): void {
    const proc = utilityProcess.fork(options.entry, [], { serviceName: 'FieldCRM client core', stdio: 'inherit' });
    child = proc;
    proc.on('message', (message: FromCore) => onMessage(message));
    proc.on('exit', (code) => onExit(code));
    post({ type: 'init', init: options.init });
    for (const [session, entry] of sessions) {
      post({ type: 'open', session });
      if (entry.profileId) {
        // The window's answer was lost with the old process; re-opening its profile needs no answer.
        const id = nextId++;
        pending.set(id, () => {});
        post({ type: 'call', session, id, method: 'profiles.open', input: { id: entry.profileId } });
      }
    }
  }

  spawn();

  return {
    openSession(session, onEvent) {
      if (sessions.has(session)) return;
      sessions.set(session, { onEvent, profileId: null });
      post({ type: 'open', session });
    },
    call(session, method, input) {
      if (stopping || gaveUp || !child) return Promise.resolve(failure(ErrorCode.INTERNAL, 'the client core is not running'));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        post({ type: 'call', session, id, method, input });
      });
    },
    closeSession(session) {
      if (sessions.delete(session)) post({ type: 'close', session });
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (!child) return resolve();
        const proc = child;
        // Writes are drained and stores closed by the host; a wedged process is killed after a while.
        const timer = setTimeout(() => proc.kill(), 10_000);
        onStopped = () => {
          clearTimeout(timer);
          resolve();
        };
        post({ type: 'shutdown' });
      });
      return stopping;
    },
  };
}
