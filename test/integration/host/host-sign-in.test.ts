// Signing a profile in to a real tenant server (PGlite, demo tenant): profile, tokens, reuse, refusals, sign-out and the sync seam.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-server/config/server-config';
import { startServer } from '../../../src-server/app/start-server';
import type { RunningServer } from '../../../src-server/app/start-server';
import type { Profile } from '../../../src-shared/api/host.api';
import { createClientHost } from '../../../src-main/host/client-host';
import type { ClientHost } from '../../../src-main/host/client-host';
import type { ProfileSyncContext } from '../../../src-main/host/profile-sync';
import { createMemoryTokenStore } from '../../../src-main/host/token-store';
import type { TokenStore } from '../../../src-main/host/token-store';

describe('signing in to a tenant server', () => {
  let dir: string;
  let server: RunningServer;
  let host: ClientHost;
  let tokens: TokenStore;
  const attached: ProfileSyncContext[] = [];
  const detached: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fieldcrm-host-signin-'));
    server = await startServer(loadConfig({ DATA_DIR: join(dir, 'server'), PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'true' }), { log: pino({ level: 'silent' }), services: [] });
    tokens = createMemoryTokenStore();
    host = createClientHost({
      kind: 'web',
      rootDir: join(dir, 'web'),
      tokens,
      logError: () => {},
      attachSync: (ctx) => {
        attached.push(ctx);
        return { close: async () => void detached.push(ctx.profile.id), handlers: { 'pipelines.list': async () => ['answered by sync'] } };
      },
    });
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const session = () => host.openSession(() => {});
  const signIn = (s = session(), email = 'rep1@demo.test', password = 'demo1234') => s.call('profiles.signIn', { serverUrl: server.url, email, password });

  it('creates a server profile for the user, keeps the tokens, and the core acts as that user', async () => {
    const s = session();
    const result = await signIn(s);
    expect(result).toMatchObject({ ok: true, output: { kind: 'server', userName: 'Rita Rep', email: 'rep1@demo.test', role: 'rep', tenantName: 'Demo Co', signedIn: true } });
    const profile = (result as { output: Profile }).output;
    expect(profile.serverUrl).toBe(new URL(server.url).origin);
    expect(await tokens.load(profile.id)).toMatchObject({ clientId: profile.clientId });
    const created = await s.call('leads.create', { firstName: 'Offline', lastName: 'Capture' });
    expect(created).toMatchObject({ ok: true, output: { lead: { ownerId: profile.userId, tenantId: profile.tenantId } } });
  });

  it('attaches sync to the signed-in profile, which may answer methods itself', async () => {
    const s = session();
    const profile = ((await signIn(s)) as { output: Profile }).output;
    expect(attached.map((c) => c.profile.id)).toContain(profile.id);
    expect(await attached.find((c) => c.profile.id === profile.id)!.tokens.load()).not.toBeNull();
    expect(await s.call('pipelines.list', {})).toEqual({ ok: true, output: ['answered by sync'] });
  });

  it('reuses the profile and its client id when the same user signs in again', async () => {
    const first = ((await signIn()) as { output: Profile }).output;
    const again = ((await signIn()) as { output: Profile }).output;
    expect(again.id).toBe(first.id);
    expect(again.clientId).toBe(first.clientId);
    const other = ((await signIn(session(), 'manager@demo.test')) as { output: Profile }).output;
    expect(other.id).not.toBe(first.id);
  });

  it('refuses a wrong password with the server\'s error', async () => {
    expect(await signIn(session(), 'rep1@demo.test', 'wrong')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('signs out: tokens gone, sync detached, local data kept', async () => {
    const s = session();
    const profile = ((await signIn(s, 'rep2@demo.test')) as { output: Profile }).output;
    await s.call('leads.create', { firstName: 'Kept' });
    expect(await s.call('profiles.signOut', { id: profile.id })).toMatchObject({ ok: true, output: { signedIn: false } });
    expect(await tokens.load(profile.id)).toBeNull();
    expect(detached).toContain(profile.id);
    expect(await s.call('leads.queue', { withTotal: true })).toMatchObject({ ok: true, output: { total: 1 } });
  });
});
