// A named write with its rules: validated args, run against a MutationTx with time, ids and actor injected.
import type { z } from 'zod';
import type { Viewer } from '../domain/visibility';
import type { MutationTx } from './mutation-tx';

/** Who is writing (user, tenant, role, team, the teams they manage) with their role's permissions. */
export type Actor = Viewer;

export interface MutatorEnv {
  actor: Actor;
  /** The mutation's time (epoch ms); shared code never reads the clock. */
  now: number;
  /** Ids for incidental rows (history, events, notifications); rows the caller creates take their id from args. */
  newId: () => string;
}

export interface Mutator<A extends z.ZodType = z.ZodType> {
  name: string;
  args: A;
  /** Writes through `tx`; refuses by throwing an AppError, after which the caller rolls everything back. */
  run(tx: MutationTx, args: z.output<A>, env: MutatorEnv): Promise<void>;
}

export function defineMutator<A extends z.ZodType>(m: Mutator<A>): Mutator<A> {
  return m;
}

/** A mutation as recorded and replayed: a mutator name and its (unparsed) args. */
export interface Mutation {
  name: string;
  args: unknown;
}
