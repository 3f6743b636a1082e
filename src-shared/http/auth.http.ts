// The server's authentication contract: sign-in, token refresh, sign-out and the signed-in user.
import { z } from 'zod';
import { Id, Instant, ShortText } from '../domain/common.schema';
import { Role, Tenant, User } from '../domain/accounts.schema';

export const ACCESS_TOKEN_TTL_MS = 15 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3_600_000;

export const SignInRequest = z.strictObject({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(1).max(1024),
  /** The organisation's slug; needed only when the same email and password open several. */
  tenant: z.string().regex(/^[a-z0-9-]{2,40}$/, 'expected an organisation slug').optional(),
  /** Shown in the device list, e.g. "Rita's laptop". */
  deviceName: ShortText.min(1).optional(),
  /** The desktop install's client id from an earlier sign-in; omitted on a first sign-in, the server makes one. */
  clientId: Id.optional(),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const RefreshRequest = z.strictObject({
  refreshToken: z.string().min(16).max(200),
});
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const SignOutRequest = z.strictObject({
  /** Also revoke this device: its client id can no longer sign in or sync. */
  revokeDevice: z.boolean().default(false),
});
export type SignOutRequest = z.infer<typeof SignOutRequest>;

export const SessionResponse = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: Instant,
  /** Usable once: each refresh returns its successor; using a spent one ends the session. */
  refreshToken: z.string(),
  refreshTokenExpiresAt: Instant,
  user: User,
  tenant: Tenant,
  clientId: Id,
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const MeResponse = z.object({
  user: User,
  tenant: Tenant,
  role: Role.pick({ name: true, permissions: true, approvalLimitMinor: true }),
  /** Teams this user manages (their records are visible to a manager holding the view-team permissions). */
  managedTeamIds: z.array(Id),
  clientId: Id,
});
export type MeResponse = z.infer<typeof MeResponse>;
