// Password hashing with argon2id; verification that takes as long for an unknown user as for a wrong password.
import argon2 from 'argon2';

/**
 * OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). The package default (64 MiB, 3 passes, 4 lanes) took about
 * a second per sign-in on the 2-core machines this runs on. Each hash records its parameters, so raising them later
 * only affects new hashes.
 */
const PARAMS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PARAMS);
}

/** False for a wrong password or a hash that cannot be read, never a throw. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/** Spends the time of one verification, so "no such user" cannot be told from "wrong password" by timing. */
export async function spendVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('not the password of anyone');
  await verifyPassword(await dummyHash, password);
}
