// The outbox: mutations applied locally, in order, until the server has processed them.
import type Database from 'better-sqlite3';
import { PROTOCOL_VERSION } from '../../src-shared/sync/sync-protocol';
import type { SyncMutation } from '../../src-shared/sync/sync-protocol';
import { prepared } from '../store/statement-cache';
import type { SyncState } from './sync-state';

export interface OutboxEntry {
  mutationId: number;
  name: string;
  args: unknown;
  base: Record<string, Record<string, unknown>> | null;
  clientTime: number;
  protocolVersion: number;
}

interface RawEntry {
  mutation_id: number;
  name: string;
  args: string;
  base: string | null;
  client_time: number;
  protocol_version: number;
}

const fromRaw = (r: RawEntry): OutboxEntry => ({
  mutationId: r.mutation_id, name: r.name, args: JSON.parse(r.args), base: r.base === null ? null : JSON.parse(r.base), clientTime: r.client_time, protocolVersion: r.protocol_version,
});

export class Outbox {
  constructor(private readonly sqlite: Database.Database, private readonly state: SyncState) {}

  /** Appends inside the caller's transaction (the write path's onApplied), so the entry commits with the effect. */
  append(m: { name: string; args: unknown; now: number }, base: OutboxEntry['base']): number {
    const id = this.state.get('nextMutationId') ?? 1;
    prepared(this.sqlite, 'INSERT INTO outbox (mutation_id, name, args, base, client_time, protocol_version) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, m.name, JSON.stringify(m.args), base === null ? null : JSON.stringify(base), m.now, PROTOCOL_VERSION);
    this.state.set('nextMutationId', id + 1);
    return id;
  }

  /** Pending entries in order, from the oldest. */
  pending(limit = -1): OutboxEntry[] {
    return (prepared(this.sqlite, 'SELECT * FROM outbox ORDER BY mutation_id LIMIT ?').all(limit) as RawEntry[]).map(fromRaw);
  }

  /** Pending entries after `mutationId` (those the server has not seen yet), from the oldest. */
  after(mutationId: number, limit: number): OutboxEntry[] {
    return (prepared(this.sqlite, 'SELECT * FROM outbox WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?').all(mutationId, limit) as RawEntry[]).map(fromRaw);
  }

  count(): number {
    return (prepared(this.sqlite, 'SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /**
   * Renumbers every pending entry so the oldest becomes `firstId`, keeping their order, and continues the ids after
   * them. For a server whose record of this client id does not match this store's (a new device id after a sign-in,
   * a store restored from an old copy): the pending entries have never been processed under these numbers.
   */
  renumberFrom(firstId: number): void {
    const oldest = (prepared(this.sqlite, 'SELECT min(mutation_id) AS m FROM outbox').get() as { m: number | null }).m;
    if (oldest === null || oldest === firstId) return;
    // Through negatives, so no renumbered id meets an old one in the primary key.
    prepared(this.sqlite, 'UPDATE outbox SET mutation_id = -mutation_id').run();
    prepared(this.sqlite, 'UPDATE outbox SET mutation_id = -mutation_id + ?').run(firstId - oldest);
    const newest = (prepared(this.sqlite, 'SELECT max(mutation_id) AS m FROM outbox').get() as { m: number }).m;
    this.state.set('nextMutationId', newest + 1);
  }

  /** Forgets entries the server has processed (applied or refused). */
  removeThrough(mutationId: number): void {
    prepared(this.sqlite, 'DELETE FROM outbox WHERE mutation_id <= ?').run(mutationId);
  }
}

export function toSyncMutation(clientId: string, e: OutboxEntry): SyncMutation {
  return { clientId, mutationId: e.mutationId, name: e.name, args: e.args, clientTime: e.clientTime, protocolVersion: e.protocolVersion, ...(e.base ? { base: e.base } : {}) };
}
