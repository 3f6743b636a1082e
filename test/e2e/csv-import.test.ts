// End to end in Chromium: a rep imports a 3,000-row CSV (some rows bad) in chunks with progress; rejects are reported with reasons; the good rows reach the server.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startE2eSystem } from './harness/e2e-system';
import type { E2eSystem } from './harness/e2e-system';
import { EVENTUALLY, launchChromium, openApp, screenshot, textOf } from './harness/browser';
import { signInToTenant, tenantLeads } from './harness/tenant-http';
import type { LeadRecord } from '../../src-shared/http/records.http';
import { parseCsvText } from '../../src-renderer/import/import-run';

const ROWS = 3000;
/** For an import of 3,000 rows into the local store (~20 s on a busy 2-core machine). */
const IMPORTING = { timeout: 60_000, interval: 250 } as const;
/** For the tenant server to apply ~3,000 pushed creates, each in its own transaction (~90 s on a busy 2-core machine). */
const SERVER_REPLAY = { timeout: 240_000, interval: 250 } as const;
const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kofi', 'Lena'];
const SYLLABLES = ['ba', 'de', 'fi', 'jo', 'ku', 'la', 'me', 'no', 'ri', 'su'];

/** A surname of its own for each row ("Badefijo"), so rows are not near-duplicates of each other, as at a real fair. */
function surname(i: number): string {
  const s = String(i).padStart(4, '0').split('').map((d) => SYLLABLES[Number(d)]!).join('');
  return s[0]!.toUpperCase() + s.slice(1);
}

interface BadRow {
  line: number;
  reason: string;
}

/**
 * A trade-fair export: header row, 3,000 leads, a blank line after the 1,000th (row numbers must count it), three rows
 * repeating leads the rep already has (the duplicate preview), and bad rows the import must reject with their reasons.
 */
function fairExport(existing: LeadRecord[]): { csv: string; bad: BadRow[] } {
  const lines = ['First Name,Last Name,E-mail,Phone,Company,Job Title,Country,Lead Source,Notes'];
  const bad: BadRow[] = [];
  for (let i = 0; i < ROWS; i++) {
    if (i === 1000) lines.push('');
    const line = lines.length + 1;
    let first = FIRST[i % FIRST.length]!;
    let last = surname(i);
    let email = `${first.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()}.${last.toLowerCase()}@${last.toLowerCase()}-trading.example`;
    let phone = `+1 555 ${String(100000 + i)}`;
    let company = `${last} Trading`;
    let country = ['US', 'DE', 'ES', 'FR'][i % 4]!;
    const copy = [3, 10, 20].indexOf(i);
    if (copy >= 0) {
      const lead = existing[copy]!;
      [first, last, email, phone, company] = [lead.firstName, lead.lastName, lead.email ?? '', lead.phone ?? '', lead.companyName ?? ''];
    } else if (i % 100 === 17) {
      email = `not-an-email-${i}`;
      bad.push({ line, reason: 'Email:' });
    } else if (i % 250 === 42) {
      [first, last, email, phone, company] = ['', '', '', '', ''];
      bad.push({ line, reason: 'Last name: required when there is no email, phone or company' });
    } else if (i % 300 === 99) {
      company = 'X'.repeat(250);
      bad.push({ line, reason: 'Company:' });
    } else if (i % 500 === 250) {
      country = 'Spain';
      bad.push({ line, reason: 'Country (2 letters): expected a two-letter country code' });
    }
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    lines.push([first, last, email, phone, company, 'Buyer', country, 'spring-fair', `Met at booth ${i % 30}, wants a demo`].map(quote).join(','));
  }
  return { csv: `${lines.join('\n')}\n`, bad };
}

/** An element's text, waiting as long as the page's default timeout (not the short wait of textOf, made for polls). */
const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();

async function signIn(page: Page, who: string): Promise<void> {
  await page.getByRole('button', { name: `Open as ${who}` }).click();
  await expect.poll(() => textOf(page, 'profile'), EVENTUALLY).toContain(who);
  await expect.poll(() => textOf(page, 'sync-phase'), EVENTUALLY).toBe('idle');
}

/** Records every text the progress line shows, however fast the import runs. */
async function recordProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="import-progress-text"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
}

describe('CSV import in Chromium', () => {
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

  it('imports 3,000 rows in chunks with progress, reports the rejected rows with reasons, and the good rows reach the server', async () => {
    const rep = await signInToTenant(system.tenantUrl, 'rep1@demo.test');
    const before = await tenantLeads(rep);
    expect(before.length).toBeGreaterThanOrEqual(3);
    const existing = before.filter((l) => l.email && l.firstName && l.lastName).slice(0, 3);
    const { csv, bad } = fairExport(existing);
    const good = ROWS - bad.length;
    const file = { name: 'spring-fair.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };

    const { context, page, errors } = await openApp(browser, system);
    await signIn(page, 'Rita Rep (rep)');
    // The rep's queue before: every good row must add one lead to it.
    await expect.poll(async () => Number((await textOf(page, 'lead-count')) || NaN), EVENTUALLY).toBeGreaterThan(0);
    const localBefore = Number(await text(page, 'lead-count'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-file').setInputFiles(file);

    // The columns are recognised from their headers; the notes are left out.
    await page.getByTestId('import-mapping').waitFor();
    const mappedAs = (column: string) => page.getByLabel(`Import column ${column} as`).inputValue();
    expect(await mappedAs('First Name')).toBe('firstName');
    expect(await mappedAs('E-mail')).toBe('email');
    expect(await mappedAs('Company')).toBe('companyName');
    expect(await mappedAs('Job Title')).toBe('title');
    expect(await mappedAs('Lead Source')).toBe('source');
    expect(await mappedAs('Notes')).toBe('');
    expect(await page.getByTestId('import-mapping').textContent()).toContain('spring-fair.csv: 3,000 rows, 9 columns');
    // The rows repeating the rep's leads are shown as likely duplicates before anything is written.
    await expect.poll(async () => Number(await text(page, 'duplicate-preview-count')), EVENTUALLY).toBeGreaterThanOrEqual(3);
    const preview = (await page.getByTestId('duplicate-preview').textContent()) ?? '';
    for (const [k, line] of [3, 10, 20].map((i, k) => [k, i + 2] as const)) expect(preview).toContain(`Row ${line}: ${existing[k]!.firstName} ${existing[k]!.lastName}`);
    await screenshot(page, 'csv-import-mapping');

    const progressSeen = await recordProgress(page);
    await page.getByRole('button', { name: 'Import 3,000 rows' }).click();
    await expect.poll(() => page.getByTestId('import-report').locator('h3').textContent(), IMPORTING).toContain('Import finished');

    // The progress advanced chunk by chunk (250 rows a call) up to the total.
    const seen = await progressSeen();
    expect(seen[seen.length - 1]).toBe('3,000 / 3,000');
    const counts = seen.map((t) => Number(t.split(' / ')[0]!.replace(/,/g, '')));
    expect(counts.some((n) => n > 0 && n < ROWS)).toBe(true);
    expect(counts.every((n) => n % 250 === 0)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    expect(await text(page, 'import-created')).toBe(String(good));
    expect(await text(page, 'import-skipped')).toBe('0');
    expect(await text(page, 'import-rejected')).toBe(String(bad.length));
    // Each rejected row is listed with its row number in the file (the header is row 1) and why.
    const rejects = await page.getByTestId('rejected-row').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent ?? '')));
    expect(rejects.map((r) => Number(r[0]))).toEqual(bad.map((b) => b.line));
    rejects.forEach((r, i) => expect(r[2]).toContain(bad[i]!.reason));
    await screenshot(page, 'csv-import-report');

    // The download holds the same rows, as they were in the file, with the row number and the reason added.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the rejected rows (CSV with reasons)' }).click()]);
    expect(download.suggestedFilename()).toBe('spring-fair-rejected.csv');
    const rejectedCsv = parseCsvText(readFileSync(await download.path(), 'utf8'));
    expect(rejectedCsv.headers).toEqual(['First Name', 'Last Name', 'E-mail', 'Phone', 'Company', 'Job Title', 'Country', 'Lead Source', 'Notes', 'row', 'reason']);
    expect(rejectedCsv.rows.map((r) => Number(r.cells[9]))).toEqual(bad.map((b) => b.line));
    rejectedCsv.rows.forEach((r, i) => expect(r.cells[10]).toContain(bad[i]!.reason));

    // The leads are in the local store at once; the report stays while the rep looks at them.
    await page.getByRole('button', { name: 'Go to the leads' }).click();
    await expect.poll(async () => Number(await textOf(page, 'lead-count')), IMPORTING).toBe(localBefore + good);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    expect(await text(page, 'import-created')).toBe(String(good));

    // Sync sends the created leads to the tenant server: the rep sees every good row there.
    await expect.poll(() => textOf(page, 'sync-pending'), SERVER_REPLAY).toBe('0');
    await expect.poll(() => textOf(page, 'sync-phase'), EVENTUALLY).toBe('idle');
    const after = await tenantLeads(rep);
    expect(after.length).toBe(before.length + good);
    const imported = after.filter((l) => l.source === 'spring-fair');
    expect(imported.length).toBe(good);
    // The rows repeating existing leads were created flagged, pointing at a lead the rep already had.
    const known = new Set(before.map((l) => l.id));
    for (const lead of existing) {
      const copy = imported.find((l) => l.email === lead.email)!;
      expect(copy.possibleDuplicateOf && known.has(copy.possibleDuplicateOf)).toBe(true);
    }

    // The same file again, skipping duplicates, cancelled at once: it stops after the chunk under way and creates nothing twice.
    await page.getByRole('button', { name: 'Import another file' }).click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByLabel('Skip them').check();
    // Skipping writes nothing, so the chunks go faster than a test can click: Cancel is clicked the moment it shows.
    await page.evaluate(() => {
      new MutationObserver((_, observer) => {
        const cancel = Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Cancel');
        if (!cancel) return;
        observer.disconnect();
        cancel.click();
      }).observe(document.body, { subtree: true, childList: true });
    });
    await page.getByRole('button', { name: 'Import 3,000 rows' }).click();
    await expect.poll(() => page.getByTestId('import-report').locator('h3').textContent(), IMPORTING).toContain('Import cancelled');
    const done = Number((await text(page, 'import-progress-text'))!.split(' / ')[0]!.replace(/,/g, ''));
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(ROWS);
    expect(await text(page, 'import-created')).toBe('0');
    expect(Number(await text(page, 'import-skipped')) + Number(await text(page, 'import-rejected'))).toBe(done);
    await screenshot(page, 'csv-import-progress-cancelled');

    expect(errors).toEqual([]);
    await context.close();
  }, 480_000);
});
