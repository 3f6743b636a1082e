// The seam where the sync engine joins a signed-in profile: the host attaches it on open and closes it on sign-out.
import type { Profile } from '../../src-shared/api/host.api';
import type { ClientCore } from '../core/client-core';
import type { StoredTokens } from './token-store';

export interface ProfileSyncContext {
  profile: Profile;
  core: ClientCore;
  /** The profile's server session; save a refreshed one so the next start uses it. */
  tokens: { load(): Promise<StoredTokens | null>; save(tokens: StoredTokens): Promise<void> };
  /** Sends an event to every window working in this profile (e.g. sync status). */
  emit(event: string, payload: unknown): void;
  logError(message: string, err: unknown): void;
}

export interface ProfileSync {
  /**
   * Methods of the API this sync engine answers itself (e.g. a sync status); their input arrives already
   * validated against the contract. Every other method goes to the client core.
   */
  handlers?: Readonly<Record<string, (input: unknown) => Promise<unknown>>>;
  close(): Promise<void>;
}

/** Called when a signed-in server profile opens (or signs in again); null means no sync for it. */
export type AttachSync = (ctx: ProfileSyncContext) => ProfileSync | null;

/** The hosts' default until a sync engine is plugged in here: profiles work locally, nothing is pushed or pulled. */
export const attachDefaultSync: AttachSync = () => null;
