// Group commit for capture: a tenant's submissions that arrive while its last transaction runs are written together in the next.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { AppDb } from '../db/database';
import type { CaptureResult, PendingCapture } from './capture-store';
import { writeCaptureBatch } from './capture-store';

/*
 * Why batches: every write of a tenant takes the tenant's change version, whose row lock is held until commit, so a
 * tenant's transactions commit one after another, each waiting for its own WAL flush. One submission per transaction
 * would cap a tenant at one flush per lead (a few hundred a second on ordinary disks). Instead, one transaction per
 * tenant is in flight at a time, and whatever arrived meanwhile goes into the next one: a lone post is written at
 * once, a burst shares flushes. Each submission is still all-or-nothing: a batch that fails is retried one
 * submission per transaction, so one bad submission cannot take others down.
 */

export interface CaptureWriterOptions {
  db: AppDb;
  now: () => number;
  newId: () => string;
  /** Most submissions in one transaction. */
  maxBatch?: number;
  /** Most submissions waiting per tenant; beyond it a post is turned away with 429 (the server is overloaded). */
  maxQueued?: number;
  onError?: (err: unknown, tenantId: string) => void;
}

interface Entry {
  item: PendingCapture;
  resolve: (r: CaptureResult) => void;
  reject: (e: unknown) => void;
}

// Deadlock and serialization failures are worth another try; anything else is reported.
const TRANSIENT = new Set(['40001', '40P01']);
const isTransient = (err: unknown) => TRANSIENT.has(String((err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code));

export class CaptureWriter {
  private readonly queues = new Map<string, Entry[]>();
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly idle = new Set<() => void>();

  constructor(private readonly opts: CaptureWriterOptions) {
    this.maxBatch = opts.maxBatch ?? 200;
    this.maxQueued = opts.maxQueued ?? 10_000;
  }

  /** Resolves once the submission is committed (or found to be a retry); rejects with an AppError when refused. */
  submit(item: PendingCapture): Promise<CaptureResult> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(item.tenantId);
      if (queue && queue.length >= this.maxQueued) {
        reject(new AppError(ErrorCode.RATE_LIMITED, 'too many submissions are waiting; retry shortly', undefined, { retryAfterSeconds: 1 }));
        return;
      }
      const start = !queue;
      if (!queue) this.queues.set(item.tenantId, (queue = []));
      queue.push({ item, resolve, reject });
      if (start) void this.drain(item.tenantId, queue);
    });
  }

  /** Resolves when nothing is queued or being written (for a graceful stop). */
  whenIdle(): Promise<void> {
    if (this.queues.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  private async drain(tenantId: string, queue: Entry[]): Promise<void> {
    // The first submission starts a transaction at once; the ones arriving during it form the next batch.
    while (queue.length > 0) await this.write(tenantId, queue.splice(0, this.maxBatch));
    this.queues.delete(tenantId);
    if (this.queues.size === 0) for (const done of this.idle) done();
    if (this.queues.size === 0) this.idle.clear();
  }

  private async write(tenantId: string, batch: Entry[], attempt = 1): Promise<void> {
    try {
      const results = await writeCaptureBatch(this.opts.db, tenantId, batch.map((e) => e.item), {
        now: this.opts.now(),
        newId: this.opts.newId,
      });
      batch.forEach((e, i) => {
        const r = results[i]!;
        if (r instanceof AppError) e.reject(r);
        else e.resolve(r);
      });
    } catch (err) {
      if (batch.length > 1) {
        for (const e of batch) await this.write(tenantId, [e]);
      } else if (isTransient(err) && attempt < 3) {
        await this.write(tenantId, batch, attempt + 1);
      } else {
        this.opts.onError?.(err, tenantId);
        batch[0]!.reject(err);
      }
    }
  }
}
