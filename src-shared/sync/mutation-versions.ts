// Mutations recorded under older protocol versions: the window they are accepted in, and the upgraders that bring a
// mutator's args from one version's form to the next, so an outbox kept through an app upgrade still applies.
import { AppError, ErrorCode } from '../api/errors';
import type { Mutation } from '../mutators/mutator';
import { MIN_MUTATION_VERSION, PROTOCOL_VERSION } from './sync-protocol';

/** Turns a mutation in version v's form into version v + 1's (its args, or its name for a renamed mutator). */
export type MutationUpgrader = (m: Mutation) => Mutation;

/** Per version v, the upgraders from v to v + 1 by the mutator's name under v; a mutator without one kept its args. */
export type MutationUpgrades = Readonly<Record<number, Readonly<Record<string, MutationUpgrader>>>>;

/**
 * Add an entry here when a new PROTOCOL_VERSION changes a mutator's args or name. Only args change between protocol
 * versions: the merge base a mutation carries holds replicated fields, whose shape is fixed by SCHEMA_VERSION (which
 * client and server must share). Empty: no mutator has changed since version 1.
 */
export const MUTATION_UPGRADES: MutationUpgrades = {};

/** The versions whose mutations are accepted: `oldest` up to `current` (the protocol this side speaks). */
export interface MutationWindow {
  oldest: number;
  current: number;
}

export const MUTATION_WINDOW: MutationWindow = { oldest: MIN_MUTATION_VERSION, current: PROTOCOL_VERSION };

/**
 * The mutation in the current version's form. A mutation recorded before the window is refused (VALIDATION on its
 * protocolVersion: the caller records the refusal, so it syncs back and the outbox moves on); one from after it
 * cannot be read by this side at all (READ_ONLY: it waits for this side's upgrade).
 */
export function upgradeMutation(m: Mutation & { protocolVersion: number }, upgrades: MutationUpgrades = MUTATION_UPGRADES, window: MutationWindow = MUTATION_WINDOW): Mutation {
  const details = { mutationVersion: m.protocolVersion, oldestAccepted: window.oldest, current: window.current };
  if (m.protocolVersion < window.oldest) {
    throw new AppError(
      ErrorCode.VALIDATION,
      `${m.name} was made by an app version too old for the server (sync protocol ${m.protocolVersion}; the oldest still accepted is ${window.oldest}), so it was not applied`,
      [{ path: 'protocolVersion', message: `older than ${window.oldest}, the oldest version accepted` }],
      details,
    );
  }
  if (m.protocolVersion > window.current) {
    throw new AppError(ErrorCode.READ_ONLY, `${m.name} was made by a newer app (sync protocol ${m.protocolVersion}; this side speaks ${window.current}): it waits for the upgrade`, undefined, details);
  }
  let out: Mutation = { name: m.name, args: m.args };
  for (let v = m.protocolVersion; v < window.current; v++) {
    const upgrade = upgrades[v]?.[out.name];
    if (upgrade) out = upgrade(out);
  }
  return out;
}
