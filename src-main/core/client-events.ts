// Events the client core emits: `changed` after a write commits, so views refresh.
export interface ClientEvents {
  changed: { mutations: string[]; tables: string[] };
}

export type Listener<E extends keyof ClientEvents> = (payload: ClientEvents[E]) => void;

export class ClientEmitter {
  private readonly listeners = new Map<keyof ClientEvents, Set<Listener<keyof ClientEvents>>>();

  on<E extends keyof ClientEvents>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<keyof ClientEvents>);
    return () => set.delete(listener as Listener<keyof ClientEvents>);
  }

  /** A throwing listener is reported, never allowed to break the write that triggered it. */
  emit<E extends keyof ClientEvents>(event: E, payload: ClientEvents[E], onError: (err: unknown) => void): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch (err) {
        onError(err);
      }
    }
  }
}
