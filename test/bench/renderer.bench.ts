// Renderer benchmarks in real Chromium against `npm run web` with 100k leads / 20k deals local: load, filter, scroll, memory.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/harness/browser';
import { ensureRendererBuilt } from '../../src-main/web/renderer-build';
import type { Benchmark } from './bench-harness';
import { median } from './bench-harness';
import { prepareBenchProfile, ROOT_DIR, startWebHost } from './renderer-fixture';

const DATA_DIR = join(ROOT_DIR, '.data', 'bench-web');

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

/** The longest task on the page's main thread (CrRendererMain) in a Chromium trace, in ms. */
function longestMainThreadTask(trace: Buffer): number {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const main = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let longest = 0;
  for (const e of traceEvents) {
    if (e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && main.has(`${e.pid}:${e.tid}`)) longest = Math.max(longest, (e.dur ?? 0) / 1000);
  }
  return longest;
}

const firstRow = (page: Page) => page.getByTestId('lead-row').first().waitFor({ state: 'visible', timeout: 60_000 });

/**
 * Watches for the lead count to show `want`, then resolves on the next frame with the time since it was armed.
 * A string, not a function: the bench runs through tsx, whose helpers would not exist in the page.
 */
const ARM_COUNT_WATCH = `(want) => {
  window.__benchStart = performance.now();
  window.__benchDone = new Promise((resolve) => {
    const check = () => {
      if (document.querySelector('[data-testid="lead-count"]')?.textContent?.replace(/\\D/g, '') !== want) return false;
      requestAnimationFrame(() => resolve(performance.now() - window.__benchStart));
      return true;
    };
    if (check()) return;
    const obs = new MutationObserver(() => check() && obs.disconnect());
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}`;

/** Milliseconds until the lead count shows `expected`, measured in the page from just before `act` to the frame after it shows. */
async function timeUntilCount(page: Page, expected: string, act: () => Promise<void>): Promise<number> {
  await page.evaluate(`(${ARM_COUNT_WATCH})(${JSON.stringify(expected)})`);
  await act();
  return (await page.evaluate('window.__benchDone')) as number;
}

/** Scrolls the queue by `step` pixels a frame for `frames` frames. */
const SCROLL_THROUGH = (frames: number, step: number) => `(async () => {
  const scroller = document.querySelector('[data-testid="lead-queue-scroll"]');
  for (let frame = 0; frame < ${frames}; frame++) {
    scroller.scrollTop += ${step};
    await new Promise((r) => requestAnimationFrame(r));
  }
})()`;

export const rendererBenchmark: Benchmark = {
  group: 'renderer',
  async run(report, log) {
    await ensureRendererBuilt(ROOT_DIR);
    const { leads, dbFile } = await prepareBenchProfile(DATA_DIR, log);
    const db = new Database(dbFile, { readonly: true });
    const byStatus = db.prepare('SELECT count(*) AS n FROM leads WHERE status = ? AND archived = 0');
    const countByStatus = (status: string) => (byStatus.get(status) as { n: number }).n;
    const host = await startWebHost(DATA_DIR);
    let browser: Browser | null = null;
    try {
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(host.openUrl);

      // Cold: the profile's store opened by the host for the first time, then the queue's first page.
      let t = performance.now();
      await page.getByRole('button', { name: /Benchmark 100k/ }).click();
      await firstRow(page);
      const cold = performance.now() - t;
      await page.getByTestId('lead-count').filter({ hasText: /\d/ }).waitFor();
      log(`profile opened and queue painted (cold store, ${leads} leads): ${cold.toFixed(0)} ms`);

      // Page load to painted queue: a reload of the app with its profile (the host keeps the core open, as the desktop app does).
      const loads: number[] = [];
      for (let i = 0; i < 5; i++) {
        t = performance.now();
        await page.reload();
        await firstRow(page);
        loads.push(performance.now() - t);
      }
      report({ id: 'renderer.load_to_queue_painted_ms', value: median(loads), unit: 'ms', bar: 1500, better: 'lower' });
      report({ id: 'renderer.open_profile_cold_to_queue_painted_ms', value: cold, unit: 'ms', bar: 1500, better: 'lower' });

      // Filter change to repainted: the status filter, each status in turn and back to all.
      const statusFilter = page.getByLabel('Status filter');
      const filterTimes: number[] = [];
      const all = (await page.getByTestId('lead-count').textContent())!.replace(/\D/g, '');
      for (const status of ['NEW', 'QUALIFIED', 'CONTACTED', 'NEGOTIATING', 'DISQUALIFIED']) {
        filterTimes.push(await timeUntilCount(page, String(countByStatus(status)), () => statusFilter.selectOption([status]).then(() => undefined)));
      }
      filterTimes.push(await timeUntilCount(page, all, () => statusFilter.selectOption([]).then(() => undefined)));
      report({ id: 'renderer.filter_to_repainted_ms', value: median(filterTimes), unit: 'ms', bar: 100, better: 'lower' });
      log(`filter changes (ms): ${filterTimes.map((x) => x.toFixed(0)).join(', ')}`);

      // Scrolling: the list scrolled through ~20k rows frame by frame, under a trace of the main thread.
      await page.reload();
      await firstRow(page);
      await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
      await page.evaluate(SCROLL_THROUGH(300, 2_400));
      const longest = longestMainThreadTask(await browser.stopTracing());
      report({ id: 'renderer.scroll_longest_task_ms', value: longest, unit: 'ms', bar: 50, better: 'lower' });

      report({ id: 'renderer.core_process_rss_mb', value: host.rssMb(), unit: 'MB', bar: 150, better: 'lower' });
      await context.close();
    } finally {
      await browser?.close();
      await host.stop();
      db.close();
    }
  },
};
