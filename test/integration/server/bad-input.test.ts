// Bad input gets a 400 naming the fields at fault, never a 5xx, and writes nothing; fuzzed with fast-check.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { leads } from '../../../src-server/db/schema/leads.table';
import { deals } from '../../../src-server/db/schema/deals.table';
import { forEachDatabase } from '../../helpers/server-db';
import { request, seedTenant, signIn } from './api-client';
import type { ApiResponse } from './api-client';

type Case = [what: string, method: 'GET' | 'POST' | 'PATCH', url: string, body: unknown, fields: string[]];

forEachDatabase('bad input', (env) => {
  let token = '';
  let leadId = '';
  let dealId = '';
  beforeAll(async () => {
    const tenant = await seedTenant(env(), 301, 'bad-input', { leads: 5, deals: 3 });
    token = (await signIn(env().app, 'admin@demo.test', { tenant: 'bad-input' })).accessToken;
    leadId = tenant.dataset.leads[0]!.id;
    dealId = tenant.dataset.deals[0]!.id;
  });

  const send = (method: Case[1], url: string, body: unknown): Promise<ApiResponse> =>
    request(env().app, method, url.replace(':lead', leadId).replace(':deal', dealId), { token, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });

  describe('answers 400 VALIDATION naming each field at fault', () => {
    it.each<Case>([
      ['sign-in without anything', 'POST', '/api/v1/auth/sign-in', {}, ['email', 'password']],
      ['sign-in with a malformed email', 'POST', '/api/v1/auth/sign-in', { email: 'not-an-email', password: 'x' }, ['email']],
      ['sign-in with a field it does not know', 'POST', '/api/v1/auth/sign-in', { email: 'a@b.test', password: 'x', admin: true }, ['admin']],
      ['sign-in with a huge password', 'POST', '/api/v1/auth/sign-in', { email: 'a@b.test', password: 'x'.repeat(5000) }, ['password']],
      ['sign-in with a bad tenant slug', 'POST', '/api/v1/auth/sign-in', { email: 'a@b.test', password: 'x', tenant: 'Bad Slug!' }, ['tenant']],
      ['sign-in with an array body', 'POST', '/api/v1/auth/sign-in', [1, 2], ['(root)']],
      ['sign-in with a null body', 'POST', '/api/v1/auth/sign-in', null, ['(root)']],
      ['refresh with a number', 'POST', '/api/v1/auth/refresh', { refreshToken: 5 }, ['refreshToken']],
      ['sign-out with a non-boolean', 'POST', '/api/v1/auth/sign-out', { revokeDevice: 'yes' }, ['revokeDevice']],
      ['a lead list with limit 0', 'GET', '/api/v1/leads?limit=0', undefined, ['limit']],
      ['a lead list with a text limit', 'GET', '/api/v1/leads?limit=ten', undefined, ['limit']],
      ['a lead list with limit over 200', 'GET', '/api/v1/leads?limit=1000', undefined, ['limit']],
      ['a lead list with an unknown status', 'GET', '/api/v1/leads?status=WON', undefined, ['status']],
      ['a lead list with a forged cursor', 'GET', '/api/v1/leads?cursor=garbage', undefined, ['cursor']],
      ['a lead list with an unknown parameter', 'GET', '/api/v1/leads?sort=name', undefined, ['sort']],
      ['a lead list with a repeated parameter', 'GET', '/api/v1/leads?limit=1&limit=2', undefined, ['limit']],
      ['a lead id that is too long', 'GET', `/api/v1/leads/${'x'.repeat(65)}`, undefined, ['id']],
      ['an empty lead patch', 'PATCH', '/api/v1/leads/:lead', {}, ['(root)']],
      ['a lead patch of the status', 'PATCH', '/api/v1/leads/:lead', { status: 'CONVERTED' }, ['status']],
      ['a lead patch with a bad email', 'PATCH', '/api/v1/leads/:lead', { email: 'nope' }, ['email']],
      ['a lead patch with a country name', 'PATCH', '/api/v1/leads/:lead', { country: 'Germany' }, ['country']],
      ['a lead patch with a number for a name', 'PATCH', '/api/v1/leads/:lead', { firstName: 5 }, ['firstName']],
      ['a lead patch with an empty owner id', 'PATCH', '/api/v1/leads/:lead', { ownerId: '' }, ['ownerId']],
      ['a lead patch with a negative version', 'PATCH', '/api/v1/leads/:lead', { title: 'x', expectedVersion: -1 }, ['expectedVersion']],
      ['a lead patch assigning to nobody known', 'PATCH', '/api/v1/leads/:lead', { ownerId: 'no-such-user' }, ['ownerId']],
      ['a deal patch of the amount', 'PATCH', '/api/v1/deals/:deal', { amountMinor: 5 }, ['amountMinor']],
      ['a deal patch with an empty name', 'PATCH', '/api/v1/deals/:deal', { name: '' }, ['name']],
      ['a deal list with an unknown status', 'GET', '/api/v1/deals?status=maybe', undefined, ['status']],
    ])('%s', async (_what, method, url, body, fields) => {
      const res = await send(method, url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(expect.arrayContaining(fields.sort()));
    });
  });

  describe('fuzzed', () => {
    const unchanged = async (fn: () => Promise<ApiResponse>) => {
      const [lead] = await env().ctx.db.select().from(leads).where(eq(leads.id, leadId));
      const [deal] = await env().ctx.db.select().from(deals).where(eq(deals.id, dealId));
      const res = await fn();
      expect(res.status).toBeLessThan(500);
      if (res.status !== 200) {
        expect((await env().ctx.db.select().from(leads).where(eq(leads.id, leadId)))[0]).toEqual(lead);
        expect((await env().ctx.db.select().from(deals).where(eq(deals.id, dealId)))[0]).toEqual(deal);
      }
    };

    it('JSON bodies of any shape never get a 5xx, and a refused patch writes nothing', async () => {
      // Sign-out is left out: a well-formed body would end the session the other calls use (its bad bodies are in the table above).
      const targets: [Case[1], string][] = [['POST', '/api/v1/auth/sign-in'], ['POST', '/api/v1/auth/refresh'], ['PATCH', '/api/v1/leads/:lead'], ['PATCH', '/api/v1/deals/:deal']];
      const body = fc.oneof(
        fc.jsonValue(),
        fc.record({ email: fc.string(), password: fc.string(), tenant: fc.string(), clientId: fc.string() }, { requiredKeys: [] }),
        fc.record({ title: fc.anything(), ownerId: fc.anything(), expectedVersion: fc.anything(), nextStep: fc.anything(), country: fc.string() }, { requiredKeys: [] }),
      );
      await fc.assert(fc.asyncProperty(fc.constantFrom(...targets), body, async ([method, url], b) => {
        await unchanged(() => send(method, url, b));
      }), { numRuns: 150 });
    });

    it('raw bytes in odd encodings and content types never get a 5xx', async () => {
      const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '');
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), contentType, fc.constantFrom('/api/v1/auth/sign-in', '/api/v1/leads/:lead'), async (bytes, type, url) => {
        await unchanged(() => request(env().app, url.includes('leads') ? 'PATCH' : 'POST', url.replace(':lead', leadId), {
          token, body: Buffer.from(bytes) as unknown as string, ...(type ? { headers: { 'content-type': type } } : {}),
        }));
      }), { numRuns: 100 });
    });

    it('a malformed URL gets a 400 in the usual error envelope', async () => {
      const res = await request(env().app, 'GET', '/api/v1/leads/%E0%A4%A', { token });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
    });

    it('query strings of any text never get a 5xx', async () => {
      await fc.assert(fc.asyncProperty(fc.string({ maxLength: 120 }), fc.constantFrom('/api/v1/leads', '/api/v1/deals', '/api/v1/pipelines'), async (q, path) => {
        const res = await request(env().app, 'GET', `${path}?${encodeURI(q)}`, { token });
        expect(res.status).toBeLessThan(500);
      }), { numRuns: 100 });
    });
  });
});
