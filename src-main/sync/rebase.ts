// The rebase: the server's state put back under the optimistic one, then the still-pending mutations replayed on top.
import type Database from 'better-sqlite3';
import type { Actor, Mutation } from '../../src-shared/mutators/mutator';
import { MUTATORS } from '../../src-shared/mutators/registry';
import { upgradeMutation } from '../../src-shared/sync/mutation-versions';
import { SqliteMutationTx } from '../store/sqlite-mutation-tx';
import { prepared } from '../store/statement-cache';
import type { BaseCapture } from './base-capture';
import type { Outbox, OutboxEntry } from './outbox';
import type { ReplicaWriter } from './replica-writer';

/** The entry in the current form; null when this app cannot read it (outside the mutation window). */
function upgradeLocal(entry: OutboxEntry): Mutation | null {
  try {
    return upgradeMutation(entry);
  } catch {
    return null;
  }
}

export interface RebaseOptions {
  /** The server has processed every mutation up to this id: they leave the outbox (their effects came in the pull). */
  processedThrough: number;
  /** Who replays the pending mutations (read only when some are pending). */
  actor: () => Actor;
  newId: () => string;
}

export interface RebaseOutcome {
  replayed: number;
  /** Pending mutations the local rules now refuse: kept for the server to decide, with no local effect meanwhile. */
  failedLocally: number;
}

/**
 * Runs inside the caller's transaction. Design: the first change a pending mutation makes to a row records the row's
 * server version in sync_base (triggers, see base-capture.ts), and server rows for such rows are written there
 * instead of over the optimistic value. Restoring the bases therefore yields exactly the server's state; the pending
 * mutations then run again, in order, with their original times, recording fresh bases as they go.
 */
export async function rebase(sqlite: Database.Database, writer: ReplicaWriter, outbox: Outbox, capture: BaseCapture, o: RebaseOptions, touched: Set<string>): Promise<RebaseOutcome> {
  capture.set(false);
  writer.restoreBases(touched);
  outbox.removeThrough(o.processedThrough);
  let replayed = 0;
  let failedLocally = 0;
  let actor: Actor | null = null;
  for (const entry of outbox.pending()) {
    // An entry recorded by an older app version replays in the current form (the server upgrades it the same way).
    const current = upgradeLocal(entry);
    const mutator = current ? MUTATORS.get(current.name) : undefined;
    const parsed = current && mutator ? mutator.args.safeParse(current.args) : null;
    if (!mutator || !parsed?.success) {
      failedLocally++;
      continue;
    }
    const env = { actor: (actor ??= o.actor()), now: entry.clientTime, newId: o.newId };
    const tx = new SqliteMutationTx(sqlite, env);
    prepared(sqlite, 'SAVEPOINT replay').run();
    capture.set(true);
    try {
      await mutator.run(tx, parsed.data, env);
      prepared(sqlite, 'RELEASE replay').run();
      for (const t of tx.touched) touched.add(t);
      replayed++;
    } catch {
      prepared(sqlite, 'ROLLBACK TO replay').run();
      prepared(sqlite, 'RELEASE replay').run();
      failedLocally++;
    } finally {
      capture.set(false);
    }
  }
  writer.loadBaseKeys();
  return { replayed, failedLocally };
}
