// The server's side of versions: what it speaks, the refusal a desktop it cannot serve receives, and which recorded
// mutations it accepts (the mutation window) in the current form (the upgraders).
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { Mutation } from '../../src-shared/mutators/mutator';
import { MUTATION_UPGRADES, MUTATION_WINDOW, upgradeMutation } from '../../src-shared/sync/mutation-versions';
import type { MutationUpgrades, MutationWindow } from '../../src-shared/sync/mutation-versions';
import { THIS_VERSION, versionsCompatible } from '../../src-shared/sync/sync-protocol';
import type { SyncMutation, VersionMismatch } from '../../src-shared/sync/sync-protocol';

export interface MutationPolicy {
  window: MutationWindow;
  upgrades: MutationUpgrades;
}

let policy: MutationPolicy = { window: MUTATION_WINDOW, upgrades: MUTATION_UPGRADES };

/**
 * Replaces the mutation window and upgraders (the tests stand in a later server's, with older versions to accept);
 * returns the function that puts the previous ones back.
 */
export function setMutationPolicy(next: MutationPolicy): () => void {
  const previous = policy;
  policy = next;
  return () => {
    policy = previous;
  };
}

/**
 * Refuses with READ_ONLY (the desktop keeps its outbox and stops writing) unless the versions are compatible, or when
 * a mutation was recorded under a protocol newer than this server reads (it waits for the server's upgrade).
 */
export function requireCompatible(client: { protocolVersion: number; schemaVersion: number; mutations?: readonly Pick<SyncMutation, 'protocolVersion'>[] }): void {
  const newest = Math.max(0, ...(client.mutations ?? []).map((m) => m.protocolVersion));
  if (versionsCompatible(THIS_VERSION, client) && newest <= policy.window.current) return;
  const details: VersionMismatch = { server: THIS_VERSION, client: { protocolVersion: client.protocolVersion, schemaVersion: client.schemaVersion } };
  const tooOld = client.protocolVersion < THIS_VERSION.minProtocolVersion || client.schemaVersion < THIS_VERSION.schemaVersion;
  throw new AppError(
    ErrorCode.READ_ONLY,
    tooOld ? 'this desktop app is too old for the server: upgrade it to sync again (your offline changes are kept)' : 'the server is older than this desktop app: sync resumes once the server is upgraded (your offline changes are kept)',
    undefined,
    details as unknown as Record<string, unknown>,
  );
}

/** A pushed mutation in the current form; an AppError, recorded as its refusal, when it is older than the window. */
export function upgradeForServer(m: SyncMutation): Mutation {
  return upgradeMutation(m, policy.upgrades, policy.window);
}
