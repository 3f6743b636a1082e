// Admin routes of the tenant's lead scoring configuration (one per tenant): fit rules, engagement with decay, predictive.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { ScoringConfig } from '../../src-shared/domain/automation.schema';
import { DEFAULT_SCORING_CONFIG } from '../../src-shared/domain/lead-scoring';
import type { Viewer } from '../../src-shared/domain/visibility';
import { ScoringConfigInput } from '../../src-shared/http/admin.http';
import type { ScoringConfigRecord } from '../../src-shared/http/admin.http';
import { AppError } from '../../src-shared/api/errors';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { scoringConfigs } from '../db/schema/automation.table';
import { parseInput } from '../http/parse-input';
import { adminWrite } from './admin-write';
import { checkExpected, requirePermission } from './admin-checks';

const KEYS = ['fitRules', 'engagementRules', 'engagementHalfLifeDays', 'maxEngagementPoints', 'predictive', 'configVersion'] as const;

/** The stored configuration, or the default the jobs score with while none is stored (version 0). */
async function scoringConfigOf(db: AppDb, tenantId: string): Promise<ScoringConfigRecord> {
  const [row] = await db.select().from(scoringConfigs).where(eq(scoringConfigs.tenantId, tenantId));
  return row ?? { ...DEFAULT_SCORING_CONFIG(tenantId), version: 0 };
}

export const scoringConfigAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    return viewer;
  };

  app.get('/scoring-config', async (request): Promise<ScoringConfigRecord> => scoringConfigOf(ctx.db, editor(request).tenantId));

  app.put('/scoring-config', async (request): Promise<ScoringConfigRecord> => {
    const viewer = editor(request);
    const { expectedConfigVersion, ...input } = parseInput(ScoringConfigInput, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const current = await scoringConfigOf(w.tx, w.tenantId);
      checkExpected('scoring configuration', 'expectedConfigVersion', expectedConfigVersion, current.configVersion);
      // The whole configuration passes the shared schema the scorers on both sides read it with.
      const parsed = ScoringConfig.safeParse({ ...input, tenantId: w.tenantId, configVersion: current.configVersion + 1 });
      if (!parsed.success) throw AppError.fromZod(parsed.error, 'body');
      const row = { ...parsed.data, version: w.version };
      const [saved] = await w.tx.insert(scoringConfigs).values(row).onConflictDoUpdate({ target: scoringConfigs.tenantId, set: row }).returning();
      await w.audit({ entityType: 'config', configType: 'scoringConfig', entityId: w.tenantId, action: current.version === 0 ? 'create' : 'update', ...changedFields(current, saved!, KEYS) });
      return saved!;
    });
  });
};
