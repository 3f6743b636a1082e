// Capture's request reading without a server: body parsing, field mapping and its errors, keys, honeypot, signature, origin.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/api/errors';
import { parseFormBody, parseJsonBody } from '../../../src-server/capture/capture-body';
import type { PostedFields } from '../../../src-server/capture/capture-body';
import { honeypotFilled, mapSubmission, submissionKey } from '../../../src-server/capture/capture-fields';
import type { CaptureFormFields } from '../../../src-server/capture/capture-fields';
import { originAllowed } from '../../../src-server/capture/capture-forms';
import { signCaptureBody, verifyCaptureSignature } from '../../../src-server/capture/capture-signature';

const form: CaptureFormFields = {
  key: 'contact',
  fieldMap: { vorname: 'firstName', nachname: 'lastName', mail: 'email', firma: 'companyName', nachricht: 'message', quelle: 'source', broken: 'password' },
  defaults: { source: 'website', medium: 'form', campaign: 'spring' },
  honeypotField: 'website',
  submissionIdField: 'sid',
};

const fields = (o: Record<string, unknown>): PostedFields => new Map(Object.entries(o) as [string, never][]);
const map = (o: Record<string, unknown>, query: unknown = {}, referer?: string) => mapSubmission({ fields: fields(o), query, referer }, form);
const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.fields!.map((f) => f.path);
    throw err;
  }
  throw new Error('expected a validation error');
};

describe('mapSubmission', () => {
  it('maps posted names through the form, trims, and records the form key', () => {
    expect(map({ vorname: ' Anna ', nachname: 'Schmidt', mail: 'ANNA@Acme.example', firma: 'Acme', nachricht: 'Hi\nthere', unknown: 'ignored' })).toEqual({
      lead: {
        firstName: 'Anna', lastName: 'Schmidt', email: 'ANNA@Acme.example', phone: null, companyName: 'Acme', title: null, country: null, region: null,
        source: 'website', medium: 'form', campaign: 'spring', referrer: null, formKey: 'contact',
      },
      note: 'Hi\nthere',
    });
  });

  it.each([
    ['the posted field over the query and the default', { mail: 'a@b.example', quelle: 'body' }, { utm_source: 'query' }, 'body'],
    ['the query over the default', { mail: 'a@b.example' }, { utm_source: 'query' }, 'query'],
    ['the default when neither says', { mail: 'a@b.example' }, {}, 'website'],
    ['a built-in UTM name in the body', { mail: 'a@b.example', utm_source: 'utm' }, {}, 'utm'],
  ])('takes the source from %s', (_name, body, query, source) => {
    expect(map(body, query).lead.source).toBe(source);
  });

  it.each([
    ['the referrer field', { mail: 'a@b.example', referrer: 'https://field.example' }, 'https://header.example', 'https://field.example'],
    ['the Referer header when there is no field', { mail: 'a@b.example' }, 'https://header.example', 'https://header.example'],
    ['a long header, cut to 2000 characters', { mail: 'a@b.example' }, `https://x.example/${'a'.repeat(3000)}`, `https://x.example/${'a'.repeat(3000)}`.slice(0, 2000)],
  ])('records %s as referrer', (_name, body, referer, expected) => {
    expect(map(body, {}, referer).lead.referrer).toBe(expected);
  });

  it('maps a posted lead field name directly and ignores a mapping to something that is no lead field', () => {
    expect(map({ lastName: 'Direct', broken: 'secret' }).lead).toMatchObject({ lastName: 'Direct' });
  });

  it.each<[string, Record<string, unknown>, string[], unknown]>([
    ['a malformed email', { mail: 'nope', nachname: 'X' }, ['mail'], {}],
    ['no email, phone or last name', { vorname: 'Only' }, ['mail', 'phone', 'nachname'], {}],
    ['a repeated field', { mail: 'a@b.example', nachname: ['A', 'B'] }, ['nachname'], {}],
    ['an object', { mail: 'a@b.example', nachname: { x: 1 } }, ['nachname'], {}],
    ['a control character', { mail: 'a@b.example', nachname: 'a\u0007b' }, ['nachname'], {}],
    ['a UTM source in the query that is too long', { mail: 'a@b.example' }, ['utm_source'], { utm_source: 'x'.repeat(201) }],
    ['a query parameter given twice', { mail: 'a@b.example' }, ['utm_campaign'], { utm_campaign: ['a', 'b'] }],
  ])('refuses %s, naming the posted field', (_name, body, paths, query) => {
    expect(problemsOf(() => map(body, query))).toEqual(paths);
  });

  it('takes numbers as text (a phone posted as a JSON number)', () => {
    expect(map({ phone: 4930123456 }).lead.phone).toBe('4930123456');
  });
});

describe('honeypot and idempotency key', () => {
  it.each([
    [{ website: 'http://spam.example' }, true],
    [{ website: '   ' }, false],
    [{ website: '' }, false],
    [{ website: ['a'] }, true],
    [{}, false],
  ])('honeypot %j filled: %s', (body, filled) => {
    expect(honeypotFilled(fields(body), form)).toBe(filled);
  });

  it.each([
    ['the header', 'hdr-1', { sid: 'field-1' }, 'hdr-1'],
    ['the submission id field', undefined, { sid: 'field-1' }, 'field-1'],
    ['nothing', undefined, {}, null],
    ['a blank field', undefined, { sid: '  ' }, null],
  ])('takes the key from %s', (_name, header, body, key) => {
    expect(submissionKey(fields(body), header, form)).toBe(key);
  });

  it('refuses a key longer than 200 characters', () => {
    expect(problemsOf(() => submissionKey(fields({}), 'k'.repeat(201), form))).toEqual(['Idempotency-Key']);
  });
});

describe('body parsing', () => {
  it('reads a form body with plus signs, percent escapes, repeated and prototype-named fields', () => {
    const parsed = parseFormBody(Buffer.from('name=Z%C3%B6e+M%C3%BCller&tag=a&tag=b&__proto__=x&empty'));
    expect([...parsed]).toEqual([['name', 'Zöe Müller'], ['tag', ['a', 'b']], ['__proto__', 'x'], ['empty', '']]);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it.each([
    ['invalid UTF-8 bytes', () => parseFormBody(Buffer.from([0x61, 0x3d, 0xc3, 0x28]))],
    ['a percent escape of invalid UTF-8', () => parseFormBody(Buffer.from('a=%FF'))],
    ['JSON that does not parse', () => parseJsonBody(Buffer.from('{"a":'))],
    ['a JSON array', () => parseJsonBody(Buffer.from('[1]'))],
    ['a JSON string', () => parseJsonBody(Buffer.from('"text"'))],
  ])('refuses %s with a validation error', (_name, parse) => {
    expect(problemsOf(parse)).toEqual(['(body)']);
  });

  it('keeps a JSON `__proto__` key as a field', () => {
    expect([...parseJsonBody(Buffer.from('{"__proto__":{"polluted":1},"a":"b"}'))].map(([k]) => k)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('signature and origin', () => {
  const body = Buffer.from('{"lastName":"Signed"}');

  it.each([
    ['its own signature', signCaptureBody(body, 'secret'), true],
    ['upper-case hex', `sha256=${signCaptureBody(body, 'secret').slice(7).toUpperCase()}`, true],
    ['another secret', signCaptureBody(body, 'other'), false],
    ['no prefix', signCaptureBody(body, 'secret').slice(7), false],
    ['a short digest', 'sha256=abcd', false],
    ['nothing', undefined, false],
  ])('accepts %s: %s', (_name, header, ok) => {
    expect(verifyCaptureSignature(body, header, 'secret')).toBe(ok);
  });

  it.each([
    [['https://a.example'], 'https://a.example', 'api.example', true],
    [['https://a.example'], 'https://b.example', 'api.example', false],
    [['*'], 'https://b.example', 'api.example', true],
    [[], undefined, 'api.example', true],
    [[], 'http://api.example', 'api.example', true],
    [[], 'null', 'api.example', false],
    [[], 'garbage', 'api.example', false],
  ])('origins %j, Origin %s, Host %s → %s', (allowed, origin, host, ok) => {
    expect(originAllowed({ allowedOrigins: allowed }, origin, host)).toBe(ok);
  });
});
