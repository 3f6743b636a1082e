// The browser host over real HTTP and WebSocket on loopback: the session token, the renderer's files, calls and events.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../src-shared/api/host-protocol';
import { createClientHost } from '../../../src-main/host/client-host';
import type { ClientHost } from '../../../src-main/host/client-host';
import { createMemoryTokenStore } from '../../../src-main/host/token-store';
import { startWebServer } from '../../../src-main/web/web-server';
import type { RunningWebServer } from '../../../src-main/web/web-server';

let host: ClientHost;
let web: RunningWebServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fieldcrm-web-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>FieldCRM</title>');
  writeFileSync(join(renderer, 'assets', 'app-1234.js'), 'console.log("app")');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  host = createClientHost({ kind: 'web', rootDir: join(dir, 'profiles'), tokens: createMemoryTokenStore(), logError: () => {} });
  web = await startWebServer({ host, rendererDir: renderer, port: 0 });
});

afterAll(async () => {
  await web?.close();
  await host?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so the Host header and paths are sent exactly as given. */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: web.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => `fieldcrm_session_${web.port}=${web.token}`;

describe('pages', () => {
  it('prints an open URL on 127.0.0.1 with the token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}`);
    expect(web.openUrl).toBe(`${web.url}/?token=${web.token}`);
    expect(web.token.length).toBeGreaterThanOrEqual(40);
  });

  it.each([
    ['no token', '/', {}],
    ['a wrong token', '/?token=wrong', {}],
    ['a wrong cookie', '/', { cookie: `fieldcrm_session_0=${'x'}` }],
    ['another port\'s cookie', '/assets/app-1234.js', { cookie: 'fieldcrm_session_1=whatever' }],
  ])('refuses a page with %s (401)', async (_what, path, headers) => {
    const answer = await get(path, headers as Record<string, string>);
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain('FieldCRM</title>');
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie and drops it from the address', async () => {
    const answer = await get(`/?token=${web.token}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    expect(String(answer.headers['set-cookie'])).toBe(`fieldcrm_session_${web.port}=${web.token}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it('serves the app with the cookie, with a strict CSP and no framing', async () => {
    const page = await get('/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>FieldCRM</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${web.port}`);
    expect(page.headers['x-frame-options']).toBe('DENY');
    const asset = await get('/assets/app-1234.js', { cookie: cookie() });
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    // A client-side route is the app; a missing asset is not.
    expect((await get('/leads/123', { cookie: cookie() })).body).toContain('<title>FieldCRM</title>');
    expect((await get('/assets/missing.js', { cookie: cookie() })).status).toBe(404);
    // Under a client-side route the page's relative asset links still find their files.
    expect((await get('/leads/assets/app-1234.js', { cookie: cookie() })).body).toBe('console.log("app")');
  });

  it.each(['/../secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt'])('never serves a file outside the renderer: %s', async (path) => {
    const answer = await get(path, { cookie: cookie() });
    expect(answer.body).not.toContain('secret');
  });

  it('answers only to its own host names (DNS rebinding)', async () => {
    expect((await get('/', { cookie: cookie(), host: 'evil.example' })).status).toBe(421);
    expect((await get('/', { cookie: cookie(), host: `localhost:${web.port}` })).status).toBe(200);
  });
});

/** Opens a socket; resolves when open, or with the HTTP status that refused it. */
function connect(path: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; frames: ServerFrame[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, { headers });
    const frames: ServerFrame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame));
    ws.on('open', () => resolve({ ws, frames }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode! }));
    ws.on('error', () => resolve({ refused: 0 }));
  });
}

async function open(headers: Record<string, string> = { cookie: cookie() }) {
  const c = await connect('/ws', headers);
  if ('refused' in c) throw new Error(`refused with ${c.refused}`);
  let nextId = 1;
  const call = async (method: string, input: unknown) => {
    const id = nextId++;
    c.ws.send(JSON.stringify({ type: 'call', id, method, input }));
    await expect.poll(() => c.frames.some((f) => f.type === 'result' && f.id === id), { timeout: 10_000 }).toBe(true);
    return (c.frames.find((f) => f.type === 'result' && f.id === id) as Extract<ServerFrame, { type: 'result' }>).result;
  };
  const events = () => c.frames.filter((f): f is Extract<ServerFrame, { type: 'event' }> => f.type === 'event');
  return { ...c, call, events };
}

describe('the WebSocket', () => {
  it.each([
    ['no token', '/ws', {}, 401],
    ['a wrong token', '/ws?token=wrong', {}, 401],
    ['a foreign origin', `/ws?token=TOKEN`, { origin: 'https://evil.example' }, 403],
    ['another path', '/socket?token=TOKEN', {}, 404],
  ])('refuses %s (%s)', async (_what, path, headers, status) => {
    const result = await connect(path.replace('TOKEN', web.token), headers);
    expect(result).toEqual({ refused: status });
  });

  it('accepts the cookie, or the token as a parameter, and answers calls', async () => {
    const byCookie = await open();
    expect(await byCookie.call('host.info', {})).toMatchObject({ ok: true, output: { kind: 'web', protocolVersion: 1 } });
    byCookie.ws.close();
    // A page of the app itself sends its own origin.
    const byParam = await connect(`/ws?token=${web.token}`, { origin: web.url });
    expect('ws' in byParam).toBe(true);
    if ('ws' in byParam) byParam.ws.close();
  });

  it('answers errors as data: unknown methods and bad input', async () => {
    const s = await open();
    expect(await s.call('leads.nuke', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await s.call('profiles.createLocal', { name: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'name' }] } });
    s.ws.close();
  });

  it('closes a socket that speaks another protocol', async () => {
    const s = await open();
    const closed = new Promise<number>((resolve) => s.ws.on('close', (code) => resolve(code)));
    s.ws.send('not json');
    expect(await closed).toBe(1008);
  });

  it('forwards the events of the socket\'s profile only', async () => {
    const a = await open();
    const b = await open();
    expect(await a.call('profiles.createLocal', { name: 'A' })).toMatchObject({ ok: true });
    expect(await b.call('profiles.createLocal', { name: 'B' })).toMatchObject({ ok: true });
    expect(await a.call('leads.create', { firstName: 'Ana' })).toMatchObject({ ok: true });
    await expect.poll(() => a.events().map((e) => e.event), { timeout: 10_000 }).toContain('changed');
    expect(a.events().find((e) => e.event === 'changed')?.payload).toMatchObject({ mutations: ['leads.create'] });
    expect(b.events().map((e) => e.event)).not.toContain('changed');
    a.ws.close();
    b.ws.close();
  });
});
