// The host's methods: local profiles (one client core each), sign-in to a tenant server, and what the host offers.
import { z } from 'zod';
import { defineMethods, mergeMethods } from './contract';
import type { InputOf, OutputOf } from './contract';
import { API } from './api';
import { RoleName } from '../domain/accounts.schema';
import { Id, Instant, ShortText } from '../domain/common.schema';
import { MutationResult } from '../sync/sync-protocol';
import { ErrorBody } from './errors';

/** A local profile: its own SQLite store, acting as one user of one tenant, standalone or signed in to a server. */
export const Profile = z.object({
  id: Id,
  name: ShortText,
  kind: z.enum(['local', 'server']),
  /** The tenant server's origin, e.g. `http://127.0.0.1:8787`; null for a standalone profile. */
  serverUrl: z.string().nullable(),
  tenantId: Id,
  tenantName: z.string(),
  userId: Id,
  userName: z.string(),
  email: z.string().nullable(),
  role: RoleName,
  /** This install's client id on the server (from sign-in); sync pushes under it. */
  clientId: Id.nullable(),
  /** Whether tokens are stored, so the profile can sync without signing in again. */
  signedIn: z.boolean(),
  createdAt: Instant,
  lastOpenedAt: Instant.nullable(),
});
export type Profile = z.infer<typeof Profile>;

export const DemoWorkspace = z.object({
  serverUrl: z.string(),
  password: z.string(),
  users: z.array(z.object({ email: z.string(), name: z.string(), role: RoleName })),
});
export type DemoWorkspace = z.infer<typeof DemoWorkspace>;

/** What a window shows about a signed-in profile's sync (the sync client's status). */
export const SyncStatusOut = z.object({
  phase: z.enum(['idle', 'syncing', 'offline', 'paused', 'readOnly']),
  /** Changes of others arrive in real time. */
  live: z.boolean(),
  /** Local changes not yet confirmed by the server. */
  pending: z.number().int().nonnegative(),
  lastSyncAt: Instant.nullable(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  conflicts: z.number().int().nonnegative(),
  refusals: z.array(MutationResult.extend({ at: Instant })),
  readOnly: z.string().nullable(),
  lastError: ErrorBody.nullable(),
});
export type SyncStatusOut = z.infer<typeof SyncStatusOut>;

const ServerUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// server address' });

export const HOST_API = defineMethods({
  /** Which host this is, the tenant server it suggests, and the demo workspace when one runs beside it. */
  'host.info': {
    input: z.object({}),
    output: z.object({ kind: z.enum(['electron', 'web']), protocolVersion: z.number().int(), serverUrl: z.string().nullable(), demo: DemoWorkspace.nullable() }),
  },
  'profiles.list': { input: z.object({}), output: z.object({ profiles: z.array(Profile), currentId: Id.nullable() }) },
  /** The profile this window works in, or null before one is opened. */
  'profiles.current': { input: z.object({}), output: Profile.nullable() },
  /** Creates a standalone profile (no server) and opens it. */
  'profiles.createLocal': { input: z.object({ name: ShortText.min(1) }), output: Profile },
  /** Signs in to a tenant server; reuses this user's profile on that server or creates one; opens it. */
  'profiles.signIn': {
    input: z.object({
      serverUrl: ServerUrl,
      email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
      password: z.string().min(1).max(1024),
      tenant: z.string().regex(/^[a-z0-9-]{2,40}$/, 'expected an organisation slug').optional(),
      name: ShortText.min(1).optional(),
    }),
    output: Profile,
  },
  /** Makes a profile this window's current one; its events start arriving. */
  'profiles.open': { input: z.object({ id: Id }), output: Profile },
  /** Forgets the profile's tokens; its local data stays and it can sign in again. */
  'profiles.signOut': { input: z.object({ id: Id }), output: Profile },
  /** Deletes a profile and its local data. */
  'profiles.remove': { input: z.object({ id: Id }), output: z.object({ removed: z.literal(true) }) },
  /** The current profile's sync status; null for a standalone profile. */
  'sync.status': { input: z.object({}), output: SyncStatusOut.nullable() },
  /** Syncs now (push, then pull until in step); answers with the status after it, failed or not. */
  'sync.now': { input: z.object({}), output: SyncStatusOut },
  /** "Work offline": stop syncing (local writes go on into the outbox) or resume. */
  'sync.setWorkOffline': { input: z.object({ offline: z.boolean() }), output: SyncStatusOut },
});
export type HostApi = typeof HOST_API;

/** Everything a window may call: the client core's API and the host's methods. */
export const APP_API = mergeMethods(API, HOST_API);
export type AppApi = typeof APP_API;
export type AppMethodName = keyof AppApi & string;
export type AppInput<N extends AppMethodName> = InputOf<AppApi, N>;
export type AppOutput<N extends AppMethodName> = OutputOf<AppApi, N>;
