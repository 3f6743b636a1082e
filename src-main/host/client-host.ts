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
import { ATTENTION_TABLES, createAttentionTracker } from './attention-tracker';
import type { AttentionTracker } from './attention-tracker';
import { openProfileCore } from './profile-core';
import type { OpenProfileCore, ProfileCore, ProfileSyncControl } from './profile-core';
import { openProfileRegistry } from './profile-registry';
import type { StoredProfile } from './profile-registry';
import { serverOrigin, signInToServer } from './server-sign-in';
import type { StoredSession, TokenStore } from './token-store';

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
  /** Opens a profile's core: by default plain for standalone profiles, synced for server ones. */
  openCore?: OpenProfileCore;
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
  opened: ProfileCore;
  attention: AttentionTracker;
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
  const openCore = options.openCore ?? openProfileCore;
  const clock = options.clock ?? Date.now;
  const fetchFn = options.fetch ?? fetch;
  const logError = options.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const registry = openProfileRegistry(options.rootDir);
  const opened = new Map<string, Promise<OpenProfile>>();
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

  /** Opens the profile's core once (concurrent opens share it), synced when it is a server profile. */
  function openProfile(stored: StoredProfile): Promise<OpenProfile> {
    let open = opened.get(stored.id);
    if (!open) {
      open = (async () => {
        const id = stored.id;
        const session = stored.kind === 'server' ? await tokens.load(id) : null;
        const core = openCore({
          profile: stored,
          clientOptions: {
            dataDir: registry.dataDirOf(id),
            identity: { tenantId: stored.tenantId, userId: stored.userId },
            clock,
            logError,
            ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
          },
          session,
          saveSession: (s) => tokens.save(id, s),
          emit: (event, payload) => forward(id, event, payload),
          logError,
        });
        if (session) seedIdentity(core, session);
        const attention = createAttentionTracker(core.core, (a) => forward(id, 'attention.changed', a), logError);
        core.core.on('changed', (change) => {
          forward(id, 'changed', change);
          if (change.tables.some((t) => ATTENTION_TABLES.has(t))) attention.refresh();
        });
        attention.refresh();
        return { profile: stored, opened: core, attention };
      })();
      opened.set(stored.id, open);
      open.catch(() => opened.delete(stored.id));
    }
    return open.then((o) => {
      o.profile = stored;
      return o;
    });
  }

  /** Until sync brings the rest, the signed-in user and tenant are enough for the core to act. */
  function seedIdentity(core: ProfileCore, session: SessionResponse): void {
    const known = core.core.store.sqlite.prepare('SELECT 1 FROM users WHERE id = ?').get(session.user.id);
    if (!known) core.core.bootstrap({ tenants: [session.tenant], users: [session.user] });
  }

  async function closeProfile(profileId: string): Promise<void> {
    const pending = opened.get(profileId);
    if (!pending) return;
    opened.delete(profileId);
    const open = await pending.catch(() => null);
    if (!open) return;
    await open.attention.idle();
    await open.opened.close();
  }

  function bind(session: SessionState, open: OpenProfile): void {
    session.profileId = open.profile.id;
    emitTo(session, 'profile.changed', { profileId: open.profile.id });
    const attention = open.attention.current();
    if (attention) emitTo(session, 'attention.changed', { ...attention, fresh: [] });
    if (open.opened.sync) emitTo(session, 'sync.status', open.opened.sync.status());
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
    await tokens.save(stored.id, session);
    // A new client id (the old device was revoked) means another outbox numbering: reopen the store under it.
    if (existing && existing.clientId !== session.clientId) await closeProfile(stored.id);
    registry.put(stored);
    return { ...stored, session };
  }

  async function signOutOfServer(stored: StoredProfile): Promise<void> {
    const saved: StoredSession | null = await tokens.load(stored.id);
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
      const user = core.store.sqlite.prepare('SELECT name, role FROM users WHERE id = ?').get(userId) as { name: string; role: Profile['role'] };
      const tenant = core.store.sqlite.prepare('SELECT name FROM tenants WHERE id = ?').get(tenantId) as { name: string };
      await core.close();
      const now = clock();
      const stored: StoredProfile = {
        id, name: input.name, kind: 'local', serverUrl: null, tenantId, tenantName: tenant.name, userId, userName: user.name, email: null,
        role: user.role, clientId: null, createdAt: now, lastOpenedAt: now,
      };
      registry.put(stored);
      bind(session, await openProfile(stored));
      return toProfile(stored);
    },
    'profiles.signIn': async (input, session) => {
      const { session: serverSession, ...stored } = await signIn(input);
      const open = await openProfile(stored);
      // Already open (signed in again): sync resumes with the new session.
      open.opened.setSession(serverSession);
      seedIdentity(open.opened, serverSession);
      bind(session, open);
      return toProfile(stored);
    },
    'profiles.open': async (input, session) => {
      const stored = { ...requireStored(input.id), lastOpenedAt: clock() };
      registry.put(stored);
      bind(session, await openProfile(stored));
      return toProfile(stored);
    },
    'profiles.signOut': async (input) => {
      const stored = requireStored(input.id);
      await signOutOfServer(stored);
      const open = opened.get(stored.id);
      // The store stays open and keeps its outbox; sync waits for the next sign-in.
      if (open) (await open).opened.setSession(null);
      return toProfile(stored);
    },
    'profiles.remove': async (input) => {
      const stored = requireStored(input.id);
      unbindAll(stored.id);
      await closeProfile(stored.id);
      await signOutOfServer(stored);
      registry.remove(stored.id);
      rmSync(registry.dataDirOf(stored.id), { recursive: true, force: true });
      return { removed: true as const };
    },
    'sync.status': async (_input, session) => (await currentOf(session)).opened.sync?.status() ?? null,
    'sync.now': async (_input, session) => syncOf(await currentOf(session)).syncNow(),
    'sync.setWorkOffline': async (input, session) => syncOf(await currentOf(session)).setWorkOffline(input.offline),
  };

  async function currentOf(session: SessionState): Promise<OpenProfile> {
    const open = session.profileId ? opened.get(session.profileId) : undefined;
    if (!open) throw new AppError(ErrorCode.UNAUTHENTICATED, 'no profile is open in this window: sign in, or open or create a profile first');
    return open;
  }

  function syncOf(open: OpenProfile): ProfileSyncControl {
    if (!open.opened.sync) throw new AppError(ErrorCode.VALIDATION, 'this profile works without a server: there is nothing to sync');
    return open.opened.sync;
  }

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
    const open = await currentOf(session);
    // The core validates again against the same schema; it is given the caller's input, not our parse of it.
    return open.opened.core.call(method as never, input as never);
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
        for (const id of [...opened.keys()]) await closeProfile(id).catch((err: unknown) => logError('closing a profile failed', err));
      })();
      return closing;
    },
  };
}
