// Smoke test in real Chromium: the web host with a tenant server, the page opened with its token, the demo workspace signed in over the WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startE2eSystem } from './harness/e2e-system';
import type { E2eSystem } from './harness/e2e-system';
import { EVENTUALLY, launchChromium, openApp, screenshot, textOf } from './harness/browser';

describe('npm run web in Chromium', () => {
  let system: E2eSystem;
  let browser: Browser;

  beforeAll(async () => {
    system = await startE2eSystem();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it('refuses the page without the session token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(system.web.url);
    expect(response?.status()).toBe(401);
    await page.close();
  });

  it('opens with the token, signs in to the demo workspace, syncs the rep\'s leads into the queue, and keeps the profile over a reload', async () => {
    const { context, page, errors } = await openApp(browser, system);
    // The token was traded for a cookie and dropped from the address bar.
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.getByTestId('host-status').filter({ hasText: 'connected' }).waitFor();
    await page.getByRole('button', { name: 'Open as Rita Rep (rep)' }).waitFor();
    await screenshot(page, 'web-sign-in');

    await page.getByRole('button', { name: 'Open as Rita Rep (rep)' }).click();
    await expect.poll(() => textOf(page, 'profile'), EVENTUALLY).toContain('Rita Rep (rep) · Demo Co');
    // The first sync brings Rita's leads from the tenant server into her local store, and the queue shows them.
    await expect.poll(() => textOf(page, 'sync-phase'), EVENTUALLY).toBe('idle');
    await expect.poll(async () => Number(await textOf(page, 'lead-count')), EVENTUALLY).toBeGreaterThan(0);
    await page.getByTestId('lead-row').first().waitFor();
    await screenshot(page, 'web-workspace');

    // A reload is a new WebSocket session: the tab's profile is opened again.
    await page.reload();
    await expect.poll(() => textOf(page, 'profile'), EVENTUALLY).toContain('Rita Rep');
    await page.getByTestId('lead-row').first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
