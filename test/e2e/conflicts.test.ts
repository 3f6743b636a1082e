// End to end in Chromium: two people change the owner of one lead, one of them offline; the conflict shows in the sync panel and is settled there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startE2eSystem } from './harness/e2e-system';
import type { E2eSystem } from './harness/e2e-system';
import { EVENTUALLY, launchChromium, openApp, screenshot, textOf } from './harness/browser';
import type { AppPage } from './harness/browser';

/**
 * Reads through the window's host API over a second WebSocket of the same tab (same cookie, same profile): the
 * test's own look-ups (ids, the stored owner). The page's own transport is not reachable from outside the app.
 */
async function hostCall<T>(page: Page, method: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, input }) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      let next = 1;
      const call = (m: string, i: unknown) =>
        new Promise<unknown>((resolve, reject) => {
          const id = next++;
          ws.addEventListener('message', (e) => {
            const frame = JSON.parse(String(e.data)) as { type: string; id?: number; result?: { ok: boolean; output?: unknown; error?: { message: string } } };
            if (frame.type !== 'result' || frame.id !== id) return;
            if (frame.result!.ok) resolve(frame.result!.output);
            else reject(new Error(frame.result!.error!.message));
          });
          ws.send(JSON.stringify({ type: 'call', id, method: m, input: i }));
        });
      try {
        await call('profiles.open', { id: sessionStorage.getItem('fieldcrm.profileId') });
        return await call(method, input);
      } finally {
        ws.close();
      }
    },
    { method, input },
  ) as Promise<T>;
}

async function signIn(app: AppPage, who: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: `Open as ${who}` }).click();
  await expect.poll(() => textOf(page, 'profile'), EVENTUALLY).toContain(who);
  await expect.poll(() => textOf(page, 'sync-phase'), EVENTUALLY).toBe('idle');
}

async function openSyncPanel(page: Page): Promise<void> {
  if (await page.getByTestId('sync-panel').isVisible()) return;
  await page.getByTestId('sync-status').click();
  await page.getByTestId('sync-panel').waitFor();
}

/**
 * Shows one lead's row in the queue: searches its last name and waits until the queue shows that search's count
 * (so a selection is not made on the list from before the search, which the search then clears).
 */
async function findInQueue(page: Page, lead: { id: string; lastName: string }) {
  const { total } = await hostCall<{ total: number }>(page, 'leads.queue', { search: lead.lastName, withTotal: true, limit: 1 });
  await page.getByRole('navigation').getByRole('button', { name: 'Leads', exact: true }).click();
  await page.getByLabel('Search leads').fill(lead.lastName);
  await expect.poll(() => textOf(page, 'lead-count'), EVENTUALLY).toBe(String(total));
  const row = page.locator(`[data-testid="lead-row"][data-lead-id="${lead.id}"]`);
  await row.waitFor();
  return row;
}

/** Gives one lead to `owner` the way a manager does: find it in the lead queue, select it, "Assign to", "Assign 1". */
async function assignInQueue(page: Page, lead: { id: string; lastName: string }, owner: string): Promise<void> {
  const row = await findInQueue(page, lead);
  await row.getByRole('checkbox').click();
  await page.getByLabel('Assign to').selectOption({ label: owner });
  await page.getByRole('button', { name: 'Assign 1' }).click();
}

/** Opens a lead from the queue: search its last name, then its row's name. */
async function openLeadInQueue(page: Page, lead: { id: string; firstName: string; lastName: string }): Promise<void> {
  const row = await findInQueue(page, lead);
  await row.getByRole('button', { name: `${lead.firstName} ${lead.lastName}`.trim(), exact: true }).click();
  await page.getByTestId('lead-detail').waitFor();
}

const conflictCount = (page: Page) => textOf(page, 'conflict-count');

describe('conflicts in Chromium', () => {
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

  it('a conflicting edit by two reps shows up in the conflicts panel and is resolved there', async () => {
    const admin = await openApp(browser, system);
    const manager = await openApp(browser, system);
    await signIn(admin, 'Ada Admin (admin)');
    await signIn(manager, 'Max Manager (manager)');

    const { users } = await hostCall<{ users: { id: string; name: string }[] }>(admin.page, 'directory.list', {});
    const idOf = (name: string) => users.find((u) => u.name === name)!.id;
    // A lead of Rita's (team East): the manager of East and West and the admin may both hand it on.
    const { rows } = await hostCall<{ rows: { id: string; firstName: string; lastName: string }[] }>(admin.page, 'leads.queue', { ownerId: [idOf('Rita Rep')], status: ['NEW'], limit: 1 });
    const lead = rows[0]!;

    // The manager goes offline with the switch in the sync panel.
    await openSyncPanel(manager.page);
    await expect.poll(() => textOf(manager.page, 'sync-explanation'), EVENTUALLY).toMatch(/^In step with the server/);
    await manager.page.getByRole('switch', { name: 'Work offline' }).check();
    await expect.poll(() => textOf(manager.page, 'sync-phase'), EVENTUALLY).toBe('paused');
    expect(await textOf(manager.page, 'sync-explanation')).toBe('You chose to work offline: changes are kept and sent when you go back online.');
    expect(await manager.page.getByRole('button', { name: 'Sync now' }).isDisabled()).toBe(true);

    // Offline, the manager takes the lead; online, the admin gives it to Rob. Both change its owner.
    await assignInQueue(manager.page, lead, 'Max Manager');
    await expect.poll(() => textOf(manager.page, 'sync-pending'), EVENTUALLY).toBe('1');
    expect(await textOf(manager.page, 'sync-panel-pending')).toBe('1 pending change');
    await screenshot(manager.page, 'conflicts-working-offline');
    await assignInQueue(admin.page, lead, 'Rob Rep');
    await expect.poll(() => textOf(admin.page, 'sync-pending'), EVENTUALLY).toBe('0');

    // Back online: the manager's change meets the admin's on the server and becomes a conflict record.
    await manager.page.getByRole('switch', { name: 'Work offline' }).uncheck();
    await expect.poll(() => textOf(manager.page, 'sync-pending'), EVENTUALLY).toBe('0');
    await expect.poll(() => conflictCount(manager.page), EVENTUALLY).toBe('1');
    const card = manager.page.getByTestId('conflict');
    await expect.poll(() => card.getByRole('button', { name: /^Open lead / }).textContent(), EVENTUALLY).toContain(lead.lastName);
    expect(await card.textContent()).toContain('Owner changed on both sides');
    expect(await textOf(manager.page, 'conflict-base')).toBe('BeforeRita Rep');
    expect(await textOf(manager.page, 'conflict-server')).toBe('Server valueRob Rep');
    expect(await textOf(manager.page, 'conflict-client')).toBe('Your valueMax Manager');
    expect(await card.textContent()).toContain('Changed on the server by Ada Admin, offline by you.');
    await screenshot(manager.page, 'conflicts-sync-panel-with-conflict');

    // The admin, whose change is the server's, sees the same conflict from the other side.
    await openSyncPanel(admin.page);
    await expect.poll(() => conflictCount(admin.page), EVENTUALLY).toBe('1');
    expect(await textOf(admin.page, 'conflict-client')).toBe('Offline valueMax Manager');
    await screenshot(admin.page, 'conflicts-sync-panel-other-side');

    // The manager keeps their value: the conflict leaves both panels and the lead is the manager's.
    await card.getByRole('button', { name: 'Keep my value' }).click();
    await expect.poll(() => conflictCount(manager.page), EVENTUALLY).toBe('0');
    expect(await textOf(manager.page, 'conflict-resolved')).toMatch(/^Owner of .+: kept your value \(Max Manager\)\.$/);
    await expect.poll(() => textOf(manager.page, 'sync-pending'), EVENTUALLY).toBe('0');
    await expect.poll(() => conflictCount(admin.page), EVENTUALLY).toBe('0');
    await expect.poll(async () => (await hostCall<{ ownerId: string }>(admin.page, 'leads.get', { id: lead.id })).ownerId, EVENTUALLY).toBe(idOf('Max Manager'));
    await screenshot(manager.page, 'conflicts-sync-panel-resolved');

    // Both were told about the conflict. The manager opens theirs: it is marked read and the lead opens.
    await manager.page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    await manager.page.getByTestId('notifications-panel').waitFor();
    const note = manager.page.locator('[data-testid="notification"][data-kind="conflict"]');
    await note.waitFor();
    expect(await note.getAttribute('data-read')).toBe('false');
    expect(await note.getByRole('button').getAttribute('aria-label')).toBe('Unread conflict: Conflicting change of a lead’s owner');
    await screenshot(manager.page, 'conflicts-notifications-panel');
    const unreadBefore = Number(await textOf(manager.page, 'unread-count'));
    await note.getByRole('button').click();
    await expect.poll(() => note.getAttribute('data-read'), EVENTUALLY).toBe('true');
    await expect.poll(async () => Number(await textOf(manager.page, 'unread-count')), EVENTUALLY).toBe(unreadBefore - 1);
    // The lead shows the value kept.
    await expect.poll(() => textOf(manager.page, 'detail-owner'), EVENTUALLY).toBe('Max Manager');
    await screenshot(manager.page, 'conflicts-notification-opened');

    // The admin clears theirs at once.
    await admin.page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    await admin.page.locator('[data-testid="notification"][data-kind="conflict"]').waitFor();
    await admin.page.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => textOf(admin.page, 'unread-count'), EVENTUALLY).toBe('0');
    expect(await admin.page.locator('[data-testid="notification"][data-read="false"]').count()).toBe(0);
    expect(await textOf(admin.page, 'notifications-unread')).toBe('All read');
    await screenshot(admin.page, 'conflicts-notifications-all-read');

    expect(admin.errors).toEqual([]);
    expect(manager.errors).toEqual([]);
    await admin.context.close();
    await manager.context.close();
  });

  it('a change the server refuses is listed in the sync panel in words, undone, and told in the notifications', async () => {
    const rep = await openApp(browser, system);
    const admin = await openApp(browser, system);
    await signIn(rep, 'Rita Rep (rep)');
    await signIn(admin, 'Ada Admin (admin)');
    const { users } = await hostCall<{ users: { id: string; name: string }[] }>(rep.page, 'directory.list', {});
    const rita = users.find((u) => u.name === 'Rita Rep')!.id;
    // A new lead of Rita's with an email: the demo tenant qualifies only leads with one.
    const { rows } = await hostCall<{ rows: { id: string; firstName: string; lastName: string; email: string | null }[] }>(rep.page, 'leads.queue', { ownerId: [rita], status: ['NEW'], limit: 50 });
    const lead = rows.find((r) => r.email !== null)!;

    // Offline, Rita qualifies it …
    await openLeadInQueue(rep.page, lead);
    await openSyncPanel(rep.page);
    await rep.page.getByRole('switch', { name: 'Work offline' }).check();
    await expect.poll(() => textOf(rep.page, 'sync-phase'), EVENTUALLY).toBe('paused');
    await rep.page.getByRole('button', { name: 'Qualify', exact: true }).click();
    await expect.poll(() => textOf(rep.page, 'detail-status'), EVENTUALLY).toBe('QUALIFIED');
    await expect.poll(() => textOf(rep.page, 'sync-pending'), EVENTUALLY).toBe('1');

    // … while the admin clears its email on the server.
    await openLeadInQueue(admin.page, lead);
    await admin.page.getByTestId('value-email').click();
    const email = admin.page.getByTestId('field-email').locator('input');
    await email.fill('');
    await email.press('Enter');
    await expect.poll(() => textOf(admin.page, 'sync-pending'), EVENTUALLY).toBe('0');

    // Back online, the server refuses the qualification: it is undone and listed in words.
    await rep.page.getByRole('switch', { name: 'Work offline' }).uncheck();
    await expect.poll(() => textOf(rep.page, 'sync-pending'), EVENTUALLY).toBe('0');
    const refusal = rep.page.getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^Qualify lead — refused: .*email/);
    await expect.poll(() => textOf(rep.page, 'detail-status'), EVENTUALLY).toBe('NEW');
    expect(await textOf(rep.page, 'sync-issues')).toContain('1 refused change');
    await screenshot(rep.page, 'conflicts-sync-panel-refused');

    // The notification says so too.
    await rep.page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    const note = rep.page.locator('[data-testid="notification"][data-kind="mutation.refused"]');
    await note.waitFor();
    expect(await note.getByRole('button').getAttribute('aria-label')).toBe('Unread refused change: Qualify lead was refused');
    await screenshot(rep.page, 'conflicts-notifications-refused');

    expect(rep.errors).toEqual([]);
    expect(admin.errors).toEqual([]);
    await rep.context.close();
    await admin.context.close();
  });
});
