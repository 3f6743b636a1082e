// The client-core host: local profiles with one client core each, and the dispatch of windows' calls into them.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { AppError, ErrorCode, toErrorBody } from '../../src-shared/api/errors';
import { APP_API, HOST_API } from '../../src-shared/api/host.api';
import type { DemoWorkspace, HostApi, Profile } from '../../src-shared/api/host.api';
import type { OutputOf, ParsedInputOf } from '../../src-shared/api/contract';
import { HOST_PROTOCOL_VERSION } from '../../src-shared/api/host-protocol';
import type { CallResult, HostEvent } from '../../src-shared/api/host-protocol';
import type { SessionResponse } from '../../src-shared/http/auth.http';
import { openClient } from '../core/client-core';
import type { ClientCore } from '../core/client-core';
import { ATTENTION_TABLES, createAttentionTracker } from './attention-tracker';
import type { AttentionTracker } from './attention-tracker';
import { openProfileRegistry } from './profile-registry';
import type { StoredProfile } from './profile-registry';
import type { AttachSync, ProfileSync } from './profile-sync';
import { serverOrigin, signInToServer } from './server-sign-in';
import type { TokenStore } from './token-store';

export interface ClientHostOptions {
  kind: 'electron' | 'web';
  /** Holds profiles.json and one data directory per profile. */
  rootDir: string;
  tokens: TokenStore;
  /** The tenant server a sign-in form should suggest. */
  serverUrl?: string | null;
  /** The demo workspace running beside this host, if any. */
  demo?: DemoWorkspace | null;
  /** The client migrations (the packaged app ships its own folder). */
  migrationsFolder?: string;
  attachSync?: AttachSync;
  clock?: () => number;
  fetch?: typeof fetch;
  logError?: (message: string, err: unknown) => void;
}

/** One window's connection: its calls run against its current profile, and it receives that profile's events. */
export interface HostSession {
  readonly id: string;
  /** Never rejects: failures come back as `{ ok: false, error }`. */
  call(method: string, input: unknown): Promise<CallResult>;
  close(): void;
}

export interface ClientHost {
  openSession(send: (event: HostEvent) => void): HostSession;
  /** Closes every session, sync engine and store. */
  close(): Promise<void>;
}

interface OpenProfile {
  profile: StoredProfile;
  core: ClientCore;
  attention: AttentionTracker;
  sync: ProfileSync | null;
  closed: boolean;
}

interface SessionState {
  id: string;
  send: (event: HostEvent) => void;
  profileId: string | null;
}

type HostHandlers = {
  [N in keyof HostApi]: (input: ParsedInputOf<HostApi, N>, session: SessionState) => Promise<OutputOf<HostApi, N>>;
};

const SIGN_OUT_PATH = '/api/v1/auth/sign-out';
/** Methods that change which profile a session works in: later calls of the session run after them. */
const CHANGES_PROFILE: ReadonlySet<string> = new Set(['profiles.open', 'profiles.createLocal', 'profiles.signIn', 'profiles.signOut', 'profiles.remove']);

export function createClientHost(options: ClientHostOptions): ClientHost {
  const { tokens } = options;
  const clock = options.clock ?? Date.now;
  const fetchFn = options.fetch ?? fetch;
  const logError = options.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const registry = openProfileRegistry(options.rootDir);
  const opened = new Map<string, OpenProfile>();
  const sessions = new Set<SessionState>();
  let closing: Promise<void> | null = null;

  function emitTo(session: SessionState, event: string, payload: unknown): void {
    try {
      session.send({ event, payload });
    } catch (err) {
      logError(`sending ${event} to a window failed`, err);
    }
  }

  function forward(profileId: string, event: string, payload: unknown): void {
    for (const s of sessions) if (s.profileId === profileId) emitTo(s, event, payload);
  }

  async function toProfile(stored: StoredProfile): Promise<Profile> {
    const signedIn = stored.kind === 'server' && (await tokens.load(stored.id)) !== null;
    return { ...stored, signedIn };
  }

  function requireStored(id: string): StoredProfile {
    const stored = registry.get(id);
    if (!stored) throw new AppError(ErrorCode.NOT_FOUND, `no profile ${id}`);
    return stored;
  }

  /** Opens the profile's core once; `seed` loads who the user is on a first sign-in, before anything asks. */
  function openProfile(stored: StoredProfile, seed?: SessionResponse): OpenProfile {
    let open = opened.get(stored.id);
    if (!open) {
      const core = openClient({
        dataDir: registry.dataDirOf(stored.id),
        identity: { tenantId: stored.tenantId, userId: stored.userId },
        clock,
        logError,
        ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
      });
      const id = stored.id;
      const attention = createAttentionTracker(core, (a) => forward(id, 'attention.changed', a), logError);
      open = { profile: stored, core, attention, sync: null, closed: false };
      opened.set(id, open);
      core.on('changed', (change) => {
        forward(id, 'changed', change);
        if (change.tables.some((t) => ATTENTION_TABLES.has(t))) attention.refresh();
      });
    }
    open.profile = stored;
    if (seed) {
      const known = open.core.store.sqlite.prepare('SELECT 1 FROM users WHERE id = ?').get(seed.user.id);
      // Sync brings the rest; the signed-in user and tenant are enough to act until it does.
      if (!known) open.core.bootstrap({ tenants: [seed.tenant], users: [seed.user] });
    }
    if (!open.attention.current()) open.attention.refresh();
    return open;
  }

  async function attachSyncTo(open: OpenProfile): Promise<void> {
    if (!options.attachSync || open.profile.kind !== 'server' || open.sync) return;
    if (!(await tokens.load(open.profile.id)) || open.closed || open.sync) return;
    const id = open.profile.id;
    open.sync = options.attachSync({
      profile: await toProfile(open.profile),
      core: open.core,
      tokens: { load: () => tokens.load(id), save: (t) => tokens.save(id, t) },
      emit: (event, payload) => forward(id, event, payload),
      logError,
    });
  }

  async function detachSync(open: OpenProfile): Promise<void> {
    const sync = open.sync;
    open.sync = null;
    if (sync) await sync.close().catch((err: unknown) => logError('closing sync failed', err));
  }

  async function closeProfile(open: OpenProfile): Promise<void> {
    open.closed = true;
    opened.delete(open.profile.id);
    await detachSync(open);
    await open.attention.idle();
    await open.core.close();
  }

  function bind(session: SessionState, open: OpenProfile): void {
    session.profileId = open.profile.id;
    emitTo(session, 'profile.changed', { profileId: open.profile.id });
    const attention = open.attention.current();
    if (attention) emitTo(session, 'attention.changed', { ...attention, fresh: [] });
  }

  function unbindAll(profileId: string): void {
    for (const s of sessions) {
      if (s.profileId !== profileId) continue;
      s.profileId = null;
      emitTo(s, 'profile.changed', { profileId: null });
    }
  }

  async function signIn(input: ParsedInputOf<HostApi, 'profiles.signIn'>): Promise<StoredProfile & { session: SessionResponse }> {
    const origin = serverOrigin(input.serverUrl);
    const prior = registry.list().find((p) => p.kind === 'server' && p.serverUrl === origin && p.email === input.email && p.clientId);
    const request = {
      email: input.email,
      password: input.password,
      deviceName: `FieldCRM ${options.kind === 'web' ? 'web' : 'desktop'} on ${hostname()}`.slice(0, 200),
      ...(input.tenant ? { tenant: input.tenant } : {}),
    };
    let session: SessionResponse;
    try {
      session = await signInToServer(origin, prior?.clientId ? { ...request, clientId: prior.clientId } : request, fetchFn);
    } catch (err) {
      // The same email may belong to another organisation on this server: its device id is not ours to reuse.
      const foreignDevice = err instanceof AppError && err.fields?.some((f) => f.path === 'clientId' && f.message.includes('another account'));
      if (!prior || !foreignDevice) throw err;
      session = await signInToServer(origin, request, fetchFn);
    }
    const existing = registry.list().find((p) => p.kind === 'server' && p.serverUrl === origin && p.tenantId === session.tenant.id && p.userId === session.user.id);
    const now = clock();
    const stored: StoredProfile = {
      id: existing?.id ?? randomUUID(),
      name: input.name ?? existing?.name ?? `${session.user.name} · ${session.tenant.name}`.slice(0, 200),
      kind: 'server',
      serverUrl: origin,
      tenantId: session.tenant.id,
      tenantName: session.tenant.name,
      userId: session.user.id,
      userName: session.user.name,
      email: session.user.email,
      role: session.user.role,
      clientId: session.clientId,
      createdAt: existing?.createdAt ?? now,
      lastOpenedAt: now,
    };
    await tokens.save(stored.id, {
      accessToken: session.accessToken,
      accessTokenExpiresAt: session.accessTokenExpiresAt,
      refreshToken: session.refreshToken,
      refreshTokenExpiresAt: session.refreshTokenExpiresAt,
      clientId: session.clientId,
    });
    registry.put(stored);
    return { ...stored, session };
  }

  async function signOutOfServer(stored: StoredProfile): Promise<void> {
    const saved = await tokens.load(stored.id);
    await tokens.remove(stored.id);
    if (!saved || !stored.serverUrl) return;
    // Best effort: ends the session on the server too; offline, the refresh token simply expires there.
    await fetchFn(new URL(SIGN_OUT_PATH, stored.serverUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${saved.accessToken}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
  }

  const handlers: HostHandlers = {
    'host.info': async () => ({ kind: options.kind, protocolVersion: HOST_PROTOCOL_VERSION, serverUrl: options.serverUrl ?? options.demo?.serverUrl ?? null, demo: options.demo ?? null }),
    'profiles.list': async (_input, session) => ({
      profiles: await Promise.all(registry.list().sort((a, b) => a.createdAt - b.createdAt).map(toProfile)),
      currentId: session.profileId,
    }),
    'profiles.current': async (_input, session) => {
      const stored = session.profileId ? registry.get(session.profileId) : undefined;
      return stored ? toProfile(stored) : null;
    },
    'profiles.createLocal': async (input, session) => {
      const id = randomUUID();
      // A fresh store makes its own standalone tenant and admin user; read them back for the profile.
      const core = openClient({ dataDir: registry.dataDirOf(id), clock, logError, ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}) });
      const { tenantId, userId } = core.identity;
      const user = core.store.sqlite.prepare('SELECT name, email, role FROM users WHERE id = ?').get(userId) as { name: string; email: string; role: Profile['role'] };
      const tenant = core.store.sqlite.prepare('SELECT name FROM tenants WHERE id = ?').get(tenantId) as { name: string };
      await core.close();
      const now = clock();
      const stored: StoredProfile = {
        id, name: input.name, kind: 'local', serverUrl: null, tenantId, tenantName: tenant.name, userId, userName: user.name, email: null,
        role: user.role, clientId: null, createdAt: now, lastOpenedAt: now,
      };
      registry.put(stored);
      bind(session, openProfile(stored));
      return toProfile(stored);
    },
    'profiles.signIn': async (input, session) => {
      const { session: serverSession, ...stored } = await signIn(input);
      const open = openProfile(stored, serverSession);
      await attachSyncTo(open);
      bind(session, open);
      return toProfile(stored);
    },
    'profiles.open': async (input, session) => {
      const stored = { ...requireStored(input.id), lastOpenedAt: clock() };
      registry.put(stored);
      const open = openProfile(stored);
      await attachSyncTo(open);
      bind(session, open);
      return toProfile(stored);
    },
    'profiles.signOut': async (input) => {
      const stored = requireStored(input.id);
      const open = opened.get(stored.id);
      if (open) await detachSync(open);
      await signOutOfServer(stored);
      return toProfile(stored);
    },
    'profiles.remove': async (input) => {
      const stored = requireStored(input.id);
      const open = opened.get(stored.id);
      unbindAll(stored.id);
      if (open) await closeProfile(open);
      await signOutOfServer(stored);
      registry.remove(stored.id);
      rmSync(registry.dataDirOf(stored.id), { recursive: true, force: true });
      return { removed: true as const };
    },
  };

  async function dispatch(session: SessionState, method: string, input: unknown): Promise<unknown> {
    if (closing) throw new AppError(ErrorCode.INTERNAL, 'the host is shutting down');
    // Own properties only: a name like `constructor` is not a method.
    if (!Object.hasOwn(APP_API, method)) throw new AppError(ErrorCode.UNKNOWN_METHOD, `unknown method ${method}`);
    const def = APP_API[method as keyof typeof APP_API];
    const parsed = def.input.safeParse(input);
    if (!parsed.success) throw AppError.fromZod(parsed.error);
    if (Object.hasOwn(HOST_API, method)) {
      const handler = handlers[method as keyof HostHandlers] as (input: unknown, s: SessionState) => Promise<unknown>;
      return handler(parsed.data, session);
    }
    const open = session.profileId ? opened.get(session.profileId) : undefined;
    if (!open) throw new AppError(ErrorCode.UNAUTHENTICATED, 'no profile is open in this window: sign in, or open or create a profile first');
    const own = open.sync?.handlers?.[method];
    // The core validates again against the same schema; it is given the caller's input, not our parse of it.
    return own ? own(parsed.data) : open.core.call(method as never, input as never);
  }

  return {
    openSession(send) {
      const state: SessionState = { id: randomUUID(), send, profileId: null };
      sessions.add(state);
      /** Calls after a profile change wait for it; other calls run concurrently. */
      let barrier: Promise<unknown> = Promise.resolve();
      const run = async (method: string, input: unknown): Promise<CallResult> => {
        try {
          return { ok: true, output: await dispatch(state, method, input) };
        } catch (err) {
          if (!(err instanceof AppError)) logError(`${method} failed`, err);
          return { ok: false, error: toErrorBody(err) };
        }
      };
      return {
        id: state.id,
        call(method, input) {
          const result = barrier.then(() => run(method, input));
          if (CHANGES_PROFILE.has(method)) barrier = result;
          return result;
        },
        close() {
          sessions.delete(state);
        },
      };
    },
    close() {
      closing ??= (async () => {
        sessions.clear();
        for (const open of [...opened.values()]) await closeProfile(open).catch((err: unknown) => logError('closing a profile failed', err));
      })();
      return closing;
    },
  };
}
