// The end-to-end harness itself: the tenant server goes down and comes back on its port with its data (offline scenarios), and nothing outlives close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eSystem } from './harness/e2e-system';
import type { E2eSystem } from './harness/e2e-system';
import { signInToTenant, tenantLeads } from './harness/tenant-http';

// A server that is down refuses at once; a generous timeout only spares a busy machine a false alarm.
const health = (url: string) => fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0);

describe('the e2e system', () => {
  let system: E2eSystem;
  beforeAll(async () => {
    system = await startE2eSystem();
  });
  afterAll(async () => {
    await system?.close();
  });

  it('stops and restarts the tenant server on the same port, keeping its data', async () => {
    const rep = await signInToTenant(system.tenantUrl, 'rep1@demo.test');
    const leads = await tenantLeads(rep);
    expect(leads.length).toBeGreaterThan(0);
    await system.stopTenant();
    expect(await health(system.tenantUrl)).toBe(0);
    await system.startTenant();
    expect(await health(system.tenantUrl)).toBe(200);
    // The same database: the session signed in before the restart is still valid, and sees the same leads.
    expect((await tenantLeads(rep)).map((l) => l.id)).toEqual(leads.map((l) => l.id));
  });

  it('leaves nothing answering once closed', async () => {
    const webUrl = new URL(system.openUrl).origin;
    expect(await health(system.tenantUrl)).toBe(200);
    await system.close();
    expect(await health(system.tenantUrl)).toBe(0);
    expect(await fetch(webUrl, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0)).toBe(0);
  });
});
