// The server's side of version advertisement: what it speaks, and the refusal a desktop it cannot serve receives.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { THIS_VERSION, versionsCompatible } from '../../src-shared/sync/sync-protocol';
import type { VersionMismatch } from '../../src-shared/sync/sync-protocol';

/** Refuses with READ_ONLY (the desktop keeps its outbox and stops writing) unless the versions are compatible. */
export function requireCompatible(client: { protocolVersion: number; schemaVersion: number }): void {
  if (versionsCompatible(THIS_VERSION, client)) return;
  const details: VersionMismatch = { server: THIS_VERSION, client: { protocolVersion: client.protocolVersion, schemaVersion: client.schemaVersion } };
  const tooOld = client.protocolVersion < THIS_VERSION.minProtocolVersion || client.schemaVersion < THIS_VERSION.schemaVersion;
  throw new AppError(
    ErrorCode.READ_ONLY,
    tooOld ? 'this desktop app is too old for the server: upgrade it to sync again (your offline changes are kept)' : 'the server is older than this desktop app: sync resumes once the server is upgraded (your offline changes are kept)',
    undefined,
    details as unknown as Record<string, unknown>,
  );
}
