// The one funnel for local writes: a named mutation validated, run and committed in one SQLite transaction.
import type Database from 'better-sqlite3';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { Actor, Mutation, Mutator, MutatorEnv } from '../../src-shared/mutators/mutator';
import { SqliteMutationTx } from '../store/sqlite-mutation-tx';
import { WriteQueue } from './write-queue';

/** A mutation after validation, as the sync outbox will record it. */
export interface AppliedMutation {
  name: string;
  /** The args as parsed by the mutator's schema (defaults filled in). */
  args: unknown;
  now: number;
}

export interface CommittedChange {
  mutations: string[];
  /** Every table written, audit_log included. */
  tables: string[];
}

export interface WritePathOptions {
  sqlite: Database.Database;
  mutators: ReadonlyMap<string, Mutator>;
  actor: () => Actor;
  clock: () => number;
  newId: () => string;
  /**
   * SYNC HOOK: called inside the transaction right after a mutation's effects, before commit (or the bulk
   * savepoint's release). The sync client appends the mutation to its outbox here, so the optimistic effect and
   * the outbox entry commit or roll back together. Throwing rolls the mutation back.
   */
  onApplied?: (sqlite: Database.Database, mutation: AppliedMutation) => void;
  /**
   * SYNC HOOK: called inside the transaction after validation, right before a mutation runs. The sync client
   * records what the user saw of the fields about to change (the per-field merge's base) and starts capturing the
   * rows' server versions; throwing (e.g. READ_ONLY) refuses the mutation before it writes anything.
   */
  onBegin?: (sqlite: Database.Database, mutation: { name: string; args: unknown }) => void;
  /** Called after COMMIT, e.g. to tell the UI which tables changed. */
  onCommitted?: (change: CommittedChange) => void;
}

export type BulkOutcome = { ok: true } | { ok: false; error: AppError };

export interface DerivedWriteOptions {
  /**
   * false: foreign keys are not enforced during this write (switched off before BEGIN, on again after). Sync applies
   * server rows in pages whose parents may arrive in a later page; it keeps the links consistent itself.
   */
  foreignKeys?: boolean;
}

export interface WritePath {
  /** Validates, runs and commits one mutation; on any throw nothing is written. */
  applyMutation(name: string, args: unknown): Promise<AppliedMutation>;
  /**
   * Runs many mutations in one transaction. By default each runs in its own savepoint, so a refused one (its
   * AppError in the outcome) leaves the others applied; `atomic` refuses the whole batch on the first refusal.
   * An unexpected (non-AppError) failure always rolls back the whole batch and is thrown.
   */
  applyMutations(list: readonly Mutation[], opts?: { atomic?: boolean }): Promise<BulkOutcome[]>;
  /**
   * Writes derived data every side computes for itself (e.g. rescoring after decay): queued and transactional like
   * mutations, but neither a mutation (nothing to sync) nor audited. `tables` are reported as changed.
   */
  writeDerived<T>(tables: string[], write: (sqlite: Database.Database) => T, opts?: DerivedWriteOptions): Promise<T>;
  /**
   * Runs `job` in the write queue without a transaction of its own: no write of this connection runs meanwhile,
   * so another connection (a worker thread building indexes after a first sync) can write without meeting a lock.
   */
  exclusive<T>(job: () => Promise<T>): Promise<T>;
  /** Resolves when every queued write has finished. */
  drain(): Promise<void>;
}

/** A fast bulk pass met a refusal after writes it cannot undo alone; the batch is redone with savepoints. */
class NeedsSavepoints extends Error {}

export function createWritePath(o: WritePathOptions): WritePath {
  const queue = new WriteQueue();
  // Prepared once: exec() would parse these again for every row of a bulk write.
  const savepoint = o.sqlite.prepare('SAVEPOINT m');
  const release = o.sqlite.prepare('RELEASE m');
  const rollbackTo = o.sqlite.prepare('ROLLBACK TO m');

  function parse(m: Mutation): { mutator: Mutator; args: unknown } {
    const mutator = o.mutators.get(m.name);
    if (!mutator) throw new AppError(ErrorCode.UNKNOWN_METHOD, `unknown mutation ${m.name}`);
    const parsed = mutator.args.safeParse(m.args);
    if (!parsed.success) throw AppError.fromZod(parsed.error, `${m.name} args`);
    return { mutator, args: parsed.data };
  }

  function newTx(): { tx: SqliteMutationTx; env: MutatorEnv } {
    const env: MutatorEnv = { actor: o.actor(), now: o.clock(), newId: o.newId };
    return { tx: new SqliteMutationTx(o.sqlite, env), env };
  }

  async function runOne(mutator: Mutator, args: unknown, tables: Set<string>, { tx, env } = newTx()): Promise<AppliedMutation> {
    o.onBegin?.(o.sqlite, { name: mutator.name, args });
    await mutator.run(tx, args, env);
    const applied = { name: mutator.name, args, now: env.now };
    o.onApplied?.(o.sqlite, applied);
    for (const t of tx.touched) tables.add(t);
    return applied;
  }

  /**
   * One pass over a bulk list inside the open transaction. Without savepoints (the fast pass) a refusal is only
   * safe to skip when the mutation wrote nothing before refusing, as mutators normally check before they write;
   * otherwise the pass gives up (NeedsSavepoints) and the batch is redone with a savepoint per mutation, which
   * would cost a journal copy of every touched page if paid up front.
   */
  async function bulkPass(list: readonly Mutation[], atomic: boolean, withSavepoints: boolean, tables: Set<string>, done: string[]): Promise<BulkOutcome[]> {
    const outcomes: BulkOutcome[] = [];
    for (const m of list) {
      let parsed: { mutator: Mutator; args: unknown };
      try {
        parsed = parse(m);
      } catch (err) {
        if (atomic) throw err;
        outcomes.push({ ok: false, error: err as AppError });
        continue;
      }
      const run = newTx();
      if (withSavepoints) savepoint.run();
      try {
        await runOne(parsed.mutator, parsed.args, tables, run);
        if (withSavepoints) release.run();
        outcomes.push({ ok: true });
        done.push(m.name);
      } catch (err) {
        if (withSavepoints) {
          rollbackTo.run();
          release.run();
        }
        if (atomic || !(err instanceof AppError)) throw err;
        if (!withSavepoints && run.tx.touched.size > 0) throw new NeedsSavepoints();
        outcomes.push({ ok: false, error: err });
      }
    }
    return outcomes;
  }

  async function inTransaction<T>(body: (tables: Set<string>) => Promise<T>, names: () => string[]): Promise<T> {
    const tables = new Set<string>();
    // IMMEDIATE takes the write lock now, so a concurrent writer waits (busy_timeout) instead of failing at commit.
    o.sqlite.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = await body(tables);
      o.sqlite.exec('COMMIT');
    } catch (err) {
      if (o.sqlite.inTransaction) o.sqlite.exec('ROLLBACK');
      throw err;
    }
    if (tables.size > 0) o.onCommitted?.({ mutations: names(), tables: [...tables].sort() });
    return result;
  }

  return {
    applyMutation(name, args) {
      return queue.run(() => {
        const p = parse({ name, args });
        return inTransaction((tables) => runOne(p.mutator, p.args, tables), () => [name]);
      });
    },

    applyMutations(list, opts = {}) {
      const atomic = opts.atomic ?? false;
      return queue.run(async () => {
        let done: string[] = [];
        try {
          return await inTransaction((tables) => bulkPass(list, atomic, false, tables, done), () => done);
        } catch (err) {
          if (!(err instanceof NeedsSavepoints)) throw err;
          done = [];
          return inTransaction((tables) => bulkPass(list, atomic, true, tables, done), () => done);
        }
      });
    },

    writeDerived(tables, write, opts = {}) {
      return queue.run(async () => {
        const unchecked = opts.foreignKeys === false;
        if (unchecked) o.sqlite.pragma('foreign_keys = OFF');
        try {
          return await inTransaction(async (touched) => {
            const result = await write(o.sqlite);
            for (const t of tables) touched.add(t);
            return result;
          }, () => []);
        } finally {
          if (unchecked) o.sqlite.pragma('foreign_keys = ON');
        }
      });
    },

    exclusive: (job) => queue.run(job),

    drain: () => queue.drain(),
  };
}
