// Fetches a pull's pages ahead of their apply, up to a number of pages: the server goes on producing pages while the
// replica applies one or waits on a build of its indexes. Each page's request needs the position the last one ended
// at, so the pages are asked for one after another.
import type { PullPosition, PullResponse } from '../../src-shared/sync/sync-protocol';

export class PagesAhead {
  private readonly pages: Promise<PullResponse>[] = [];
  private readonly arrived = new WeakSet<Promise<PullResponse>>();
  /** The last page fetched, when it was not followed up because enough pages were waiting. */
  private paused: PullResponse | null = null;
  private stopped = false;

  /** `first` is the request of the first page; `next` asks for the page after a position. */
  constructor(first: Promise<PullResponse>, private readonly next: (after: PullPosition) => Promise<PullResponse>, private readonly depth: number) {
    this.add(first);
  }

  /** The next page, in order; a failed fetch fails here, and nothing is fetched after it. */
  take(): Promise<PullResponse> {
    const page = this.pages.shift();
    if (!page) throw new Error('no page is left to take');
    if (this.paused && this.pages.length < this.depth) {
      const after = this.paused;
      this.paused = null;
      this.follow(after);
    }
    return page;
  }

  /** How many pages have arrived and wait to be taken. */
  waiting(): number {
    return this.pages.filter((p) => this.arrived.has(p)).length;
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
      this.arrived.add(page);
      if (this.stopped || !p.hasMore) return;
      if (this.pages.length >= this.depth) this.paused = p;
      else this.follow(p);
    }, () => {});
  }

  private follow(page: PullResponse): void {
    if (!this.stopped) this.add(this.next(page.position));
  }
}
