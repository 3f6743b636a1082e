// A profile signed in to a real tenant server (PGlite, demo tenant): the synced core, its tokens, sign-out and back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-server/config/server-config';
import { startServer } from '../../../src-server/app/start-server';
import type { RunningServer } from '../../../src-server/app/start-server';
import type { Profile, SyncStatusOut } from '../../../src-shared/api/host.api';
import type { CallResult, HostEvent } from '../../../src-shared/api/host-protocol';
import { createClientHost } from '../../../src-main/host/client-host';
import type { ClientHost, HostSession } from '../../../src-main/host/client-host';
import { createMemoryTokenStore } from '../../../src-main/host/token-store';
import type { TokenStore } from '../../../src-main/host/token-store';

describe('a profile signed in to a tenant server', () => {
  let dir: string;
  let server: RunningServer;
  let host: ClientHost;
  let tokens: TokenStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fieldcrm-host-signin-'));
    server = await startServer(loadConfig({ DATA_DIR: join(dir, 'server'), PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'true' }), { log: pino({ level: 'silent' }), services: [] });
    tokens = createMemoryTokenStore();
    host = createClientHost({ kind: 'web', rootDir: join(dir, 'web'), tokens, logError: () => {} });
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function window() {
    const events: HostEvent[] = [];
    const session: HostSession = host.openSession((e) => events.push(e));
    const ok = async <T>(method: string, input: unknown): Promise<T> => {
      const result: CallResult = await session.call(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
      return result.output as T;
    };
    return { session, events, ok };
  }
  type Window = ReturnType<typeof window>;

  const signIn = (w: Window, email = 'rep1@demo.test') => w.ok<Profile>('profiles.signIn', { serverUrl: server.url, email, password: 'demo1234' });
  const status = (w: Window) => w.ok<SyncStatusOut>('sync.status', {});
  const inStep = (w: Window) => expect.poll(async () => { const s = await status(w); return s.phase === 'idle' && s.pending === 0 && s.lastSyncAt !== null; }, { timeout: 20_000 }).toBe(true);
  /** The lead as the server has it, read with the profile's own access token. */
  async function onServer(profileId: string, leadId: string): Promise<number> {
    const session = await tokens.load(profileId);
    const res = await fetch(`${server.url}/api/v1/leads/${leadId}`, { headers: { authorization: `Bearer ${session!.accessToken}` } });
    return res.status;
  }

  it('creates a server profile, keeps its session, and syncs the user\'s leads into the local store', async () => {
    const w = window();
    const profile = await signIn(w);
    expect(profile).toMatchObject({ kind: 'server', userName: 'Rita Rep', email: 'rep1@demo.test', role: 'rep', tenantName: 'Demo Co', signedIn: true });
    expect(profile.serverUrl).toBe(new URL(server.url).origin);
    expect(await tokens.load(profile.id)).toMatchObject({ clientId: profile.clientId, user: { email: 'rep1@demo.test' } });
    await inStep(w);
    expect((await w.ok<{ total: number }>('leads.queue', { withTotal: true })).total).toBeGreaterThan(0);
    expect(w.events.map((e) => e.event)).toContain('sync.status');
  });

  it('pushes a lead written locally to the server', async () => {
    const w = window();
    const profile = await signIn(w);
    const { lead } = await w.ok<{ lead: { id: string } }>('leads.create', { firstName: 'Pushed', lastName: 'Lead', source: 'trade show' });
    await inStep(w);
    expect(await onServer(profile.id, lead.id)).toBe(200);
  });

  it('reuses the profile and its client id when the same user signs in again; another user gets another', async () => {
    const first = await signIn(window());
    const again = await signIn(window());
    expect(again.id).toBe(first.id);
    expect(again.clientId).toBe(first.clientId);
    expect((await signIn(window(), 'manager@demo.test')).id).not.toBe(first.id);
  });

  it('refuses a wrong password with the server\'s error', async () => {
    const result = await window().session.call('profiles.signIn', { serverUrl: server.url, email: 'rep1@demo.test', password: 'wrong' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('keeps writes made while signed out, and pushes them after signing in again', async () => {
    const w = window();
    const profile = await signIn(w, 'rep2@demo.test');
    await inStep(w);
    expect(await w.ok('profiles.signOut', { id: profile.id })).toMatchObject({ signedIn: false });
    expect(await tokens.load(profile.id)).toBeNull();
    const { lead } = await w.ok<{ lead: { id: string } }>('leads.create', { firstName: 'Written', lastName: 'Offline' });
    await expect.poll(async () => (await status(w)).pending, { timeout: 10_000 }).toBe(1);
    await signIn(w, 'rep2@demo.test');
    await inStep(w);
    expect(await onServer(profile.id, lead.id)).toBe(200);
  });

  it('works offline on request, and syncs again when asked', async () => {
    const w = window();
    await signIn(w);
    await inStep(w);
    expect(await w.ok('sync.setWorkOffline', { offline: true })).toMatchObject({ phase: 'paused' });
    await w.ok('leads.create', { firstName: 'Paused' });
    expect(await status(w)).toMatchObject({ phase: 'paused', pending: 1 });
    await w.ok('sync.setWorkOffline', { offline: false });
    expect(await w.ok('sync.now', {})).toMatchObject({ pending: 0 });
  });

  it('has nothing to sync for a standalone profile', async () => {
    const w = window();
    await w.ok('profiles.createLocal', { name: 'Alone' });
    expect(await status(w)).toBeNull();
    expect(await w.session.call('sync.now', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
