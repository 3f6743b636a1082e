// Server-only tables for authentication, the per-tenant change version and server secrets; never replicated.
import { pgTable, bigint, text, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, ref, instant } from './columns';
import { users } from './accounts.table';

/** One argon2id hash per user; kept apart from `users` so a replicated user row never carries it. */
export const userCredentials = pgTable('user_credentials', {
  userId: ref('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  tenantId: ref('tenant_id').notNull(),
  passwordHash: text('password_hash').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

/** A desktop install registered by sign-in; its id is the sync client id. */
export const devices = pgTable('devices', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  userId: ref('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  createdAt: instant('created_at').notNull(),
  lastSeenAt: instant('last_seen_at').notNull(),
  revokedAt: instant('revoked_at'),
}, (t) => [index('devices_user_idx').on(t.tenantId, t.userId)]);

/** One sign-in: the family of refresh tokens rotated from it. Revoking it ends every token of the family. */
export const authSessions = pgTable('auth_sessions', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  userId: ref('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  deviceId: ref('device_id').notNull().references(() => devices.id, { onDelete: 'cascade' }),
  createdAt: instant('created_at').notNull(),
  revokedAt: instant('revoked_at'),
  /** Why it ended: 'signOut', 'reuse' (a rotated token came back), 'device' (the device was revoked). */
  revokedReason: text('revoked_reason'),
}, (t) => [index('auth_sessions_user_idx').on(t.tenantId, t.userId), index('auth_sessions_device_idx').on(t.deviceId)]);

/** Refresh tokens, stored as SHA-256 hashes; each is usable once (rotation). */
export const refreshTokens = pgTable('refresh_tokens', {
  id: id(),
  tenantId: ref('tenant_id').notNull(),
  sessionId: ref('session_id').notNull().references(() => authSessions.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  createdAt: instant('created_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  /** Set when the token was exchanged for its successor; a second use is a reuse. */
  usedAt: instant('used_at'),
}, (t) => [uniqueIndex('refresh_tokens_hash_idx').on(t.tokenHash), index('refresh_tokens_session_idx').on(t.sessionId)]);

/** The per-tenant change version: every write to a replicated table takes the next one (see tenant-version.ts). */
export const tenantVersions = pgTable('tenant_versions', {
  tenantId: ref('tenant_id').primaryKey(),
  /** The last change version taken. */
  version: bigint('version', { mode: 'number' }).notNull(),
  /**
   * The last version known durable: every change up to it has been flushed to disk. Pulls read up to it, and it
   * moves (and pokes) only with a synchronous commit (see src-server/db/tenant-version.ts).
   */
  durable: bigint('durable', { mode: 'number' }).notNull().default(0),
});

/** Secrets the server generates once and shares between its processes (e.g. the JWT signing key). */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: instant('created_at').notNull(),
});
