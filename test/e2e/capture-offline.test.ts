// End to end in Chromium: a rep captures leads at a trade show with the tenant server down, edits them, reloads, and everything reaches the server when it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startE2eSystem } from './harness/e2e-system';
import type { E2eSystem } from './harness/e2e-system';
import { EVENTUALLY, launchChromium, openApp, screenshot, textOf } from './harness/browser';
import { signInToTenant, tenantLead } from './harness/tenant-http';

/** Reconnecting backs off up to 30 s (with jitter) while the server is away. */
const RECONNECT = { timeout: 90_000, interval: 250 } as const;

async function signIn(page: Page, who: string): Promise<void> {
  await page.getByRole('button', { name: `Open as ${who}` }).click();
  await expect.poll(() => textOf(page, 'profile'), EVENTUALLY).toContain(who);
  await expect.poll(() => textOf(page, 'sync-phase'), EVENTUALLY).toBe('idle');
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** Types a person into the capture form, as fast as a rep at a booth. */
async function typeLead(page: Page, lead: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(lead)) await field(page, label).fill(value);
}

const recentIds = (page: Page) => page.getByTestId('recent-capture').evaluateAll((items) => items.map((i) => i.getAttribute('data-lead-id')!));

describe('trade-show capture offline in Chromium', () => {
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

  it('captures two leads (one a likely duplicate) and edits both with the server down; they survive a reload and reach the server when it returns', async () => {
    const { context, page, errors } = await openApp(browser, system);
    await signIn(page, 'Rita Rep (rep)');
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    // Ready to type at once.
    await expect.poll(() => focusedId(page), EVENTUALLY).toBe('capture-firstName');

    await system.stopTenant();

    // The first visitor: a mistyped email is refused next to its input, without losing what was typed.
    await typeLead(page, { 'First name': 'Ana', 'Last name': 'Lopez', Email: 'ana.lopez@', Phone: '+34 915 550 123', Company: 'Lopez Logistics', Country: 'es' });
    await field(page, 'Notes').fill('Wants a demo in May');
    await field(page, 'Email').press('Enter');
    await page.getByTestId('capture-error-email').waitFor();
    expect(await focusedId(page)).toBe('capture-email');
    expect(await field(page, 'First name').inputValue()).toBe('Ana');
    await screenshot(page, 'capture-offline-field-error');

    await field(page, 'Email').fill('ana.lopez@lopez-logistics.example');
    await field(page, 'Email').press('Enter');
    // Saved locally: the form is blank again (the source kept) and focused for the next person.
    await expect.poll(() => textOf(page, 'capture-status'), EVENTUALLY).toBe('Saved Ana Lopez.');
    expect(await field(page, 'First name').inputValue()).toBe('');
    expect(await field(page, 'Source').inputValue()).toBe('trade-show');
    expect(await focusedId(page)).toBe('capture-firstName');
    expect(await page.getByTestId('capture-error-email').count()).toBe(0);
    // The write could not be sent: the sync bar says offline and counts it as pending.
    await expect.poll(() => textOf(page, 'sync-phase'), EVENTUALLY).toBe('offline');
    await expect.poll(async () => Number(await textOf(page, 'sync-pending')), EVENTUALLY).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('recent-capture').count(), EVENTUALLY).toBe(1);
    const [anaId] = await recentIds(page);

    // The same person comes back and gives a slightly different name: the local store warns while typing.
    await typeLead(page, { 'First name': 'Ana', 'Last name': 'Lopes', Email: 'ana.lopez@lopez-logistics.example' });
    const warning = page.getByTestId('duplicate-warning');
    await warning.waitFor();
    const match = page.getByTestId('duplicate-match').first();
    expect(await match.textContent()).toContain('Ana Lopez');
    expect(await match.textContent()).toMatch(/matches on .*email/);
    expect(Number((await page.getByTestId('duplicate-score').first().textContent())!.replace('%', ''))).toBeGreaterThanOrEqual(80);
    await screenshot(page, 'capture-offline-duplicate-warning');
    // Saving anyway creates it, flagged to merge later.
    await field(page, 'Last name').press('Enter');
    await expect.poll(() => textOf(page, 'capture-status'), EVENTUALLY).toBe('Saved Ana Lopes (flagged as a possible duplicate).');
    expect(await warning.count()).toBe(0);
    await expect.poll(() => page.getByTestId('recent-capture').count(), EVENTUALLY).toBe(2);
    const [lopesId] = await recentIds(page);

    // A correction of the first lead, still offline: her title and a new phone number.
    await page.getByRole('button', { name: 'Correct Ana Lopez' }).click();
    expect(await field(page, 'Email').inputValue()).toBe('ana.lopez@lopez-logistics.example');
    await field(page, 'Title').fill('Head of Procurement');
    await field(page, 'Phone').fill('+34 915 550 999');
    await screenshot(page, 'capture-offline-correction');
    await field(page, 'Phone').press('Enter');
    await expect.poll(() => textOf(page, 'capture-status'), EVENTUALLY).toBe('Updated Ana Lopez.');
    await screenshot(page, 'capture-offline-captured');

    // The duplicate opens from the list into the lead screen, where a field is edited in place, still offline.
    await page.getByTestId('recent-capture').getByRole('button', { name: 'Ana Lopes', exact: true }).click();
    await expect.poll(() => textOf(page, 'detail-name'), EVENTUALLY).toBe('Ana Lopes');
    await page.getByTestId('value-title').click();
    await page.getByTestId('field-title').locator('input').fill('Buyer');
    await page.getByTestId('field-title').locator('input').press('Enter');
    await expect.poll(() => textOf(page, 'value-title'), EVENTUALLY).toBe('Buyer');
    await screenshot(page, 'capture-offline-lead-edited');
    const pendingBefore = Number(await textOf(page, 'sync-pending'));
    expect(pendingBefore).toBeGreaterThanOrEqual(5); // two creates, a note, a correction, an edit

    // A reload (or a crash) loses nothing: the changes are still pending, the captures still listed.
    await page.reload();
    await expect.poll(() => textOf(page, 'profile'), EVENTUALLY).toContain('Rita Rep');
    await expect.poll(async () => Number(await textOf(page, 'sync-pending')), EVENTUALLY).toBe(pendingBefore);
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    await expect.poll(() => recentIds(page), EVENTUALLY).toEqual([anaId, lopesId]);
    await screenshot(page, 'capture-offline-after-reload');

    // The server comes back: the desktop reconnects by itself and sends everything.
    await system.startTenant();
    await expect.poll(() => textOf(page, 'sync-pending'), RECONNECT).toBe('0');
    await expect.poll(() => textOf(page, 'sync-phase'), EVENTUALLY).toBe('idle');
    await screenshot(page, 'capture-online-synced');

    const rep = await signInToTenant(system.tenantUrl, 'rep1@demo.test');
    const ana = await tenantLead(rep, anaId!);
    expect(ana).toMatchObject({ firstName: 'Ana', lastName: 'Lopez', email: 'ana.lopez@lopez-logistics.example', phone: '+34 915 550 999', title: 'Head of Procurement', country: 'ES', source: 'trade-show', companyName: 'Lopez Logistics' });
    const lopes = await tenantLead(rep, lopesId!);
    expect(lopes).toMatchObject({ lastName: 'Lopes', title: 'Buyer', possibleDuplicateOf: anaId, source: 'trade-show' });
    // The manager sees them too.
    const manager = await signInToTenant(system.tenantUrl, 'manager@demo.test');
    expect((await tenantLead(manager, anaId!))?.title).toBe('Head of Procurement');

    expect(errors).toEqual([]);
    await context.close();
  });
});
