// Fetches a pull's pages ahead of their apply, up to a number of pages and of bytes: the server goes on producing
// pages while the replica applies one or waits on a build of its indexes. Each page's request needs the position the
// last one ended at, so the pages are asked for one after another.
import type { PullPosition, PullResponse } from '../../src-shared/sync/sync-protocol';

export interface AheadLimits {
  /** Pages waiting or under way, at most. */
  pages: number;
  /** Bytes of the pages waiting (as `weigh` counts them), at most. */
  bytes: number;
  weigh: (page: PullResponse) => number;
}

export class PagesAhead {
  private readonly pages: Promise<PullResponse>[] = [];
  /** The weight of each page that has arrived (and is not taken yet). */
  private readonly arrived = new Map<Promise<PullResponse>, number>();
  /** The last page fetched, when it was not followed up because enough pages were waiting. */
  private paused: PullResponse | null = null;
  private stopped = false;

  /** `first` is the request of the first page; `next` asks for the page after a position. */
  constructor(first: Promise<PullResponse>, private readonly next: (after: PullPosition) => Promise<PullResponse>, private readonly limits: AheadLimits) {
    this.add(first);
  }

  /** The next page, in order; a failed fetch fails here, and nothing is fetched after it. */
  take(): Promise<PullResponse> {
    const page = this.pages.shift();
    if (!page) throw new Error('no page is left to take');
    this.arrived.delete(page);
    if (this.paused && !this.full()) {
      const after = this.paused;
      this.paused = null;
      this.follow(after);
    }
    return page;
  }

  /** How many pages have arrived and wait to be taken. */
  waiting(): number {
    return this.arrived.size;
  }

  /** Fetches nothing more (a fetch under way is let go). */
  stop(): void {
    this.stopped = true;
  }

  private add(page: Promise<PullResponse>): void {
    // Its failure is the taker's to see: not an unhandled rejection meanwhile.
    page.catch(() => {});
    this.pages.push(page);
    page.then((p) => {
      if (this.pages.includes(page)) this.arrived.set(page, this.limits.weigh(p));
      if (this.stopped || !p.hasMore) return;
      if (this.full()) this.paused = p;
      else this.follow(p);
    }, () => {});
  }

  private full(): boolean {
    let bytes = 0;
    for (const w of this.arrived.values()) bytes += w;
    return this.pages.length >= this.limits.pages || bytes >= this.limits.bytes;
  }

  private follow(page: PullResponse): void {
    if (!this.stopped) this.add(this.next(page.position));
  }
}
