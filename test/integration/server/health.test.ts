// Liveness, readiness, request ids and the error envelope of the HTTP layer.
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src-server/app/server-context';
import { buildServer } from '../../../src-server/app/build-server';
import { forEachDatabase } from '../../helpers/server-db';
import { request } from './api-client';

forEachDatabase('health and HTTP basics', (env) => {
  it('answers /healthz', async () => {
    const res = await request(env().app, 'GET', '/healthz');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('is ready when the database answers and every shipped migration is applied', async () => {
    const res = await request(env().app, 'GET', '/readyz');
    const shipped = env().database.shipped.length;
    expect(res).toMatchObject({ status: 200, body: { status: 'ready', database: 'ok', migrations: { applied: shipped, shipped, current: true } } });
  });

  it('is not ready when the server ships a migration the database lacks', async () => {
    const { ctx } = env();
    const newer = { ...ctx.database, shipped: [...ctx.database.shipped, { tag: '9999_next', hash: 'f'.repeat(64), createdAt: Number.MAX_SAFE_INTEGER }] };
    const app = buildServer(createContext({ config: ctx.config, database: newer, log: ctx.log, signingKey: ctx.signingKey, clock: ctx.clock }));
    try {
      const res = await request(app, 'GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'not-ready', database: 'ok', migrations: { current: false } });
    } finally {
      await app.close();
    }
  });

  it('tags every response with a request id, keeping a sane one the caller sent', async () => {
    const generated = await request(env().app, 'GET', '/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await request(env().app, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-42' } });
    expect(kept.headers['x-request-id']).toBe('trace-42');
    const replaced = await request(env().app, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  describe('errors always come as { error: { code, message } } with a 4xx for bad requests', () => {
    it.each([
      ['an unknown route', { method: 'GET', url: '/api/v1/nope' }, 404, 'NOT_FOUND'],
      ['malformed JSON', { method: 'POST', url: '/api/v1/auth/sign-in', body: '{"email":', headers: { 'content-type': 'application/json' } }, 400, 'VALIDATION'],
      ['an empty JSON body', { method: 'POST', url: '/api/v1/auth/sign-in', body: '', headers: { 'content-type': 'application/json' } }, 400, 'VALIDATION'],
      ['an unsupported content type', { method: 'POST', url: '/api/v1/auth/sign-in', body: '<x/>', headers: { 'content-type': 'application/xml' } }, 415, 'VALIDATION'],
      ['a body over the limit', { method: 'POST', url: '/api/v1/auth/sign-in', body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } }, 413, 'PAYLOAD_TOO_LARGE'],
      ['no token', { method: 'GET', url: '/api/v1/leads' }, 401, 'UNAUTHENTICATED'],
      ['a forged token', { method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' } }, 401, 'UNAUTHENTICATED'],
    ] as const)('%s → %i %s', async (_what, req, status, code) => {
      const res = await request(env().app, req.method, req.url, { ...('body' in req ? { body: req.body } : {}), ...('headers' in req ? { headers: req.headers } : {}) });
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
    });
  });
});
