// The browser transport: a WebSocket to `npm run web`'s host, with call ids, events, and reconnection that restores the profile.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { AppMethodName } from '../../src-shared/api/host.api';
import type { ClientFrame, HostEventName, ServerFrame } from '../../src-shared/api/host-protocol';
import { ListenerSet, unwrapResult } from './transport';
import type { Transport, TransportStatus } from './transport';

export interface WsTransportOptions {
  /** e.g. `ws://127.0.0.1:5173/ws`; the session cookie rides along. */
  url: string;
  /** Remembers the tab's profile across reloads (sessionStorage in the browser). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  createSocket?: (url: string) => WebSocket;
  /** Reconnection back-off bounds, with full jitter. */
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

interface Pending {
  resolve: (output: unknown) => void;
  reject: (err: unknown) => void;
}

const PROFILE_KEY = 'fieldcrm.profileId';
/** Calls that make a profile the tab's current one: their output's id is remembered. */
const OPENS_PROFILE: ReadonlySet<string> = new Set(['profiles.open', 'profiles.createLocal', 'profiles.signIn']);

export function createWsTransport(options: WsTransportOptions): Transport {
  const storage = options.storage ?? null;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const events = new ListenerSet<string, unknown>();
  const statusListeners = new ListenerSet<'status', TransportStatus>();
  const pending = new Map<number, Pending>();
  /** Frames waiting for the socket to open (and for the profile to be restored first). */
  let queue: string[] = [];
  let socket: WebSocket | null = null;
  let state: TransportStatus = 'connecting';
  let nextId = 1;
  let attempts = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let profileId: string | null = storage?.getItem(PROFILE_KEY) ?? null;

  function setStatus(next: TransportStatus): void {
    if (next === state) return;
    state = next;
    statusListeners.emit('status', next);
  }

  function rememberProfile(id: string | null): void {
    profileId = id;
    if (id) storage?.setItem(PROFILE_KEY, id);
    else storage?.removeItem(PROFILE_KEY);
  }

  function send(frame: ClientFrame): void {
    const text = JSON.stringify(frame);
    if (socket && socket.readyState === WebSocket.OPEN && state === 'open') socket.send(text);
    else queue.push(text);
  }

  function request(method: string, input: unknown): Promise<unknown> {
    if (closed) return Promise.reject(new AppError(ErrorCode.INTERNAL, 'the transport is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      send({ type: 'call', id, method, input });
    });
  }

  function onFrame(frame: ServerFrame): void {
    if (frame.type === 'event') {
      if (frame.event === 'profile.changed') rememberProfile((frame.payload as { profileId: string | null }).profileId);
      events.emit(frame.event, frame.payload);
      return;
    }
    const waiting = pending.get(frame.id);
    if (!waiting) return;
    pending.delete(frame.id);
    try {
      waiting.resolve(unwrapResult(frame.result));
    } catch (err) {
      waiting.reject(err);
    }
  }

  /** A new socket is a new host session: open the tab's profile again before anything queued runs. */
  async function restoreProfile(ws: WebSocket): Promise<void> {
    if (!profileId) return;
    const id = nextId++;
    const answer = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    ws.send(JSON.stringify({ type: 'call', id, method: 'profiles.open', input: { id: profileId } } satisfies ClientFrame));
    // A profile removed meanwhile is simply forgotten; the app then shows its sign-in.
    await answer.catch((err: unknown) => {
      if (err instanceof AppError && err.code === ErrorCode.NOT_FOUND) rememberProfile(null);
    });
  }

  function connect(): void {
    if (closed) return;
    setStatus('connecting');
    const ws = createSocket(options.url);
    socket = ws;
    ws.onmessage = (message) => {
      try {
        onFrame(JSON.parse(String(message.data)) as ServerFrame);
      } catch (err) {
        console.error('a message from the host could not be read', err);
      }
    };
    ws.onopen = () => {
      attempts = 0;
      void restoreProfile(ws).then(() => {
        if (socket !== ws || ws.readyState !== WebSocket.OPEN) return;
        setStatus('open');
        const waiting = queue;
        queue = [];
        for (const text of waiting) ws.send(text);
      });
    };
    const dropped = () => {
      if (socket !== ws) return;
      socket = null;
      // Calls in flight may or may not have run; their callers are told, and views reload after reconnecting.
      const lost = [...pending.values()];
      pending.clear();
      for (const p of lost) p.reject(new AppError(ErrorCode.INTERNAL, 'the connection to the app host was lost; try again'));
      setStatus('closed');
      if (closed) return;
      const delay = Math.min(maxDelay, minDelay * 2 ** attempts) * random();
      attempts += 1;
      retryTimer = setTimeout(connect, delay);
    };
    ws.onclose = dropped;
    // Some WebSocket implementations (Node's) report a refused connection with an error and no close event.
    ws.onerror = () => {
      // Closing a socket that never opened fires another error in Node's WebSocket: detach first, or it recurses.
      ws.onerror = null;
      dropped();
      ws.close();
    };
  }

  connect();

  return {
    kind: 'web',
    call: async (method, input) => {
      const output = await request(method, input);
      if (OPENS_PROFILE.has(method as AppMethodName)) rememberProfile((output as { id: string }).id);
      return output as never;
    },
    on: (event: HostEventName, listener) => events.add(event, listener as (payload: unknown) => void),
    status: () => state,
    onStatus: (listener) => statusListeners.add('status', listener),
    close() {
      closed = true;
      clearTimeout(retryTimer);
      socket?.close();
      setStatus('closed');
    },
  };
}
