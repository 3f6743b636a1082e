// The lead queue's rows as a sparse window of pages over `leads.queue`: the pages in view are fetched (by cursor after a
// loaded page, by offset after a jump), far ones are dropped, and a reload swaps the whole window at once.
import type { LeadQueueRow } from '../../src-shared/api/leads.api';
import type { QueueQuery } from './lead-queue.query';

export interface PageInput extends QueueQuery {
  limit: number;
  cursor?: string;
  offset?: number;
  withTotal?: boolean;
}

export interface PageOutput {
  rows: LeadQueueRow[];
  total: number | null;
  nextCursor: string | null;
}

export type FetchPage = (input: PageInput) => Promise<PageOutput>;

export const PAGE_SIZE = 100;

export interface PagerOptions {
  pageSize?: number;
  /** Pages kept in memory; the ones farthest from the view go first. */
  maxPages?: number;
  /** Told of every failed fetch (once per page and load). */
  onError?: (err: unknown) => void;
}

/**
 * Keeps the rows of one query. `setQuery` starts over (the old rows stay shown until the first page of the new query
 * arrives), `refresh` fetches again the pages in view after a write (the total too) and drops the rest, `ensure`
 * fetches the pages of the index range the list shows. Every answer of a superseded load is dropped.
 */
export class QueuePager {
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly onError: (err: unknown) => void;
  private query: QueueQuery | null = null;
  private epoch = 0;
  private pages = new Map<number, LeadQueueRow[]>();
  /** The cursor after each page fetched in this load: the next page is fetched by it rather than by offset. */
  private cursors = new Map<number, string>();
  private inflight = new Set<number>();
  private failed = new Set<number>();
  private reloading = false;
  private reloadAgain = false;
  private wanted: [number, number] = [0, 0];
  private readonly listeners = new Set<() => void>();
  /** Every match of the query; null until its first page arrives. */
  total: number | null = null;
  /** Changes whenever what `rowAt` answers may have changed (React's useSyncExternalStore reads it). */
  version = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    options: PagerOptions = {},
  ) {
    this.pageSize = options.pageSize ?? PAGE_SIZE;
    this.maxPages = options.maxPages ?? 50;
    this.onError = options.onError ?? (() => undefined);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Whether any fetch is under way. */
  get loading(): boolean {
    return this.reloading || this.inflight.size > 0;
  }

  /** Whether a new query or a refresh is under way (the rows shown are about to be replaced). */
  get replacing(): boolean {
    return this.reloading;
  }

  currentQuery(): QueueQuery | null {
    return this.query;
  }

  rowAt(index: number): LeadQueueRow | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** The rows in memory with their indexes, in order. */
  loaded(): { index: number; row: LeadQueueRow }[] {
    const out: { index: number; row: LeadQueueRow }[] = [];
    for (const p of [...this.pages.keys()].sort((a, b) => a - b)) {
      this.pages.get(p)!.forEach((row, i) => out.push({ index: p * this.pageSize + i, row }));
    }
    return out;
  }

  indexOf(id: string): number {
    for (const [p, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === id);
      if (i >= 0) return p * this.pageSize + i;
    }
    return -1;
  }

  /** Starts over with another query, from its first page. */
  setQuery(query: QueueQuery): Promise<void> {
    this.query = query;
    this.wanted = [0, 0];
    this.reloadAgain = false;
    return this.reload(0, 0);
  }

  /** Fetches again the pages around the rows in view (a write may have changed them), keeping the scroll position meaningful. */
  refresh(): Promise<void> {
    if (!this.query) return Promise.resolve();
    if (this.reloading) {
      // A burst of writes (a sync) makes one more refresh after the current one, not one each.
      this.reloadAgain = true;
      return Promise.resolve();
    }
    return this.reload(Math.floor(this.wanted[0] / this.pageSize), Math.floor(this.wanted[1] / this.pageSize));
  }

  /** The list shows rows first..last (overscan included): fetches the pages among them not in memory. */
  ensure(first: number, last: number): void {
    this.wanted = [Math.max(0, first), Math.max(0, last)];
    if (this.reloading || !this.query || this.total === null) return;
    const lastIndex = Math.min(this.wanted[1], this.total - 1);
    // Missing pages in a row are fetched one after the other, so each but the first goes by its predecessor's cursor.
    let run: number[] = [];
    for (let p = Math.floor(this.wanted[0] / this.pageSize); p * this.pageSize <= lastIndex; p++) {
      if (!this.pages.has(p) && !this.inflight.has(p) && !this.failed.has(p)) run.push(p);
      else if (run.length > 0) {
        void this.fetchRun(run);
        run = [];
      }
    }
    if (run.length > 0) void this.fetchRun(run);
  }

  /** Shows a write's result at once (the refresh that follows its `changed` event confirms it). */
  patchRow(id: string, patch: Partial<LeadQueueRow>): void {
    for (const [p, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === id);
      if (i < 0) continue;
      const next = rows.slice();
      next[i] = { ...rows[i]!, ...patch };
      this.pages.set(p, next);
      this.changed();
      return;
    }
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  private pageInput(p: number): PageInput {
    const cursor = this.cursors.get(p - 1);
    const paging = p === 0 ? {} : cursor ? { cursor } : { offset: p * this.pageSize };
    return { ...this.query!, limit: this.pageSize, ...paging };
  }

  /** Fetches pages first..last in one go (the first with the total, the rest by cursor) and swaps them in together. */
  private async reload(first: number, last: number): Promise<void> {
    const epoch = ++this.epoch;
    this.reloading = true;
    this.inflight.clear();
    this.changed();
    const pages = new Map<number, LeadQueueRow[]>();
    const cursors = new Map<number, string>();
    let total: number | null = null;
    try {
      for (let p = first; p <= last; p++) {
        const prev = cursors.get(p - 1);
        const input: PageInput = { ...this.query!, limit: this.pageSize, ...(p === first ? { withTotal: true } : {}) };
        if (prev) input.cursor = prev;
        else if (p > 0) input.offset = p * this.pageSize;
        const out = await this.fetchPage(input);
        if (epoch !== this.epoch) return;
        if (p === first) total = out.total ?? 0;
        pages.set(p, out.rows);
        if (out.nextCursor) cursors.set(p, out.nextCursor);
        if (!out.nextCursor) break;
      }
    } catch (err) {
      if (epoch !== this.epoch) return;
      this.reloading = false;
      this.reloadAgain = false;
      this.changed();
      this.onError(err);
      return;
    }
    // The view was past the end (leads left the queue): show the last page instead of nothing.
    if (total !== null && total > 0 && pages.get(first)?.length === 0 && first > 0) {
      this.wanted = [0, 0];
      return this.reload(0, 0);
    }
    this.pages = pages;
    this.cursors = cursors;
    this.failed.clear();
    this.total = total;
    this.reloading = false;
    this.changed();
    if (this.reloadAgain) {
      this.reloadAgain = false;
      return this.refresh();
    }
    this.ensure(...this.wanted);
  }

  private async fetchRun(run: number[]): Promise<void> {
    const epoch = this.epoch;
    for (const p of run) this.inflight.add(p);
    for (const p of run) {
      const ok = await this.fetchOne(p, epoch);
      if (!ok) {
        if (epoch === this.epoch) for (const q of run) this.inflight.delete(q);
        return;
      }
    }
  }

  /** Whether the page came in (and the run may go on). */
  private async fetchOne(p: number, epoch: number): Promise<boolean> {
    try {
      const out = await this.fetchPage(this.pageInput(p));
      if (epoch !== this.epoch) return false;
      this.inflight.delete(p);
      this.pages.set(p, out.rows);
      if (out.nextCursor) this.cursors.set(p, out.nextCursor);
      // A short page ends the queue: the total follows what is really there.
      if (out.rows.length < this.pageSize && this.total !== null) this.total = Math.min(this.total, p * this.pageSize + out.rows.length);
      this.evictFar();
      this.changed();
      return out.nextCursor !== null;
    } catch (err) {
      if (epoch !== this.epoch) return false;
      this.failed.add(p);
      this.changed();
      this.onError(err);
      return false;
    }
  }

  private evictFar(): void {
    if (this.pages.size <= this.maxPages) return;
    const centre = (this.wanted[0] + this.wanted[1]) / 2 / this.pageSize;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const p of far.slice(0, this.pages.size - this.maxPages)) this.pages.delete(p);
  }
}

/**
 * Every row of the query, page by page along the cursor (a keyset, so rows written meanwhile neither repeat nor go
 * missing), telling `onProgress` after each page; stops with an AbortError when `signal` aborts.
 */
export async function fetchAllRows(fetchPage: FetchPage, query: QueueQuery, onProgress: (done: number, total: number) => void, signal?: AbortSignal, pageSize = 500): Promise<LeadQueueRow[]> {
  const rows: LeadQueueRow[] = [];
  let cursor: string | undefined;
  let total = 0;
  for (;;) {
    signal?.throwIfAborted();
    const out = await fetchPage({ ...query, limit: pageSize, ...(cursor ? { cursor } : { withTotal: true }) });
    if (!cursor) total = out.total ?? 0;
    rows.push(...out.rows);
    total = Math.max(total, rows.length);
    onProgress(rows.length, out.nextCursor ? total : rows.length);
    if (!out.nextCursor) return rows;
    cursor = out.nextCursor;
  }
}
