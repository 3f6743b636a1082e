// Where a profile's server session (tokens, user, client id) is kept: one file per profile, encrypted when a cipher is given.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SessionResponse } from '../../src-shared/http/auth.http';

/** The tenant server's answer to a sign-in or refresh: tokens, the user, the tenant, and the client id. */
export const StoredSession = SessionResponse;
export type StoredSession = SessionResponse;

export interface TokenStore {
  load(profileId: string): Promise<StoredSession | null>;
  save(profileId: string, session: StoredSession): Promise<void>;
  remove(profileId: string): Promise<void>;
}

/** Encrypts tokens at rest (Electron's safeStorage in the desktop app). */
export interface TokenCipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Files readable by the user only; with a cipher their content is encrypted too. A file that cannot be read back
 * (a different OS key, corruption) counts as signed out rather than failing the profile.
 */
export function createFileTokenStore(dir: string, cipher?: TokenCipher): TokenStore {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileOf = (profileId: string) => {
    // Profile ids become file names: refuse anything that could leave the directory.
    if (!SAFE_ID.test(profileId)) throw new Error(`not a profile id: ${profileId}`);
    return join(dir, cipher ? `${profileId}.bin` : `${profileId}.json`);
  };
  return {
    async load(profileId) {
      let raw: Buffer;
      try {
        raw = readFileSync(fileOf(profileId));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      try {
        const text = cipher ? cipher.decrypt(raw) : raw.toString('utf8');
        const parsed = StoredSession.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async save(profileId, tokens) {
      const text = JSON.stringify(StoredSession.parse(tokens));
      const file = fileOf(profileId);
      writeFileSync(file, cipher ? cipher.encrypt(text) : text, { mode: 0o600 });
      chmodSync(file, 0o600);
    },
    async remove(profileId) {
      rmSync(fileOf(profileId), { force: true });
    },
  };
}

/** Tokens kept for the life of the process only (when no safe place exists, and in tests). */
export function createMemoryTokenStore(): TokenStore {
  const tokens = new Map<string, StoredSession>();
  return {
    load: async (id) => tokens.get(id) ?? null,
    save: async (id, t) => void tokens.set(id, StoredSession.parse(t)),
    remove: async (id) => void tokens.delete(id),
  };
}
