// Capture's rate limits over real HTTP: per form key and per client address, answered with 429 and Retry-After.
import { beforeAll, expect, it } from 'vitest';
import { forEachDatabase, TEST_EPOCH } from '../../helpers/server-db';
import { captureAreas, countRows, listenOnLoopback, rawRequest, seedForm, seedTenant } from './capture-fixtures';

const WINDOW_MS = 60_000;

forEachDatabase('capture rate limits', (env) => {
  let base = '';
  const post = (key: string, localAddress: string, n: number) =>
    rawRequest(`${base}/api/v1/capture/${key}`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lastName: `N${n}`, email: `n${n}@example.org` }), localAddress });

  beforeAll(async () => {
    base = await listenOnLoopback(env().app);
    await seedTenant(env().ctx.db, 'T-limits', TEST_EPOCH);
    for (const key of ['limited', 'a1', 'a2', 'a3']) await seedForm(env().ctx.db, { tenantId: 'T-limits', key }, TEST_EPOCH);
  });

  it('turns away posts to one form beyond its limit with 429 and Retry-After, storing nothing', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('limited', '127.0.0.1', i)).status);
    expect(statuses).toEqual([201, 201, 201]);
    const before = await countRows(env().ctx.db, 'T-limits');
    const refused = await post('limited', '127.0.0.1', 3);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(await countRows(env().ctx.db, 'T-limits')).toEqual(before);
    // Another sender is refused too: the limit is the form's, whoever posts.
    expect((await post('limited', '127.0.0.4', 4)).status).toBe(429);
  });

  it('turns away one client address beyond its limit across forms, while others still get through', async () => {
    const statuses = [];
    let n = 100;
    for (const key of ['a1', 'a1', 'a2', 'a2', 'a3']) statuses.push((await post(key, '127.0.0.2', n++)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    const refused = await post('a3', '127.0.0.2', n++);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await post('a3', '127.0.0.3', n++)).status).toBe(201);
  });
}, { areas: captureAreas({ perForm: { max: 3, windowMs: WINDOW_MS }, perClient: { max: 5, windowMs: WINDOW_MS } }) });
