// Fuzzes the capture endpoint over HTTP (odd bodies, types, sizes, encodings, keys): never a 5xx, never a partial write.
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { forEachDatabase, TEST_EPOCH } from '../../helpers/server-db';
import { captureAreas, countRows, listenOnLoopback, rawRequest, seedForm, seedTenant } from './capture-fixtures';
import type { RowCounts } from './capture-fixtures';

// CAPTURE_FUZZ_RUNS=5000 runs a longer fuzz locally and prints how the answers were spread.
const RUNS = Number(process.env.CAPTURE_FUZZ_RUNS ?? 200);
const BODY_LIMIT = 16 * 1024;

const FIELD_NAMES = [
  'first_name', 'last_name', 'email', 'phone', 'company', 'title', 'message', 'country', 'utm_source', 'utm_medium',
  'utm_campaign', 'referrer', 'website', 'submission_id', 'lastName', '__proto__', 'constructor', 'prototype', 'toString',
  'hasOwnProperty', 'valueOf', 'email ', '',
];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.emailAddress() },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\u202e', '+49 30 123456', 'DE', 'de', '<script>alert(1)</script>', "'; DROP TABLE leads; --", 'a@b', '%00', '\r\n') },
  { weight: 1, arbitrary: fc.string({ minLength: 150, maxLength: 2500 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 25_000 }).map((n) => 'x'.repeat(n)) },
);
const value = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), text, { maxKeys: 3 }) },
);
const fields = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 })), value), { maxLength: 12 });
/** A plausible lead with one or two things wrong (or nothing), so the write path is exercised too. */
const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const nearlyValid = fc
  .tuple(word, word, fc.string({ minLength: 1, maxLength: 20 }), fields.map((f) => f.slice(0, 1)))
  .map(([user, host, last, extra]) => [['email', `${user}@${host}.example`], ['last_name', last], ...extra] as [string, unknown][]);

/** Percent-encodes the UTF-8 bytes of a string (lone surrogates become U+FFFD, as a browser would send them). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
function formEncode(entries: [string, unknown][]): string {
  const parts: string[] = [];
  for (const [k, v] of entries) {
    if (Array.isArray(v)) for (const item of v) parts.push(`${pct(k)}=${pct(String(item))}`);
    else if (v !== null && typeof v === 'object') for (const [sub, item] of Object.entries(v)) parts.push(`${pct(`${k}[${sub}]`)}=${pct(String(item))}`);
    else parts.push(`${pct(k)}=${pct(String(v))}`);
  }
  return parts.join('&');
}

const CONTENT_TYPES = [
  'application/json', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/JSON',
  'application/json; charset=latin1', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', undefined,
] as const;

const body = fc.oneof(
  fields.map((f) => ({ kind: 'json-object', bytes: Buffer.from(JSON.stringify(Object.fromEntries(f))), type: 'application/json' as string | undefined })),
  { weight: 2, arbitrary: nearlyValid.map((f) => ({ kind: 'json-nearly', bytes: Buffer.from(JSON.stringify(Object.fromEntries(f))), type: 'application/json' as string | undefined })) },
  { weight: 2, arbitrary: nearlyValid.map((f) => ({ kind: 'form-nearly', bytes: Buffer.from(formEncode(f)), type: 'application/x-www-form-urlencoded' as string | undefined })) },
  fields.map((f) => ({ kind: 'form', bytes: Buffer.from(formEncode(f)), type: 'application/x-www-form-urlencoded' as string | undefined })),
  fc.jsonValue().map((j) => ({ kind: 'json-any', bytes: Buffer.from(JSON.stringify(j) ?? ''), type: 'application/json' as string | undefined })),
  fc.tuple(fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...CONTENT_TYPES)).map(([b, type]) => ({ kind: 'bytes', bytes: Buffer.from(b), type })),
  fc.tuple(fc.stringMatching(/^[a-z_=&%0-9A-Fa-f+;.[\]]{0,200}$/), fc.constantFrom(...CONTENT_TYPES)).map(([s, type]) => ({ kind: 'form-junk', bytes: Buffer.from(s), type })),
);

const headerText = fc.stringMatching(/^[\x20-\x7e]{0,300}$/);
const request = fc.record({
  body,
  formKey: fc.oneof({ weight: 6, arbitrary: fc.constant('fuzz') }, { weight: 1, arbitrary: fc.constant('fuzz-signed') }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }),
  idempotencyKey: fc.option(headerText, { nil: undefined }),
  signature: fc.option(headerText, { nil: undefined }),
  referer: fc.option(headerText, { nil: undefined }),
  origin: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant('https://site.example') },
    { weight: 1, arbitrary: fc.constantFrom('https://evil.example', 'null', 'not a url') },
  ),
  query: fc.option(fc.array(fc.tuple(fc.constantFrom('utm_source', 'utm_medium', 'utm_campaign', 'x'), fc.string({ unit: 'binary', maxLength: 30 })), { maxLength: 4 }), { nil: undefined }),
});

forEachDatabase('capture fuzzing', (env) => {
  let base = '';

  beforeAll(async () => {
    base = await listenOnLoopback(env().app);
    await seedTenant(env().ctx.db, 'T-fuzz', TEST_EPOCH);
    await seedForm(env().ctx.db, { tenantId: 'T-fuzz', key: 'fuzz', honeypotField: 'website', submissionIdField: 'submission_id', allowedOrigins: ['https://site.example'], thankYouUrl: '/thanks' }, TEST_EPOCH);
    await seedForm(env().ctx.db, { tenantId: 'T-fuzz', key: 'fuzz-signed', hmacSecret: 'fuzz-secret' }, TEST_EPOCH);
  });

  it(`never answers a ${RUNS}-case fuzz with a 5xx, and writes a submission whole or not at all`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const before = await countRows(env().ctx.db, 'T-fuzz');
        const headers: Record<string, string> = {};
        if (r.body.type !== undefined) headers['content-type'] = r.body.type;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        if (r.signature !== undefined) headers['x-signature'] = r.signature;
        if (r.referer !== undefined) headers.referer = r.referer;
        if (r.origin !== undefined) headers.origin = r.origin;
        const query = r.query ? `?${r.query.map(([k, v]) => `${k}=${encodeURIComponent(v.toWellFormed())}`).join('&')}` : '';
        const res = await rawRequest(`${base}/api/v1/capture/${encodeURIComponent(r.formKey.toWellFormed())}${query}`, { headers, body: r.body.bytes });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status, `${r.body.kind}: ${res.body.slice(0, 300)}`).toBeLessThan(500);

        const after = await countRows(env().ctx.db, 'T-fuzz');
        const delta = (k: keyof RowCounts) => after[k] - before[k];
        if (res.status !== 201 && res.status !== 303) {
          expect(after, `refused with ${res.status} but wrote something`).toEqual(before);
        } else {
          // A new lead comes with its submission record and audit entry; a replay or a honeypot writes nothing.
          expect([0, 1]).toContain(delta('leads'));
          expect(delta('submissions')).toBe(delta('leads'));
          expect(delta('audit')).toBe(delta('leads'));
          expect(delta('version')).toBe(delta('leads'));
        }
      }),
      { numRuns: RUNS },
    );
    if (process.env.CAPTURE_FUZZ_RUNS) console.log(Object.fromEntries(seen));
    // The fuzz reached both the refusals and the write path.
    expect((seen.get(201) ?? 0) + (seen.get(303) ?? 0)).toBeGreaterThan(0);
    expect([...seen.keys()].filter((s) => s >= 400).length).toBeGreaterThan(2);
    // Posted `__proto__` and `constructor` fields stayed names.
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
}, { areas: captureAreas({ bodyLimit: BODY_LIMIT }) });
