// The end-to-end harness itself: the tenant server goes down and comes back on its port with its data (offline scenarios).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eSystem } from './harness/e2e-system';
import type { E2eSystem } from './harness/e2e-system';

const health = (url: string) => fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);

describe('the e2e system', () => {
  let system: E2eSystem;
  beforeAll(async () => {
    system = await startE2eSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  it('stops and restarts the tenant server on the same port, keeping its data', async () => {
    const signIn = () => fetch(`${system.tenantUrl}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'rep1@demo.test', password: 'demo1234' }) }).then((r) => r.status, () => 0);
    expect(await signIn()).toBe(200);
    await system.stopTenant();
    expect(await health(system.tenantUrl)).toBe(0);
    await system.startTenant();
    expect(await health(system.tenantUrl)).toBe(200);
    expect(await signIn()).toBe(200);
  });
});
