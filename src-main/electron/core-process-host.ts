// The utility process's side: runs the client-core host (src-main/host) and answers the main process's messages.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { createClientHost } from '../host/client-host';
import type { ClientHost, HostSession } from '../host/client-host';
import type { StoredSession, TokenStore } from '../host/token-store';
import type { FromCore, MessagePortLike, TokenOp, ToCore } from './core-process-messages';

export interface ServeCoreOptions {
  logError?: (message: string, err: unknown) => void;
  /** Called once the host has closed after a shutdown message (the entry exits the process). */
  onStopped?: () => void;
}

export function serveCoreProcess(port: MessagePortLike<ToCore, FromCore>, options: ServeCoreOptions = {}): void {
  const logError = options.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const sessions = new Map<string, HostSession>();
  const tokenWaits = new Map<number, { resolve: (t: StoredSession | null) => void; reject: (err: Error) => void }>();
  let host: ClientHost | null = null;
  let nextRequest = 1;
  /** Calls that arrive before init are answered after it. */
  let ready: () => void = () => {};
  const initialized = new Promise<void>((resolve) => (ready = resolve));

  const askMain = (op: TokenOp) =>
    new Promise<StoredSession | null>((resolve, reject) => {
      const requestId = nextRequest++;
      tokenWaits.set(requestId, { resolve, reject });
      port.postMessage({ type: 'tokens', requestId, ...op });
    });
  const tokens: TokenStore = {
    load: (profileId) => askMain({ op: 'load', profileId }),
    save: async (profileId, t) => void (await askMain({ op: 'save', profileId, tokens: t })),
    remove: async (profileId) => void (await askMain({ op: 'remove', profileId })),
  };

  port.on('message', ({ data: message }) => {
    switch (message.type) {
      case 'init':
        host ??= createClientHost({
          kind: 'electron',
          rootDir: message.init.rootDir,
          migrationsFolder: message.init.migrationsFolder,
          serverUrl: message.init.serverUrl,
          tokens,
          logError,
        });
        ready();
        port.postMessage({ type: 'ready' });
        return;
      case 'open': {
        const session = message.session;
        void initialized.then(() => {
          if (!sessions.has(session)) sessions.set(session, host!.openSession((event) => port.postMessage({ type: 'event', session, event })));
        });
        return;
      }
      case 'call': {
        const { session, id, method, input } = message;
        void initialized.then(async () => {
          const open = sessions.get(session);
          const result = open ? await open.call(method, input) : { ok: false as const, error: new AppError(ErrorCode.INTERNAL, 'no such window session').toBody() };
          port.postMessage({ type: 'result', session, id, result });
        });
        return;
      }
      case 'close':
        sessions.get(message.session)?.close();
        sessions.delete(message.session);
        return;
      case 'tokens.reply': {
        const wait = tokenWaits.get(message.requestId);
        tokenWaits.delete(message.requestId);
        if (message.ok) wait?.resolve(message.tokens);
        else wait?.reject(new Error(message.message));
        return;
      }
      case 'shutdown':
        void (host?.close() ?? Promise.resolve())
          .catch((err: unknown) => logError('closing the host failed', err))
          .then(() => {
            port.postMessage({ type: 'stopped' });
            options.onStopped?.();
          });
        return;
    }
  });
}
