// The key access tokens are signed with: JWT_SECRET when configured, else one generated once and kept in the database.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppDb } from '../db/database';
import { serverSecrets } from '../db/schema/auth.table';

const NAME = 'jwt-signing-key';

/**
 * Kept in the database (not a file) so every server process on one PostgreSQL signs with the same key and the
 * embedded default needs no setup; whoever can read the database can read every record anyway.
 */
export async function loadSigningKey(db: AppDb, configured: string | null, now: number): Promise<Uint8Array> {
  if (configured !== null) return new TextEncoder().encode(configured);
  await db.insert(serverSecrets).values({ name: NAME, value: randomBytes(32).toString('base64url'), createdAt: now }).onConflictDoNothing();
  const [row] = await db.select({ value: serverSecrets.value }).from(serverSecrets).where(eq(serverSecrets.name, NAME));
  if (!row) throw new Error('the JWT signing key could not be stored');
  return Buffer.from(row.value, 'base64url');
}
