// The reads of one database snapshot, shared by the pulls served in it: the same question is answered once.
import type { AppDb } from '../db/database';

export class SnapshotReads {
  private readonly answers = new Map<string, Promise<unknown>>();

  /** `tx` must hold one snapshot (a repeatable-read transaction), or the answers would not stay true. */
  constructor(readonly tx: AppDb) {}

  /** The answer to `key`, read by `read` the first time it is asked. */
  once<T>(key: string, read: (tx: AppDb) => Promise<T>): Promise<T> {
    let answer = this.answers.get(key) as Promise<T> | undefined;
    if (!answer) this.answers.set(key, (answer = read(this.tx)));
    return answer;
  }
}
