// What the renderer talks to the client core through: one typed `call` and event subscription, whatever carries them.
import { AppError } from '../../src-shared/api/errors';
import type { AppInput, AppMethodName, AppOutput } from '../../src-shared/api/host.api';
import type { CallResult, HostEventName, HostEvents } from '../../src-shared/api/host-protocol';

export type TransportStatus = 'connecting' | 'open' | 'closed';

export interface Transport {
  readonly kind: 'electron' | 'web';
  /** Resolves with the method's output; rejects with an AppError carrying the host's error code and field problems. */
  call<N extends AppMethodName>(method: N, input: AppInput<N>): Promise<AppOutput<N>>;
  /** Events of the window's current profile; returns the unsubscribe function. */
  on<E extends HostEventName>(event: E, listener: (payload: HostEvents[E]) => void): () => void;
  /** Whether the host can be reached (the WebSocket reconnects by itself; Electron IPC is always open). */
  status(): TransportStatus;
  onStatus(listener: (status: TransportStatus) => void): () => void;
  close(): void;
}

/** Turns the host's answer into the output, or the AppError it describes. */
export function unwrapResult<O>(result: CallResult<O>): O {
  if (result.ok) return result.output;
  const { code, message, fields, details } = result.error;
  throw new AppError(code, message, fields, details);
}

/** A set of listeners per key; a throwing listener never stops the others. */
export class ListenerSet<K extends string, P> {
  private readonly map = new Map<K, Set<(payload: P) => void>>();

  add(key: K, listener: (payload: P) => void): () => void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(key: K, payload: P): void {
    for (const listener of this.map.get(key) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`a ${key} listener failed`, err);
      }
    }
  }
}
