// Lead capture over real HTTP on loopback, against PGlite and PostgreSQL: forms, JSON, idempotency, checks, duplicates.
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { forEachDatabase, TEST_EPOCH } from '../../helpers/server-db';
import { buildServer } from '../../../src-server/app/build-server';
import { queryRows } from '../../../src-server/db/query-rows';
import { attachJobSender, detachJobSender } from '../../../src-server/jobs/lead-events';
import { signCaptureBody } from '../../../src-server/capture/capture-signature';
import { DEFERRED, SUBMISSION_SUBJECT, writeCaptureBatch } from '../../../src-server/capture/capture-store';
import type { CaptureWriteEnv, PendingCapture } from '../../../src-server/capture/capture-store';
import type { CaptureDraft } from '../../../src-server/capture/capture-fields';
import { sqlRunner } from '../../../src-server/capture/capture-sql';
import { AppError } from '../../../src-shared/api/errors';
import { CaptureResponse } from '../../../src-shared/http/capture.http';
import { captureAreas, countRows, leadsOf, listenOnLoopback, seedForm, seedTenant } from './capture-fixtures';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_HEADERS = { 'content-type': 'application/json' };

forEachDatabase('lead capture', (env) => {
  let base = '';
  const post = (key: string, body: string | Buffer, headers: Record<string, string>, query = '') =>
    fetch(`${base}/api/v1/capture/${key}${query}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body), redirect: 'manual' });
  const postJson = (key: string, body: unknown, headers: Record<string, string> = {}) => post(key, JSON.stringify(body), { ...JSON_HEADERS, ...headers });
  const db = () => env().ctx.db;

  beforeAll(async () => {
    base = await listenOnLoopback(env().app);
    await seedTenant(db(), 'T-flag', TEST_EPOCH, 'flag');
    await seedTenant(db(), 'T-attach', TEST_EPOCH, 'attach');
    await seedTenant(db(), 'T-checks', TEST_EPOCH, 'flag');
    await seedForm(db(), { tenantId: 'T-flag', key: 'contact', thankYouUrl: '/thanks', defaults: { source: 'website', medium: 'form', campaign: 'spring' } }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-flag', key: 'no-thanks' }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-flag', key: 'with-id', submissionIdField: 'submission_id' }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-attach', key: 'attach' }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-checks', key: 'signed', hmacSecret: 's3cret' }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-checks', key: 'trap', honeypotField: 'website', thankYouUrl: 'https://example.com/thanks' }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-checks', key: 'cors', allowedOrigins: ['https://shop.example'] }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-checks', key: 'checks' }, TEST_EPOCH);
    await seedForm(db(), { tenantId: 'T-checks', key: 'retired', active: false }, TEST_EPOCH);
  });

  describe('HTML form posts and JSON', () => {
    it('redirects a form post to the thank-you URL and stores the lead with its source, score, note, keys and audit', async () => {
      const before = await countRows(db(), 'T-flag');
      const res = await post('contact', form({
        first_name: 'Anna', last_name: 'Schmidt', email: 'anna@acme.example', phone: '+49 30 1234567', company: 'Acme GmbH',
        title: 'Head of Sales', message: 'Please call me\nafter 3 pm', utm_source: 'newsletter', utm_medium: 'email',
      }), { ...FORM_HEADERS, referer: 'https://acme.example/pricing' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/thanks');
      // The server's own thank-you page is where the browser lands.
      const thanks = await fetch(`${base}/thanks`);
      expect([thanks.status, await thanks.text()]).toEqual([200, expect.stringContaining('Thank you')]);

      const lead = (await leadsOf(db(), 'T-flag')).find((l) => l.email === 'anna@acme.example')!;
      expect(lead).toMatchObject({
        first_name: 'Anna', last_name: 'Schmidt', phone: '+49 30 1234567', company_name: 'Acme GmbH', status: 'NEW',
        // The post's UTM fields win over the form's defaults; the campaign it lacks comes from them.
        source: 'newsletter', medium: 'email', campaign: 'spring', referrer: 'https://acme.example/pricing', form_key: 'contact',
        possible_duplicate_of: null,
      });
      // Default scoring: senior title 20 + phone 10 + company 5, and the note's engagement (1).
      expect(lead.score).toBe(36);
      const after = await countRows(db(), 'T-flag');
      expect(after).toMatchObject({ leads: before.leads + 1, submissions: before.submissions + 1, activities: before.activities + 1, audit: before.audit + 1, version: before.version + 1 });
      expect(after.keys).toBeGreaterThan(before.keys);
      expect(Number(lead.version)).toBe(after.version);

      const notes = await queryRows(db(), sql`SELECT subject, body, kind FROM activities WHERE entity_id = ${lead.id}`);
      expect(notes).toEqual([{ subject: SUBMISSION_SUBJECT, body: 'Please call me\nafter 3 pm', kind: 'note' }]);
      const audit = await queryRows(db(), sql`SELECT action, actor_id, after->>'email' AS email FROM audit_log WHERE entity_id = ${lead.id}`);
      expect(audit).toEqual([{ action: 'create', actor_id: null, email: 'anna@acme.example' }]);
    });

    it('answers a form post with a thank-you page when the form has no thank-you URL', async () => {
      const res = await post('no-thanks', form({ last_name: 'Page', email: 'page@example.org' }), FORM_HEADERS);
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('Thank you');
    });

    it('answers JSON with 201 and the lead id, taking UTM parameters from the query string', async () => {
      const res = await post('no-thanks', JSON.stringify({ lastName: 'Query', email: 'query@example.org' }), JSON_HEADERS, '?utm_source=ads&utm_campaign=q1');
      expect(res.status).toBe(201);
      const body = CaptureResponse.parse(await res.json());
      const lead = (await leadsOf(db(), 'T-flag')).find((l) => l.id === body.leadId)!;
      expect(lead).toMatchObject({ last_name: 'Query', source: 'ads', medium: 'form', campaign: 'q1', form_key: 'no-thanks', referrer: null });
    });
  });

  describe('exactly one lead per submission', () => {
    it('replays the first answer for retries with the same Idempotency-Key', async () => {
      const before = await countRows(db(), 'T-flag');
      const body = { lastName: 'Retry', email: 'retry@example.org' };
      const answers = [];
      for (let i = 0; i < 3; i++) {
        const res = await postJson('no-thanks', body, { 'idempotency-key': 'order-42' });
        answers.push({ status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() });
      }
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      expect(answers.map((a) => a.replayed)).toEqual([null, 'true', 'true']);
      expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
      expect(await countRows(db(), 'T-flag')).toMatchObject({ leads: before.leads + 1, submissions: before.submissions + 1 });
    });

    it('uses the form’s submission id field as the key, and replays a form post as the same redirect', async () => {
      const before = await countRows(db(), 'T-flag');
      const body = form({ submission_id: 'sub-1', last_name: 'Field', email: 'field@example.org' });
      const first = await post('with-id', body, FORM_HEADERS);
      const again = await postJson('with-id', { submission_id: 'sub-1', last_name: 'Field', email: 'field@example.org' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await countRows(db(), 'T-flag')).toMatchObject({ leads: before.leads + 1 });
    });

    it('refuses a key reused for a different submission with 409 and writes nothing', async () => {
      await postJson('no-thanks', { lastName: 'First', email: 'first@example.org' }, { 'idempotency-key': 'reused' });
      const before = await countRows(db(), 'T-flag');
      const res = await postJson('no-thanks', { lastName: 'Second', email: 'second@example.org' }, { 'idempotency-key': 'reused' });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');
      expect(await countRows(db(), 'T-flag')).toEqual(before);
    });

    it('makes one lead of many concurrent identical submissions', async () => {
      const before = await countRows(db(), 'T-flag');
      const body = JSON.stringify({ first_name: 'Con', last_name: 'Current', email: 'concurrent@example.org' });
      const responses = await Promise.all(Array.from({ length: 40 }, () => post('no-thanks', body, { ...JSON_HEADERS, 'idempotency-key': 'burst-1' })));
      const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ leadId: string }>));
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
      expect(new Set(bodies.map((b) => b.leadId)).size).toBe(1);
      expect(responses.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      expect(await countRows(db(), 'T-flag')).toMatchObject({ leads: before.leads + 1, submissions: before.submissions + 1 });
    });

    it('makes one lead when the retries reach two server processes at once', async () => {
      // A second app over the same database has its own batching, so only the database's unique claim can decide.
      const other = buildServer(env().ctx, { areas: captureAreas() });
      try {
        const otherBase = await listenOnLoopback(other);
        const before = await countRows(db(), 'T-flag');
        const body = JSON.stringify({ last_name: 'Twice', email: 'twice@example.org' });
        const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
          fetch(`${i % 2 ? otherBase : base}/api/v1/capture/no-thanks`, { method: 'POST', headers: { ...JSON_HEADERS, 'idempotency-key': 'two-servers' }, body })));
        const ids = await Promise.all(responses.map(async (r) => CaptureResponse.parse(await r.json()).leadId));
        expect(new Set(ids).size).toBe(1);
        expect(await countRows(db(), 'T-flag')).toMatchObject({ leads: before.leads + 1, submissions: before.submissions + 1 });
      } finally {
        await other.close();
      }
    });

    it('writes concurrent distinct submissions each once', async () => {
      const before = await countRows(db(), 'T-flag');
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => postJson('no-thanks', { lastName: `Many${i}`, email: `many${i}@example.org` }, { 'idempotency-key': `many-${i}` })));
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
      expect(new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { leadId: string }).leadId))).size).toBe(30);
      const after = await countRows(db(), 'T-flag');
      expect(after).toMatchObject({ leads: before.leads + 30, submissions: before.submissions + 30, audit: before.audit + 30 });
    });
  });

  describe('per-form checks', () => {
    it.each([
      ['JSON', (b: Record<string, string>) => ({ body: JSON.stringify(b), headers: JSON_HEADERS }), 201, null],
      ['a form post', (b: Record<string, string>) => ({ body: form(b), headers: FORM_HEADERS }), 303, 'https://example.com/thanks'],
    ])('accepts a filled honeypot (%s) with the usual answer and stores nothing', async (_kind, encode, status, location) => {
      const before = await countRows(db(), 'T-checks');
      const { body, headers } = encode({ last_name: 'Bot', email: 'bot@spam.example', website: 'http://spam.example' });
      const res = await post('trap', body, headers);
      expect(res.status).toBe(status);
      expect(res.headers.get('location')).toBe(location);
      if (status === 201) expect(CaptureResponse.safeParse(await res.json()).success).toBe(true);
      expect(await countRows(db(), 'T-checks')).toEqual(before);
    });

    it('stores a post whose honeypot is left empty', async () => {
      const before = await countRows(db(), 'T-checks');
      expect((await post('trap', form({ last_name: 'Human', website: '' }), FORM_HEADERS)).status).toBe(303);
      expect((await countRows(db(), 'T-checks')).leads).toBe(before.leads + 1);
    });

    it.each([
      ['a good signature', (b: string) => signCaptureBody(b, 's3cret'), 201],
      ['no signature', () => null, 401],
      ['a signature with another secret', (b: string) => signCaptureBody(b, 'guess'), 401],
      ['a signature of another body', () => signCaptureBody('{"lastName":"Other"}', 's3cret'), 401],
      ['a malformed signature', () => 'sha256=zz', 401],
    ])('checks the HMAC signature: %s → %i', async (_name, sign, status) => {
      const before = await countRows(db(), 'T-checks');
      const body = JSON.stringify({ lastName: 'Signed', email: 'signed@example.org' });
      const signature = sign(body);
      const res = await post('signed', body, { ...JSON_HEADERS, ...(signature ? { 'x-signature': signature } : {}) });
      expect(res.status).toBe(status);
      expect((await countRows(db(), 'T-checks')).leads).toBe(before.leads + (status === 201 ? 1 : 0));
      if (status === 401) expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    });

    it('answers a preflight from an allowed origin with the CORS headers', async () => {
      const res = await fetch(`${base}/api/v1/capture/cors`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' } });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('access-control-allow-methods')).toBe('POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key');
      expect(res.headers.get('vary')).toContain('Origin');
    });

    it('refuses a preflight from another origin', async () => {
      const res = await fetch(`${base}/api/v1/capture/cors`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it.each([
      ['an allowed origin', 'https://shop.example', 201],
      ['another origin', 'https://evil.example', 403],
      ['the opaque origin', 'null', 403],
      ['no origin (a server-side sender)', undefined, 201],
    ])('takes a post from %s → %i', async (_name, origin, status) => {
      const before = await countRows(db(), 'T-checks');
      const res = await postJson('cors', { lastName: 'Cors', email: 'cors@example.org' }, origin ? { origin } : {});
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe(status === 201 && origin ? origin : null);
      expect((await countRows(db(), 'T-checks')).leads).toBe(before.leads + (status === 201 ? 1 : 0));
    });

    it('takes a post from a page served by the server itself', async () => {
      const res = await postJson('cors', { lastName: 'Self', email: 'self@example.org' }, { origin: base });
      expect(res.status).toBe(201);
    });
  });

  describe('refusals', () => {
    const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; fields?: { path: string; message: string }[] } }).error;

    it.each([
      ['a malformed email', { last_name: 'X', email: 'not-an-email' }, ['email']],
      ['no email, phone or last name', { first_name: 'Only', company: 'Acme' }, ['email', 'phone', 'last_name']],
      ['a country that is no code', { email: 'c@example.org', country: 'Germany' }, ['country']],
      ['a name longer than 200 characters', { email: 'n@example.org', last_name: 'x'.repeat(201) }, ['last_name']],
      ['a UTM source longer than 200 characters', { email: 'u@example.org', utm_source: 'x'.repeat(201) }, ['utm_source']],
    ])('answers %s with 400 naming the posted field, and stores nothing', async (_name, fields, paths) => {
      const before = await countRows(db(), 'T-checks');
      const res = await post('checks', form(fields), FORM_HEADERS);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('VALIDATION');
      expect(error.fields!.map((f) => f.path)).toEqual(paths);
      expect(await countRows(db(), 'T-checks')).toEqual(before);
    });

    it.each([
      ['an array where text is expected', { last_name: ['A', 'B'], email: 'a@example.org' }, 'last_name'],
      ['an object where text is expected', { email: { $ne: '' }, last_name: 'A' }, 'email'],
      ['a boolean where text is expected', { phone: true, last_name: 'A' }, 'phone'],
      ['a NUL character', { last_name: 'A\u0000B' }, 'last_name'],
      ['a lone surrogate', { last_name: 'A\ud800' }, 'last_name'],
    ])('answers JSON with %s with 400 naming the field', async (_name, body, path) => {
      const before = await countRows(db(), 'T-checks');
      const res = await postJson('checks', body);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields!.map((f) => f.path)).toContain(path);
      expect(await countRows(db(), 'T-checks')).toEqual(before);
    });

    it.each([
      ['JSON that does not parse', '{"lastName":', JSON_HEADERS, 400],
      ['a JSON array', '[1,2]', JSON_HEADERS, 400],
      ['bytes that are not UTF-8', Buffer.from([0x6c, 0x61, 0x73, 0x74, 0x4e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe]), FORM_HEADERS, 400],
      ['a broken percent-encoding', 'last_name=%E0%A4%A', FORM_HEADERS, 400],
      ['another content type', 'last_name=A', { 'content-type': 'text/plain' }, 415],
    ])('answers %s with %i', async (_name, body, headers, status) => {
      const before = await countRows(db(), 'T-checks');
      const res = await post('checks', body, headers);
      expect(res.status).toBe(status);
      expect(await errorOf(res)).toHaveProperty('code');
      expect(await countRows(db(), 'T-checks')).toEqual(before);
    });

    it('answers a body over the limit with 413', async () => {
      const res = await post('checks', form({ last_name: 'Big', message: 'x'.repeat(70 * 1024) }), FORM_HEADERS);
      expect(res.status).toBe(413);
      expect((await errorOf(res)).code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('shows a browser the problems as a page', async () => {
      const res = await post('checks', form({ email: '<b>bad</b>' }), { ...FORM_HEADERS, accept: 'text/html,application/xhtml+xml' });
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain('<strong>email</strong>');
      expect(page).not.toContain('<b>bad</b>');
    });

    it.each([['an unknown form', 'nope'], ['an inactive form', 'retired'], ['a key no form can have', '..%2Fetc']])('answers %s with 404', async (_name, key) => {
      const res = await postJson(key, { lastName: 'Nobody' });
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('NOT_FOUND');
    });
  });

  describe('one batch', () => {
    let n = 0;
    const pending = (lead: Partial<CaptureDraft['lead']>, idempotencyKey: string | null = null): PendingCapture => {
      const draft: CaptureDraft = {
        lead: { firstName: '', lastName: '', email: null, phone: null, companyName: null, title: null, country: null, region: null, source: null, medium: null, campaign: null, referrer: null, formKey: 'no-thanks', ...lead },
        note: null,
      };
      n++;
      return { tenantId: 'T-flag', formId: 'form-no-thanks', draft, idempotencyKey, requestHash: JSON.stringify(draft), submissionId: `batch-sub-${n}`, leadId: `batch-lead-${n}` };
    };
    const write = (items: PendingCapture[], recentNear?: CaptureWriteEnv['recentNear']) =>
      writeCaptureBatch(sqlRunner(env().ctx.database), 'T-flag', items, { now: TEST_EPOCH, newId: () => `batch-id-${++n}`, recentNear });

    it('defers a submission whose only match is a lead of the same batch, and writes the rest', async () => {
      const a = pending({ firstName: 'Defer', lastName: 'Person', email: 'defer@initrode.example' });
      const again = pending({ firstName: 'Defer', lastName: 'Person', email: 'defer@initrode.example' });
      const other = pending({ lastName: 'Unrelated', email: 'unrelated@initrode.example' });
      const answers = await write([a, again, other]);
      expect(answers[0]).toMatchObject({ leadId: a.leadId, outcome: 'created', replayed: false });
      expect(answers[1]).toBe(DEFERRED);
      expect(answers[2]).toMatchObject({ leadId: other.leadId, outcome: 'created' });
      // In the next batch the first lead is in the database, and the deferred one is flagged against it.
      expect(await write([again])).toEqual([{ leadId: again.leadId, submissionId: again.submissionId, outcome: 'created', replayed: false }]);
      expect((await leadsOf(db(), 'T-flag')).find((l) => l.id === again.leadId)!.possible_duplicate_of).toBe(a.leadId);
    });

    it('defers a submission matching a lead another batch in flight is writing', async () => {
      const probe = pending({ firstName: 'Inflight', lastName: 'Person', email: 'inflight@initrode.example' });
      const answers = await write([probe], () => [{ id: 'elsewhere', firstName: 'Inflight', lastName: 'Person', email: 'inflight@initrode.example', phone: null, companyName: null }]);
      expect(answers).toEqual([DEFERRED]);
      expect((await leadsOf(db(), 'T-flag')).some((l) => l.id === probe.leadId)).toBe(false);
    });

    it('answers posts of one key in a batch from the first: the same submission replays, another is refused', async () => {
      const first = pending({ lastName: 'Keyed', email: 'keyed@initrode.example' }, 'batch-key');
      const same = { ...first, submissionId: 'batch-sub-same', leadId: 'batch-lead-same' };
      const different = pending({ lastName: 'Other', email: 'other@initrode.example' }, 'batch-key');
      const answers = await write([first, same, different]);
      expect(answers[0]).toMatchObject({ leadId: first.leadId, replayed: false });
      expect(answers[1]).toMatchObject({ leadId: first.leadId, submissionId: first.submissionId, replayed: true });
      expect(answers[2]).toBeInstanceOf(AppError);
      expect((answers[2] as AppError).code).toBe('CONFLICT');
    });
  });

  describe('hand-over to the background jobs', () => {
    it('enqueues scoring, distribution and nurturing for a new lead, and rescoring for an attached submission', async () => {
      const sent: Array<{ queue: string; data: object }> = [];
      attachJobSender(env().ctx, { send: async (queue, data) => { sent.push({ queue, data }); return null; } });
      try {
        const created = CaptureResponse.parse(await (await postJson('attach', { last_name: 'Jobs', email: 'jobs@hooli.example' })).json());
        expect(sent).toEqual(['lead.rescore', 'lead.distribute', 'lead.nurture'].map((queue) => ({ queue, data: { tenantId: 'T-attach', leadId: created.leadId } })));
        sent.length = 0;
        await postJson('attach', { last_name: 'Jobs', email: 'jobs@hooli.example', message: 'again' });
        expect(sent).toEqual([{ queue: 'lead.rescore', data: { tenantId: 'T-attach', leadId: created.leadId } }]);
        sent.length = 0;
        // A retry changes nothing, so it enqueues nothing.
        await postJson('attach', { last_name: 'Jobs', email: 'jobs@hooli.example' }, { 'idempotency-key': 'jobs-1' });
        sent.length = 0;
        await postJson('attach', { last_name: 'Jobs', email: 'jobs@hooli.example' }, { 'idempotency-key': 'jobs-1' });
        expect(sent).toEqual([]);
      } finally {
        detachJobSender(env().ctx);
      }
    });
  });

  describe('duplicates on capture', () => {
    const person = { first_name: 'Jon', last_name: 'Jonson', email: 'j.jonson@globex.example', company: 'Globex' };

    it('creates a second lead flagged as a possible duplicate when the tenant policy is flag', async () => {
      const first = CaptureResponse.parse(await (await postJson('no-thanks', person)).json());
      const second = CaptureResponse.parse(await (await postJson('no-thanks', { ...person, first_name: 'John', last_name: 'Johnson', email: null, phone: '555 0101' })).json());
      expect(second.leadId).not.toBe(first.leadId);
      const leads = await leadsOf(db(), 'T-flag');
      expect(leads.find((l) => l.id === second.leadId)!.possible_duplicate_of).toBe(first.leadId);
      expect(leads.find((l) => l.id === first.leadId)!.possible_duplicate_of).toBeNull();
    });

    it('attaches the submission to the existing lead as an activity when the tenant policy is attach', async () => {
      const first = CaptureResponse.parse(await (await postJson('attach', person)).json());
      const before = await countRows(db(), 'T-attach');
      const res = await postJson('attach', { ...person, message: 'Interested in the pro plan' });
      expect(res.status).toBe(201);
      const second = CaptureResponse.parse(await res.json());
      expect(second.leadId).toBe(first.leadId);
      const after = await countRows(db(), 'T-attach');
      expect(after).toMatchObject({ leads: before.leads, activities: before.activities + 1, submissions: before.submissions + 1, audit: before.audit + 1, version: before.version + 1 });
      const acts = await queryRows<{ body: string }>(db(), sql`SELECT kind, subject, body, version::int AS version FROM activities WHERE entity_id = ${first.leadId}`);
      expect(acts).toHaveLength(1);
      expect(acts[0]).toMatchObject({ kind: 'note', subject: SUBMISSION_SUBJECT, version: after.version });
      expect(acts[0]!.body).toContain('Interested in the pro plan');
      const lead = (await leadsOf(db(), 'T-attach')).find((l) => l.id === first.leadId)!;
      expect(Number(lead.last_activity_at)).toBe(TEST_EPOCH);
      expect(Number(lead.version)).toBe(after.version);
    });

    it('flags every later post of a new person in a burst, however the posts were batched', async () => {
      const someone = { first_name: 'Ursula', last_name: 'Burstmann', email: 'u.burstmann@umbrella.example' };
      const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => postJson('no-thanks', { ...someone, message: `attempt ${i}` })));
      const ids = new Set(await Promise.all(responses.map(async (r) => CaptureResponse.parse(await r.json()).leadId)));
      const hers = (await leadsOf(db(), 'T-flag')).filter((l) => ids.has(l.id));
      expect(hers).toHaveLength(6);
      // One original; each of the others points at an earlier lead of hers, never at nothing.
      expect(hers.filter((l) => l.possible_duplicate_of === null)).toHaveLength(1);
      for (const l of hers) if (l.possible_duplicate_of !== null) expect(ids.has(l.possible_duplicate_of)).toBe(true);
    });

    it('attaches within one burst too: concurrent posts of one new person make one lead', async () => {
      const before = await countRows(db(), 'T-attach');
      const someone = { last_name: 'Burstley', email: 'burst@initech.example' };
      const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => postJson('attach', { ...someone, message: `try ${i}` })));
      const ids = await Promise.all(responses.map(async (r) => CaptureResponse.parse(await r.json()).leadId));
      const after = await countRows(db(), 'T-attach');
      // However the posts were batched, the person has one lead and every post is on its timeline.
      expect(after.leads).toBe(before.leads + 1);
      expect(new Set(ids).size).toBe(1);
      expect(after.activities).toBe(before.activities + 5);
    });
  });
}, { areas: captureAreas() });
