// The client-core host: profiles isolated from each other, contract validation at the edge, events per profile, persistence.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallResult, HostEvent } from '../../../src-shared/api/host-protocol';
import { createClientHost } from '../../../src-main/host/client-host';
import type { ClientHost } from '../../../src-main/host/client-host';
import { createMemoryTokenStore } from '../../../src-main/host/token-store';

const hosts: ClientHost[] = [];

function newHost(rootDir = mkdtempSync(join(tmpdir(), 'fieldcrm-host-'))) {
  const host = createClientHost({ kind: 'web', rootDir, tokens: createMemoryTokenStore(), logError: () => {} });
  hosts.push(host);
  return { host, rootDir };
}

function window(host: ClientHost) {
  const events: HostEvent[] = [];
  const session = host.openSession((e) => events.push(e));
  const call = async (method: string, input: unknown) => session.call(method, input);
  const ok = async <T = unknown>(method: string, input: unknown): Promise<T> => {
    const result = await call(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.output as T;
  };
  return { session, events, call, ok, names: () => events.map((e) => e.event) };
}

const leadCount = async (w: ReturnType<typeof window>) => (await w.ok<{ total: number }>('leads.queue', { withTotal: true })).total;

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

describe('profiles', () => {
  it('keep their data apart: two windows, two profiles, two stores', async () => {
    const { host } = newHost();
    const a = window(host);
    const b = window(host);
    const pa = await a.ok<{ id: string }>('profiles.createLocal', { name: 'Rita' });
    const pb = await b.ok<{ id: string }>('profiles.createLocal', { name: 'Rob' });
    expect(pa.id).not.toBe(pb.id);
    await a.ok('leads.create', { firstName: 'Ana', lastName: 'Lopez' });
    expect(await leadCount(a)).toBe(1);
    expect(await leadCount(b)).toBe(0);
    expect(await a.ok('profiles.current', {})).toMatchObject({ id: pa.id, name: 'Rita', kind: 'local', signedIn: false });
    const list = await b.ok<{ profiles: { id: string }[]; currentId: string }>('profiles.list', {});
    expect(list.profiles.map((p) => p.id)).toEqual([pa.id, pb.id]);
    expect(list.currentId).toBe(pb.id);
  });

  it('send a profile\'s events to every window working in it, and to no other', async () => {
    const { host } = newHost();
    const a = window(host);
    const a2 = window(host);
    const b = window(host);
    const pa = await a.ok<{ id: string }>('profiles.createLocal', { name: 'Rita' });
    await a2.ok('profiles.open', { id: pa.id });
    await b.ok('profiles.createLocal', { name: 'Rob' });
    for (const w of [a, a2, b]) w.events.length = 0;
    await a.ok('leads.create', { firstName: 'Ana' });
    expect(a.events).toEqual([{ event: 'changed', payload: { mutations: ['leads.create'], tables: expect.arrayContaining(['leads']) } }]);
    expect(a2.events).toEqual(a.events);
    expect(b.events).toEqual([]);
  });

  it('tell a window which profile it is in, with the attention counts', async () => {
    const { host } = newHost();
    const a = window(host);
    const p = await a.ok<{ id: string }>('profiles.createLocal', { name: 'Rita' });
    expect(a.events[0]).toEqual({ event: 'profile.changed', payload: { profileId: p.id } });
    await expect.poll(() => a.events.find((e) => e.event === 'attention.changed')?.payload, { timeout: 10_000 }).toEqual({ unreadNotifications: 0, pendingApprovals: 0, fresh: [] });
  });

  it('survive the host: a new host lists and opens them with their data', async () => {
    const { host, rootDir } = newHost();
    const a = window(host);
    const p = await a.ok<{ id: string }>('profiles.createLocal', { name: 'Rita' });
    await a.ok('leads.create', { firstName: 'Ana' });
    await host.close();
    const again = window(newHost(rootDir).host);
    expect(await again.ok('profiles.current', {})).toBeNull();
    expect((await again.ok<{ profiles: { id: string }[] }>('profiles.list', {})).profiles.map((x) => x.id)).toEqual([p.id]);
    await again.ok('profiles.open', { id: p.id });
    expect(await leadCount(again)).toBe(1);
  });

  it('are removed with their data, and windows in them are told', async () => {
    const { host, rootDir } = newHost();
    const a = window(host);
    const b = window(host);
    const p = await a.ok<{ id: string }>('profiles.createLocal', { name: 'Rita' });
    await b.ok('profiles.open', { id: p.id });
    expect(existsSync(join(rootDir, 'profiles', p.id, 'crm.db'))).toBe(true);
    await a.ok('profiles.remove', { id: p.id });
    expect(existsSync(join(rootDir, 'profiles', p.id))).toBe(false);
    expect(b.events.at(-1)).toEqual({ event: 'profile.changed', payload: { profileId: null } });
    expect(await b.call('leads.queue', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await a.ok<{ profiles: unknown[] }>('profiles.list', {})).profiles).toEqual([]);
  });

  it('run a window\'s calls after its profile change, even when sent at once', async () => {
    const { host } = newHost();
    const a = window(host);
    const [created, lead] = await Promise.all([a.call('profiles.createLocal', { name: 'Rita' }), a.call('leads.create', { firstName: 'Ana' })]);
    expect(created.ok && lead.ok).toBe(true);
  });
});

describe('dispatch', () => {
  const expectError = (result: CallResult, code: string, field?: string) => {
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    if (field) expect(result.error.fields?.map((f) => f.path)).toContain(field);
  };

  it.each([
    ['leads.nuke', {}, 'UNKNOWN_METHOD', undefined],
    ['constructor', {}, 'UNKNOWN_METHOD', undefined],
    ['toString', {}, 'UNKNOWN_METHOD', undefined],
    ['__proto__', {}, 'UNKNOWN_METHOD', undefined],
    ['profiles.createLocal', { name: '' }, 'VALIDATION', 'name'],
    ['profiles.createLocal', 'Rita', 'VALIDATION', '(root)'],
    ['profiles.open', { id: 'no-such-profile' }, 'NOT_FOUND', undefined],
    ['profiles.signIn', { serverUrl: 'ftp://x', email: 'a@b.test', password: 'p' }, 'VALIDATION', 'serverUrl'],
    ['profiles.signIn', { serverUrl: 'http://127.0.0.1:1', email: 'not-an-email', password: 'p' }, 'VALIDATION', 'email'],
    ['leads.queue', {}, 'UNAUTHENTICATED', undefined],
  ])('%s with %j answers %s', async (method, input, code, field) => {
    const w = window(newHost().host);
    expectError(await w.call(method, input), code, field);
  });

  it('validates core methods against the contract too', async () => {
    const w = window(newHost().host);
    await w.ok('profiles.createLocal', { name: 'Rita' });
    expectError(await w.call('leads.qualify', { id: 42 }), 'VALIDATION', 'id');
    expectError(await w.call('leads.queue', { limit: 10_000 }), 'VALIDATION', 'limit');
    expectError(await w.call('leads.get', { id: 'missing' }), 'NOT_FOUND');
  });

  it('names an unreachable server next to its address', async () => {
    const w = window(newHost().host);
    expectError(await w.call('profiles.signIn', { serverUrl: 'http://127.0.0.1:1', email: 'rep1@demo.test', password: 'demo1234' }), 'VALIDATION', 'serverUrl');
  });

  it('refuses calls once the host is closing', async () => {
    const { host } = newHost();
    const w = window(host);
    await host.close();
    expectError(await w.call('profiles.list', {}), 'INTERNAL');
  });
});
