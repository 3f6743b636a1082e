// The write path's sync hooks: refuse writes in read-only mode, note the merge base, capture server versions, and
// append each mutation to the outbox in the transaction of its optimistic effect.
import type Database from 'better-sqlite3';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { MERGE_RULES, baseOf } from '../../src-shared/sync/merge-rules';
import type { AppliedMutation } from '../core/write-path';
import { codecOf } from '../store/entity-codecs';
import { preparedRaw } from '../store/statement-cache';
import { installBaseCapture } from './base-capture';
import type { BaseCapture } from './base-capture';
import { Outbox } from './outbox';
import type { OutboxEntry } from './outbox';
import { SyncState } from './sync-state';

export interface AttachedStore {
  sqlite: Database.Database;
  capture: BaseCapture;
  outbox: Outbox;
  state: SyncState;
}

export class SyncHooks {
  private attached: AttachedStore | null = null;
  private base: OutboxEntry['base'] = null;
  /** Set while the server cannot serve this desktop: every local write is refused with this message. */
  readOnly: string | null = null;
  /** Called after each appended mutation (outside nothing: still inside its transaction). */
  onAppended: (() => void) | null = null;

  /** Installs the capture on the store's connection; idempotent. */
  attach(sqlite: Database.Database): AttachedStore {
    if (this.attached?.sqlite === sqlite) return this.attached;
    const state = new SyncState(sqlite);
    this.attached = { sqlite, capture: installBaseCapture(sqlite), outbox: new Outbox(sqlite, state), state };
    this.readOnly = state.get('readOnly')?.message ?? null;
    return this.attached;
  }

  readonly onBegin = (sqlite: Database.Database, m: { name: string; args: unknown }): void => {
    if (this.readOnly) throw new AppError(ErrorCode.READ_ONLY, this.readOnly);
    const { capture } = this.attach(sqlite);
    const rule = MERGE_RULES[m.name];
    this.base = rule
      ? baseOf(rule, m.args, (id) => {
          const c = codecOf(rule.table);
          const raw = preparedRaw(sqlite, `SELECT ${c.selectList} FROM "${rule.table}" WHERE "${c.pk.sql}" = ?`).get(id) as unknown[] | undefined;
          return raw ? (c.fromRaw(raw) as Record<string, unknown>) : undefined;
        }) ?? null
      : null;
    capture.set(true);
  };

  readonly onApplied = (sqlite: Database.Database, m: AppliedMutation): void => {
    const { capture, outbox } = this.attach(sqlite);
    capture.set(false);
    outbox.append(m, this.base);
    this.base = null;
    this.onAppended?.();
  };
}
