// HTTP routes of pipelines: GET / lists the pipelines (with their stages) the caller may read.
import type { FastifyPluginAsync } from 'fastify';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { PipelineList } from '../../src-shared/http/records.http';
import { canReadPipeline, canSeePipeline } from '../../src-shared/domain/visibility';
import type { AreaOptions } from '../app/server-areas';
import { authOf, requireAuth } from '../auth/authenticate';
import { pipelines, stages } from '../db/schema/deals.table';
import { heldDealPipelineIds } from './visibility-sql';

export const pipelineRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  app.addHook('onRequest', requireAuth(ctx));

  app.get('/', async (request): Promise<PipelineList> => {
    const { viewer } = authOf(request);
    const all = await ctx.db.select().from(pipelines).where(eq(pipelines.tenantId, viewer.tenantId)).orderBy(asc(pipelines.position), asc(pipelines.id));
    // A hidden pipeline opens (read only) to whoever holds an approval of one of its deals.
    const held = all.every((p) => canSeePipeline(viewer, p)) ? [] : await heldDealPipelineIds(ctx.db, viewer);
    const visible = all.filter((p) => canReadPipeline(viewer, p, held));
    const ids = visible.map((p) => p.id);
    const stageRows = ids.length === 0 ? [] : await ctx.db
      .select()
      .from(stages)
      .where(and(eq(stages.tenantId, viewer.tenantId), inArray(stages.pipelineId, ids)))
      .orderBy(asc(stages.position));
    return {
      items: visible.map((p) => ({ ...p, stages: stageRows.filter((s) => s.pipelineId === p.id).map(({ version: _v, ...s }) => s) })),
    };
  });
};
