// Fuzzes the admin API with malformed bodies (wrong types, huge strings, odd unicode, __proto__ keys, deep nesting) on both
// databases: never a 5xx, a refused request writes nothing, an accepted one exactly one change version.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMIN_PREFIX } from '../../../src-shared/http/admin.http';
import { forEachDatabase } from '../../helpers/server-db';
import { request } from '../server/api-client';
import { expectFields, seedAdminTenant, tenantDigest, tenantVersion } from './admin-fixtures';
import type { AdminTenant } from './admin-fixtures';

// ADMIN_FUZZ_RUNS=2000 runs a longer fuzz locally and prints how the answers were spread.
const RUNS = Number(process.env.ADMIN_FUZZ_RUNS ?? 120);
const REPORT = process.env.ADMIN_FUZZ_RUNS !== undefined;

type Method = 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'GET';
interface Target {
  method: Method;
  path: string;
  /** A body the endpoint accepts (or refuses only for a business reason), which the fuzz then breaks. */
  valid: Record<string, unknown> | null;
}

const ODD_TEXT = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\ud83d', '\u202e\u202d', '\ufeff', 'e\u0301\u0301\u0301', '𝒜𝒷𝒸', '\uffff', '\u2028\u2029',
  '<script>alert(1)</script>', "'; DROP TABLE users; --", '%00', '\r\n', '../../etc/passwd', 'ＡＢＣ', '🇩🇪',
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_TEXT) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 300_000 }).map((n) => 'x'.repeat(n)) },
);
const weird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'kind', 'userId', 'role', 'x'), text, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Nested `depth` levels deep, as raw JSON (objects or arrays). */
const nested = (depth: number, kind: 'object' | 'array') => (kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** A body as raw JSON text: the valid body with one field broken, a stray field, or anything at all. */
function bodies(valid: Record<string, unknown> | null): fc.Arbitrary<string> {
  const base = valid ?? {};
  const keys = Object.keys(base);
  const broken = keys.length === 0 ? fc.constant(base) : fc.tuple(fc.constantFrom(...keys), weird).map(([k, v]) => ({ ...base, [k]: v }));
  const deepField = keys.length === 0 ? fc.constant('{}') : fc.tuple(fc.constantFrom(...keys), fc.integer({ min: 20, max: 5000 }), fc.constantFrom('object' as const, 'array' as const))
    .map(([k, depth, kind]) => JSON.stringify({ ...base, [k]: null }).replace(`"${k}":null`, `"${k}":${nested(depth, kind)}`));
  return fc.oneof(
    { weight: 5, arbitrary: broken.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra', ''), weird).map(([k, v]) => JSON.stringify(base).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}${keys.length ? ',' : ''}`)) },
    { weight: 1, arbitrary: deepField },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((j) => JSON.stringify(j) ?? 'null') },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(base)) },
  );
}

forEachDatabase('admin API fuzzed', (env) => {
  let t: AdminTenant;
  let targets: Target[] = [];
  beforeAll(async () => {
    t = await seedAdminTenant(env(), 551, 'admin-fuzz');
    const d = t.seeded.dataset;
    const [pipeline] = d.pipelines;
    const stages = d.stages.filter((s) => s.pipelineId === pipeline!.id);
    const rep = d.users.find((u) => u.role === 'rep')!;
    const team = d.teams[0]!;
    const reason = d.winLossReasons[0]!;
    const policy = d.approvalPolicies[0]!;
    const level = { minAmountMinor: 0, approver: { kind: 'managerOfOwner' }, deadlineHours: 24, escalationTarget: null, timeoutAction: 'notify' };
    const rule = (await t.admin.post('/distribution-rules', { name: 'Fuzz rule', method: 'roundRobin', memberIds: [rep.id] })).body;
    const sequence = (await t.admin.post('/nurture-sequences', { name: 'Fuzz', enrollStatuses: ['NEW'], steps: [{ kind: 'task', waitHours: 1, subject: 's', body: null }] })).body;
    const delegation = (await t.admin.post('/delegations', { fromUserId: t.manager.userId, toUserId: t.admin.userId, startsAt: 1, endsAt: 2 })).body;
    const form = (await t.admin.get('/forms')).body.items[0];
    const scoring = (await t.admin.get('/scoring-config')).body;
    const { tenantId: _t, configVersion: _c, version: _v, ...scoringBody } = scoring;
    targets = [
      { method: 'POST', path: '/pipelines', valid: { name: 'Fuzzed', stages: [{ name: 'A', probability: 10 }], access: { viewRoles: ['admin'], viewTeamIds: [], moveRoles: ['admin'], editRoles: ['admin'] } } },
      { method: 'PATCH', path: `/pipelines/${pipeline!.id}`, valid: { name: 'Renamed', transitionMode: 'any', expectedConfigVersion: 1 } },
      { method: 'POST', path: `/pipelines/${pipeline!.id}/stages`, valid: { name: 'S', probability: 10, kind: 'open', rottingDays: 3, requiredFields: ['amountMinor'], position: 1 } },
      { method: 'PATCH', path: `/stages/${stages[0]!.id}`, valid: { name: 'S', probability: 20, approvalPolicyId: policy.id } },
      { method: 'PUT', path: `/pipelines/${pipeline!.id}/stage-order`, valid: { stageIds: stages.map((s) => s.id) } },
      { method: 'POST', path: `/pipelines/${pipeline!.id}/transition-rules`, valid: { fromStageId: stages[1]!.id, toStageId: stages[2]!.id, effect: 'deny' } },
      { method: 'PATCH', path: `/transition-rules/${d.transitionRules[0]!.id}`, valid: { effect: 'allow' } },
      { method: 'POST', path: '/approval-policies', valid: { name: 'P', levels: [level] } },
      { method: 'PATCH', path: `/approval-policies/${policy.id}`, valid: { name: 'P2', levels: [level, { ...level, minAmountMinor: 5 }] } },
      { method: 'POST', path: '/delegations', valid: { fromUserId: t.manager.userId, toUserId: t.admin.userId, startsAt: 10, endsAt: 20 } },
      { method: 'PATCH', path: `/delegations/${delegation.id}`, valid: { endsAt: 30 } },
      { method: 'POST', path: '/distribution-rules', valid: { name: 'R', method: 'leastBusy', memberIds: [rep.id], filters: [{ field: 'country', op: 'in', values: ['DE'] }] } },
      { method: 'PATCH', path: `/distribution-rules/${rule.id}`, valid: { active: false, memberIds: [rep.id] } },
      { method: 'PUT', path: '/distribution-rules/order', valid: { ruleIds: [rule.id] } },
      { method: 'PUT', path: '/scoring-config', valid: scoringBody },
      { method: 'POST', path: '/nurture-sequences', valid: { name: 'N', enrollStatuses: ['NEW'], steps: [{ kind: 'email', waitHours: 0, subject: 'Hi', body: 'b' }] } },
      { method: 'PATCH', path: `/nurture-sequences/${sequence.id}`, valid: { active: false } },
      { method: 'POST', path: '/forms', valid: { key: 'fuzz-form', name: 'F', fieldMap: { a: 'email' }, allowedOrigins: ['https://x.example'], thankYouUrl: '/t', signed: true } },
      { method: 'PATCH', path: `/forms/${form.id}`, valid: { name: 'F', allowedOrigins: ['*'], honeypotField: 'website' } },
      { method: 'POST', path: '/users', valid: { email: 'fuzz@demo.test', name: 'Fuzz', role: 'rep', teamId: team.id, password: 'long-enough' } },
      { method: 'PATCH', path: `/users/${rep.id}`, valid: { capacity: 3, territory: 'DE', managerId: t.manager.userId } },
      { method: 'POST', path: `/users/${rep.id}/password`, valid: { password: 'another-password' } },
      { method: 'POST', path: '/teams', valid: { name: 'T', managerId: t.manager.userId } },
      { method: 'PATCH', path: `/teams/${team.id}`, valid: { name: 'T2' } },
      { method: 'POST', path: '/win-loss-reasons', valid: { kind: 'lost', label: 'L' } },
      { method: 'PATCH', path: `/win-loss-reasons/${reason.id}`, valid: { label: 'L2', active: false } },
      { method: 'PUT', path: '/settings', valid: { currency: 'EUR', leadRetentionDays: 30, duplicatePolicy: 'attach', distributionFallback: { kind: 'user', userId: rep.id } } },
      { method: 'DELETE', path: `/stages/${stages[0]!.id}`, valid: null },
      { method: 'DELETE', path: `/teams/${team.id}`, valid: null },
    ];
  });

  const send = (method: Method, path: string, body: string | undefined, contentType = 'application/json') =>
    request(env().app, method, `${ADMIN_PREFIX}${path}`, { token: t.admin.token, ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }) });

  /** Sends and checks the outcome: no 5xx; refused = nothing written; accepted write = exactly one change version. */
  async function sendChecked(method: Method, path: string, body: string | undefined, contentType?: string) {
    const before = await tenantDigest(env(), t.tenantId);
    const version = await tenantVersion(env(), t.tenantId);
    const res = await send(method, path, body, contentType);
    expect(res.status, `${method} ${path} ${body?.slice(0, 300)} → ${JSON.stringify(res.body).slice(0, 500)}`).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.body.error.code).toEqual(expect.any(String));
      expect(await tenantDigest(env(), t.tenantId), `${method} ${path} was refused but wrote`).toBe(before);
    } else if (method !== 'GET') {
      expect(await tenantVersion(env(), t.tenantId)).toBe(version + 1);
    }
    return res;
  }

  describe('edge cases every write endpoint refuses with 400, writing nothing', () => {
    const cases: [string, (valid: Record<string, unknown>) => string, string][] = [
      ['a NUL inside a text', (v) => JSON.stringify({ ...v, [Object.keys(v)[0]!]: 'a\u0000b' }), 'contains a NUL'],
      ['an unpaired surrogate', (v) => JSON.stringify({ ...v, [Object.keys(v)[0]!]: 'a\ud800b' }), 'unpaired surrogate'],
      ['a key with a NUL', (v) => JSON.stringify({ ...v, 'a\u0000': 1 }), 'key with a NUL'],
      ['nesting 100,000 levels deep', () => nested(100_000, 'array'), ''],
      ['objects nested 20,000 levels deep', (v) => JSON.stringify({ ...v, deep: null }).replace('"deep":null', `"deep":${nested(20_000, 'object')}`), 'nested too deeply'],
    ];
    it.each(cases)('%s', async (_what, make, message) => {
      for (const target of targets.filter((x) => x.valid !== null && Object.keys(x.valid).length > 0)) {
        const res = await sendChecked(target.method, target.path, make(target.valid!));
        expect(res.status, `${target.method} ${target.path}`).toBe(400);
        if (message) expect(res.body.error.message).toContain(message);
      }
    });

    it('refuses __proto__ and constructor.prototype keys', async () => {
      for (const raw of ['{"__proto__":{"admin":true},"name":"x"}', '{"name":"x","constructor":{"prototype":{"admin":true}}}']) {
        for (const target of targets.filter((x) => x.method !== 'DELETE')) expect((await sendChecked(target.method, target.path, raw)).status).toBe(400);
      }
    });

    it('names the field of a string too long for it', async () => {
      expectFields(await sendChecked('POST', '/teams', JSON.stringify({ name: 'x'.repeat(100_000) })), ['name']);
      expectFields(await sendChecked('PATCH', `/users/${t.rep.userId}`, JSON.stringify({ territory: 'é'.repeat(201) })), ['territory']);
    });

    it('refuses odd text in ids and query strings', async () => {
      for (const path of ['/teams/a%00b', `/teams/${'x'.repeat(65)}`, '/win-loss-reasons/x?expectedVersion=%00', '/teams/x?expectedVersion=abc', '/teams/x?expectedVersion=1&expectedVersion=2']) {
        expect((await sendChecked('DELETE', path, undefined)).status, path).toBe(400);
      }
      // Percent-encoding that is not UTF-8 is refused by Fastify's router, before the API's error envelope.
      const before = await tenantDigest(env(), t.tenantId);
      expect((await send('DELETE', '/teams/%ED%A0%80', undefined)).status).toBe(400);
      expect(await tenantDigest(env(), t.tenantId)).toBe(before);
    });
  });

  it(`${RUNS} fuzzed requests: never a 5xx, nothing partial`, async () => {
    const spread = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.nat().chain((i) => {
          const target = targets[i % targets.length]!;
          return fc.tuple(fc.constant(target), target.valid === null ? fc.constant(undefined) : bodies(target.valid), fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded'));
        }),
        async ([target, body, contentType]) => {
          const res = await sendChecked(target.method, target.path, body, body === undefined ? undefined : contentType);
          const key = `${res.status} ${res.body?.error?.code ?? ''}`;
          spread.set(key, (spread.get(key) ?? 0) + 1);
        },
      ),
      { numRuns: RUNS },
    );
    if (REPORT) console.log(env().kind, Object.fromEntries([...spread].sort()));
  });
});
