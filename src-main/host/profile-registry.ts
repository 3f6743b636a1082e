// The local profiles of one host: a JSON list beside one data directory per profile.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Profile } from '../../src-shared/api/host.api';

/** What is kept per profile; whether it is signed in comes from the token store. */
export const StoredProfile = Profile.omit({ signedIn: true });
export type StoredProfile = z.infer<typeof StoredProfile>;

const RegistryFile = z.object({ version: z.literal(1), profiles: z.array(StoredProfile) });

export interface ProfileRegistry {
  list(): StoredProfile[];
  get(id: string): StoredProfile | undefined;
  /** Adds or replaces a profile (by id) and writes the list. */
  put(profile: StoredProfile): void;
  remove(id: string): void;
  /** The profile's data directory (its SQLite store lives there). */
  dataDirOf(id: string): string;
}

export function openProfileRegistry(rootDir: string): ProfileRegistry {
  mkdirSync(rootDir, { recursive: true });
  const file = join(rootDir, 'profiles.json');
  let profiles = read(file);

  function write(): void {
    // Write then rename, so a crash mid-write never leaves a truncated list.
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, profiles }, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  }

  return {
    list: () => [...profiles],
    get: (id) => profiles.find((p) => p.id === id),
    put(profile) {
      profiles = [...profiles.filter((p) => p.id !== profile.id), profile];
      write();
    },
    remove(id) {
      profiles = profiles.filter((p) => p.id !== id);
      write();
    },
    dataDirOf: (id) => join(rootDir, 'profiles', id),
  };
}

function read(file: string): StoredProfile[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = RegistryFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a valid profile list: ${parsed.error.message}`);
  return parsed.data.profiles;
}
