// Admin API of web forms on both databases: keys, origins, field maps, the signing secret, and forms the capture endpoint then serves.
import { beforeAll, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { capturePath } from '../../../src-shared/http/capture.http';
import { forms } from '../../../src-server/db/schema/forms.table';
import { forEachDatabase } from '../../helpers/server-db';
import { request } from '../server/api-client';
import { auditOf, expectFields, expectStatus, seedAdminTenant, tenantDigest } from './admin-fixtures';
import type { AdminTenant } from './admin-fixtures';

forEachDatabase('admin: web forms', (env) => {
  let a: AdminTenant;
  let b: AdminTenant;
  beforeAll(async () => {
    a = await seedAdminTenant(env(), 531, 'admin-forms-a');
    b = await seedAdminTenant(env(), 532, 'admin-forms-b');
  });

  const form = (key: string, extra: object = {}) => ({
    key, name: `Form ${key}`, fieldMap: { vorname: 'firstName', nachname: 'lastName', mail: 'email' },
    allowedOrigins: ['https://www.Example.com', 'http://localhost:5173'], thankYouUrl: '/danke', ...extra,
  });

  it('creates a form: defaults filled in, origins in lower case, no secret unless asked, audited', async () => {
    const res = await a.admin.post('/forms', form('contact-a'));
    expectStatus(res, 201);
    expect(res.body).toMatchObject({
      key: 'contact-a', active: true, signed: false, honeypotField: null, submissionIdField: null,
      defaults: { source: null, medium: null, campaign: null }, allowedOrigins: ['https://www.example.com', 'http://localhost:5173'],
    });
    expect(res.body).not.toHaveProperty('hmacSecret');
    expect((await a.admin.get(`/forms/${res.body.id}`)).body).toEqual(res.body);
    expect((await a.admin.get('/forms')).body.items.map((f: { key: string }) => f.key)).toContain('contact-a');
    expect((await auditOf(env(), a.tenantId, res.body.id))[0]).toMatchObject({ entityType: 'config', action: 'create', after: { configType: 'form', key: 'contact-a', signed: false } });
  });

  it('makes a signing secret on request, answers it once, and the capture endpoint then requires it', async () => {
    const res = await a.admin.post('/forms', form('signed-a', { signed: true }));
    expectStatus(res, 201);
    const secret: string = res.body.hmacSecret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await a.admin.get(`/forms/${res.body.id}`)).body).toMatchObject({ signed: true });
    expect(JSON.stringify((await a.admin.get('/forms')).body)).not.toContain(secret);
    expect(JSON.stringify(await auditOf(env(), a.tenantId, res.body.id))).not.toContain(secret);

    const body = JSON.stringify({ vorname: 'Grete', nachname: 'Signed', mail: 'grete@signed.example' });
    const post = (headers: Record<string, string>) => request(env().app, 'POST', capturePath('signed-a'), { body, headers: { 'content-type': 'application/json', ...headers } });
    expectStatus(await post({}), 401);
    const signed = await post({ 'x-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` });
    expectStatus(signed, 201);

    const rotated = await a.admin.post(`/forms/${res.body.id}/secret`);
    expectStatus(rotated, 200);
    expect(rotated.body.hmacSecret).not.toBe(secret);
    const [row] = await env().ctx.db.select().from(forms).where(eq(forms.id, res.body.id));
    expect(row!.hmacSecret).toBe(rotated.body.hmacSecret);
    const cleared = await a.admin.delete(`/forms/${res.body.id}/secret`);
    expectStatus(cleared, 200);
    expect(cleared.body).toMatchObject({ signed: false });
    expect((await auditOf(env(), a.tenantId, res.body.id)).slice(-2).map((e) => e.after)).toEqual([
      { configType: 'form', signed: true, secretRotated: true },
      { configType: 'form', signed: false },
    ]);
  });

  it('keeps keys unique across the server: another tenant’s key is taken too', async () => {
    const taken = await a.admin.post('/forms', form('admin-forms-b-form'));
    expectStatus(taken, 409);
    expect(taken.body.error.fields).toEqual([{ path: 'key', message: 'already taken' }]);
    const mine = (await a.admin.post('/forms', form('renamable'))).body;
    expectStatus(await a.admin.patch(`/forms/${mine.id}`, { key: 'admin-forms-b-form' }), 409);
    expectStatus(await a.admin.patch(`/forms/${mine.id}`, { key: 'renamed', name: 'Renamed' }), 200);
  });

  it.each([
    ['a key with a slash', form('a/b'), ['key']],
    ['an origin with a path', form('o1', { allowedOrigins: ['https://example.com/form'] }), ['allowedOrigins.0']],
    ['an origin without a scheme', form('o2', { allowedOrigins: ['example.com'] }), ['allowedOrigins.0']],
    ['an origin on another scheme', form('o3', { allowedOrigins: ['ftp://example.com'] }), ['allowedOrigins.0']],
    ['a port out of range', form('o4', { allowedOrigins: ['https://example.com:70000'] }), ['allowedOrigins.0']],
    ['a field mapped to no lead field', form('m1', { fieldMap: { salary: 'salary' } }), ['fieldMap.salary']],
    ['a protocol-relative thank-you URL', form('t1', { thankYouUrl: '//evil.example' }), ['thankYouUrl']],
    ['a javascript: thank-you URL', form('t2', { thankYouUrl: 'javascript:alert(1)' }), ['thankYouUrl']],
    ['a honeypot name with a control character', form('h1', { honeypotField: 'a\u0007b' }), ['honeypotField']],
    ['a secret given by the caller', form('s1', { hmacSecret: 'mine' }), ['hmacSecret']],
  ])('refuses %s with 400 naming the field', async (_what, body, fields) => {
    expectFields(await a.admin.post('/forms', body), fields);
  });

  it('deletes an unused form; one that took submissions is deactivated instead', async () => {
    const used = (await a.admin.post('/forms', form('used-a'))).body;
    expectStatus(await request(env().app, 'POST', capturePath('used-a'), { body: { nachname: 'Used', mail: 'used@forms.example' } }), 201);
    const refused = await a.admin.delete(`/forms/${used.id}`);
    expectStatus(refused, 409);
    expect(refused.body.error).toMatchObject({ message: expect.stringContaining('1 submission'), details: { submissions: 1 } });
    expect((await a.admin.patch(`/forms/${used.id}`, { active: false })).body.active).toBe(false);

    const unused = (await a.admin.post('/forms', form('unused-a'))).body;
    expectStatus(await a.admin.delete(`/forms/${unused.id}`), 204);
    expectStatus(await a.admin.get(`/forms/${unused.id}`), 404);
  });

  it("is config.edit's alone, and another tenant's forms are not found", async () => {
    const formB = (await b.admin.get('/forms')).body.items[0];
    for (const caller of [a.manager, a.rep]) {
      expectStatus(await caller.get('/forms'), 403);
      expectStatus(await caller.post('/forms', form('x')), 403);
      expectStatus(await caller.post(`/forms/${formB.id}/secret`), 403);
    }
    const digest = await tenantDigest(env(), b.tenantId);
    for (const res of [
      await a.admin.get(`/forms/${formB.id}`),
      await a.admin.patch(`/forms/${formB.id}`, { name: 'Stolen' }),
      await a.admin.delete(`/forms/${formB.id}`),
      await a.admin.post(`/forms/${formB.id}/secret`),
      await a.admin.delete(`/forms/${formB.id}/secret`),
    ]) expectStatus(res, 404);
    expect((await a.admin.get('/forms')).body.items.map((f: { id: string }) => f.id)).not.toContain(formB.id);
    expect(await tenantDigest(env(), b.tenantId)).toBe(digest);
  });
});
