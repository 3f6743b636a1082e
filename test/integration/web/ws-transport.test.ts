// The renderer's WebSocket transport against the real web host: typed calls, errors as AppError, events, reconnection.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/api/errors';
import { createClientHost } from '../../../src-main/host/client-host';
import type { ClientHost } from '../../../src-main/host/client-host';
import { createMemoryTokenStore } from '../../../src-main/host/token-store';
import { startWebServer } from '../../../src-main/web/web-server';
import type { RunningWebServer } from '../../../src-main/web/web-server';
import { createWsTransport } from '../../../src-renderer/transport/ws-transport';
import type { Transport, TransportStatus } from '../../../src-renderer/transport/transport';

let host: ClientHost;
let web: RunningWebServer;
let rendererDir: string;
const transports: Transport[] = [];

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
}

function transport(storage = memoryStorage()) {
  const t = createWsTransport({ url: `ws://127.0.0.1:${web.port}/ws?token=${web.token}`, storage, minDelayMs: 5, maxDelayMs: 50 });
  transports.push(t);
  return t;
}

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-transport-'));
  rendererDir = dir;
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  host = createClientHost({ kind: 'web', rootDir: join(dir, 'profiles'), tokens: createMemoryTokenStore(), logError: () => {} });
  web = await startWebServer({ host, rendererDir, port: 0 });
});

afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  await web.close();
  await host.close();
});

describe('the WebSocket transport', () => {
  it('calls typed methods and resolves with their output (calls made before the socket opens wait for it)', async () => {
    const t = transport();
    const info = await t.call('host.info', {});
    expect(info.kind).toBe('web');
    const profile = await t.call('profiles.createLocal', { name: 'Rita' });
    const { lead } = await t.call('leads.create', { firstName: 'Ana', lastName: 'Lopez' });
    expect(lead.firstName).toBe('Ana');
    expect(profile.kind).toBe('local');
    expect(t.status()).toBe('open');
  });

  it('rejects with an AppError carrying the code and the fields at fault', async () => {
    const t = transport();
    await t.call('profiles.createLocal', { name: 'Rita' });
    const err = await t.call('leads.qualify', { id: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'id' }] });
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const t = transport();
    await t.call('profiles.createLocal', { name: 'Rita' });
    const tables: string[][] = [];
    const off = t.on('changed', (change) => tables.push(change.tables));
    await t.call('leads.create', { firstName: 'Ana' });
    await expect.poll(() => tables.length, { timeout: 10_000 }).toBe(1);
    off();
    await t.call('leads.create', { firstName: 'Bo' });
    await t.call('profiles.current', {});
    expect(tables).toHaveLength(1);
  });

  it('reconnects when the host comes back, and reopens the tab\'s profile by itself', async () => {
    const t = transport();
    const statuses: TransportStatus[] = [];
    t.onStatus((s) => statuses.push(s));
    const profile = await t.call('profiles.createLocal', { name: 'Rita' });
    await t.call('leads.create', { firstName: 'Ana' });
    const { port, token } = web;
    await web.close();
    await expect.poll(() => statuses, { timeout: 10_000 }).toContain('closed');
    web = await startWebServer({ host, rendererDir, port, token });
    await expect.poll(() => t.status(), { timeout: 5_000 }).toBe('open');
    expect((await t.call('profiles.current', {}))?.id).toBe(profile.id);
    expect((await t.call('leads.queue', { withTotal: true })).total).toBe(1);
    expect(statuses).toEqual(expect.arrayContaining(['closed', 'connecting', 'open']));
  });

  it('reopens the remembered profile in a new page (a reload), and forgets a removed one', async () => {
    const storage = memoryStorage();
    const first = transport(storage);
    const profile = await first.call('profiles.createLocal', { name: 'Rita' });
    first.close();
    const reloaded = transport(storage);
    expect((await reloaded.call('profiles.current', {}))?.id).toBe(profile.id);
    await reloaded.call('profiles.remove', { id: profile.id });
    await expect.poll(() => storage.map.size, { timeout: 10_000 }).toBe(0);
  });
});
