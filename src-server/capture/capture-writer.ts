// Group commit for capture: a tenant's submissions that arrive while its batches are being written go together in the next.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { DuplicateIndex } from '../../src-shared/domain/duplicate-detection';
import type { DuplicateCandidateFields } from '../../src-shared/domain/duplicate-keys';
import type { CaptureResult, PendingCapture } from './capture-store';
import { DEFERRED, writeCaptureBatch } from './capture-store';
import type { SqlRunner } from './capture-sql';

/*
 * Why batches: every write of a tenant takes the tenant's change version, whose row lock is held until commit, so a
 * tenant's writes commit one after another, each waiting for its own WAL flush; one submission per write would cap a
 * tenant at one flush per lead. Instead up to two batches per tenant are in flight at once (one being read and
 * decided while the other is written), and whatever arrives meanwhile goes into the next: a lone post is written at
 * once, a burst shares flushes and round trips. Each submission is still all-or-nothing: a batch that fails is retried one submission at
 * a time, so one bad submission cannot take others down.
 *
 * Batches in flight together cannot see each other's new leads in the database, so the writer remembers the leads it
 * has decided to create until every batch that might have missed them has finished; a submission matching one of
 * them waits for the next batch (see DEFERRED).
 */

export interface CaptureWriterOptions {
  db: SqlRunner;
  now: () => number;
  newId: () => string;
  /** Most submissions in one batch. */
  maxBatch?: number;
  /** Most batches of one tenant in flight at once. */
  maxInFlight?: number;
  /**
   * Fewest waiting submissions that start another batch while one is in flight. Below it they wait for the next to
   * finish, so batches stay large (per-batch costs are most of the cost); a lone post with nothing in flight goes at once.
   */
  overlapAt?: number;
  /** Most submissions waiting per tenant; beyond it a post is turned away with 429 (the server is overloaded). */
  maxQueued?: number;
  onError?: (err: unknown, tenantId: string) => void;
}

interface Entry {
  item: PendingCapture;
  resolve: (r: CaptureResult) => void;
  reject: (e: unknown) => void;
}

/** One tenant's work: waiting submissions, batches in flight, and the leads those batches may not see. */
interface Lane {
  queue: Entry[];
  inFlight: number;
  /** Batches finished so far; a batch started when `finished` was n sees in the database every lead finished by then. */
  finished: number;
  /** In-flight batch → `finished` when it started. */
  starts: Map<number, number>;
  recent: Map<string, { lead: DuplicateCandidateFields; finishedAt: number }>;
  index: DuplicateIndex;
}

// Deadlock and serialization failures are worth another try; anything else is reported.
const TRANSIENT = new Set(['40001', '40P01']);
const isTransient = (err: unknown) => TRANSIENT.has(String((err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code));

export class CaptureWriter {
  private readonly lanes = new Map<string, Lane>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly overlapAt: number;
  private readonly maxQueued: number;
  private readonly idle = new Set<() => void>();
  private batchIds = 0;

  constructor(private readonly opts: CaptureWriterOptions) {
    this.maxBatch = opts.maxBatch ?? 200;
    // One batch being written while the next is read and decided; more would only queue on the tenant's version lock.
    this.maxInFlight = opts.maxInFlight ?? 2;
    this.overlapAt = opts.overlapAt ?? 4;
    this.maxQueued = opts.maxQueued ?? 10_000;
  }

  /** Resolves once the submission is committed (or found to be a retry); rejects with an AppError when refused. */
  submit(item: PendingCapture): Promise<CaptureResult> {
    return new Promise((resolve, reject) => {
      let lane = this.lanes.get(item.tenantId);
      if (lane && lane.queue.length >= this.maxQueued) {
        reject(new AppError(ErrorCode.RATE_LIMITED, 'too many submissions are waiting; retry shortly', undefined, { retryAfterSeconds: 1 }));
        return;
      }
      if (!lane) {
        lane = { queue: [], inFlight: 0, finished: 0, starts: new Map(), recent: new Map(), index: new DuplicateIndex() };
        this.lanes.set(item.tenantId, lane);
      }
      lane.queue.push({ item, resolve, reject });
      this.pump(item.tenantId, lane);
    });
  }

  /** Resolves when nothing is queued or being written (for a graceful stop). */
  whenIdle(): Promise<void> {
    if (this.lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  private pump(tenantId: string, lane: Lane): void {
    while (lane.queue.length > 0 && (lane.inFlight === 0 || (lane.inFlight < this.maxInFlight && lane.queue.length >= this.overlapAt))) {
      const batch = lane.queue.splice(0, this.maxBatch);
      const id = ++this.batchIds;
      lane.inFlight++;
      lane.starts.set(id, lane.finished);
      void this.write(tenantId, lane, id, batch).then((deferred) => this.finish(tenantId, lane, id, deferred));
    }
  }

  private finish(tenantId: string, lane: Lane, id: number, deferred: Entry[]): void {
    lane.inFlight--;
    lane.starts.delete(id);
    lane.finished++;
    this.settleRecent(lane, id);
    // Something was committed: what was deferred for it may go now, ahead of newer submissions.
    lane.queue.unshift(...deferred);
    this.pump(tenantId, lane);
    if (lane.inFlight === 0 && lane.queue.length === 0) {
      this.lanes.delete(tenantId);
      if (this.lanes.size === 0) {
        for (const done of this.idle) done();
        this.idle.clear();
      }
    }
  }

  /** Marks the batch's leads finished and forgets those every batch still in flight started after. */
  private settleRecent(lane: Lane, id: number): void {
    const oldestStart = Math.min(lane.finished, ...lane.starts.values());
    for (const [leadId, r] of lane.recent) {
      if (r.finishedAt === -id) r.finishedAt = lane.finished;
      if (r.finishedAt >= 0 && r.finishedAt <= oldestStart) {
        lane.recent.delete(leadId);
        lane.index.remove(leadId);
      }
    }
  }

  /** Writes a batch and settles its submissions; returns those deferred to a later batch. */
  private async write(tenantId: string, lane: Lane, id: number, batch: Entry[], attempt = 1): Promise<Entry[]> {
    const decided: string[] = [];
    try {
      const answers = await writeCaptureBatch(this.opts.db, tenantId, batch.map((e) => e.item), {
        now: this.opts.now(),
        newId: this.opts.newId,
        recentNear: (probe) => lane.index.candidatesFor(probe).map((leadId) => lane.recent.get(leadId)!.lead),
        onDecided: (created) => {
          // Held as "in flight" (a negative mark naming the batch) until the batch finishes.
          for (const lead of created) {
            lane.recent.set(lead.id, { lead, finishedAt: -id });
            lane.index.add(lead);
            decided.push(lead.id);
          }
        },
      });
      const deferred: Entry[] = [];
      batch.forEach((e, i) => {
        const a = answers[i]!;
        if (a === DEFERRED) deferred.push(e);
        else if (a instanceof AppError) e.reject(a);
        else e.resolve(a);
      });
      return deferred;
    } catch (err) {
      // Nothing of the batch was written: its leads are no one's duplicates.
      for (const leadId of decided) {
        lane.recent.delete(leadId);
        lane.index.remove(leadId);
      }
      if (batch.length > 1) {
        // Alone, each submission succeeds or fails on its own.
        const deferred: Entry[] = [];
        for (const e of batch) deferred.push(...(await this.write(tenantId, lane, id, [e])));
        return deferred;
      }
      if (isTransient(err) && attempt < 3) return this.write(tenantId, lane, id, batch, attempt + 1);
      this.opts.onError?.(err, tenantId);
      batch[0]!.reject(err);
      return [];
    }
  }
}
