// Archiving on PGlite and PostgreSQL: terminal leads past the tenant's retention are archived once, audited, versioned.
import { expect, it } from 'vitest';
import { DAY_MS } from '../../../src-shared/domain/common.schema';
import { archiveStaleLeads } from '../../../src-server/jobs/archiving.jobs';
import { forEachDatabase } from '../../helpers/server-db';
import { auditOf, insertLead, jobContext, leadById, seedJobTenant, tenantVersion } from './jobs-fixtures';

forEachDatabase('archiving job', (env) => {
  it("archives CONVERTED and DISQUALIFIED leads older than the tenant's retention, and nothing else", async () => {
    const db = env().ctx.db;
    const now = env().clock.now();
    await seedJobTenant(db, 'AR-30', now, { leadRetentionDays: 30 });
    await seedJobTenant(db, 'AR-365', now, { leadRetentionDays: 365 });
    const days = (d: number) => now - d * DAY_MS;
    const cases = [
      { tenant: 'AR-30', status: 'CONVERTED', age: 31, archived: true },
      { tenant: 'AR-30', status: 'DISQUALIFIED', age: 45, archived: true },
      { tenant: 'AR-30', status: 'DISQUALIFIED', age: 29, archived: false },
      { tenant: 'AR-30', status: 'NEGOTIATING', age: 400, archived: false },
      { tenant: 'AR-30', status: 'NEW', age: 400, archived: false },
      { tenant: 'AR-365', status: 'CONVERTED', age: 45, archived: false },
      { tenant: 'AR-365', status: 'DISQUALIFIED', age: 366, archived: true },
    ] as const;
    const rows = [];
    for (const c of cases) rows.push(await insertLead(db, c.tenant, days(c.age), { status: c.status }));

    const first = await archiveStaleLeads(jobContext(env()), 1);
    expect(first.archived).toBe(3);
    for (const [i, c] of cases.entries()) {
      const lead = await leadById(db, rows[i]!.id);
      expect({ ...c, archived: lead.archived }).toEqual(c);
      if (c.archived) {
        expect(lead.updatedAt).toBe(now);
        expect(lead.version).toBeGreaterThan(0);
        expect(await auditOf(db, lead.id)).toMatchObject([{ action: 'archive', actor_id: null, before: { archived: false }, after: { archived: true } }]);
      } else {
        expect(lead.version).toBe(0);
      }
    }

    const version = await tenantVersion(db, 'AR-30');
    expect(await archiveStaleLeads(jobContext(env()))).toEqual({ archived: 0 });
    expect(await tenantVersion(db, 'AR-30')).toBe(version);
  });
});
