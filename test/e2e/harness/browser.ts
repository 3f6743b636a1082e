// Real Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core (no browser download).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT_DIR } from './e2e-system';
import type { E2eSystem } from './e2e-system';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Where screenshots go: test-results/e2e/, kept as CI artifacts. */
export const SCREENSHOT_DIR = join(ROOT_DIR, 'test-results', 'e2e');

/** Saves a full-page screenshot named after the screen and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects the page's console errors and uncaught exceptions, so a test can assert there were none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions so far. */
  errors: string[];
}

/**
 * Opens the app in a fresh browser context (its own cookies and sessionStorage: another user at another desk),
 * through the URL with the token, and waits for the WebSocket to connect.
 */
export async function openApp(browser: Browser, system: E2eSystem, viewport = { width: 1280, height: 800 }): Promise<AppPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(system.openUrl);
  return { context, page, errors };
}

/** The text of the element with this test id, or null while there is none; never waits long, so it suits expect.poll. */
export function textOf(page: Page, testId: string): Promise<string | null> {
  return page.getByTestId(testId).textContent({ timeout: 500 }).catch(() => null);
}

/** Polling options for what a sync or a server round trip may take on a slow CI machine. */
export const EVENTUALLY = { timeout: 30_000, interval: 100 } as const;
