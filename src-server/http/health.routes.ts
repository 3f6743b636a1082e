// Liveness (`/healthz`: the process answers) and readiness (`/readyz`: database reachable, migrations current).
import type { FastifyPluginAsync } from 'fastify';
import type { HealthResponse, ReadyResponse } from '../../src-shared/http/health.http';
import { migrationStatus } from '../db/migrations';
import type { AreaOptions } from '../app/server-areas';

export const healthRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  app.get('/healthz', async (): Promise<HealthResponse> => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply): Promise<ReadyResponse> => {
    try {
      const migrations = await migrationStatus(ctx.db, ctx.database.shipped);
      if (!migrations.current) reply.status(503);
      return { status: migrations.current ? 'ready' : 'not-ready', database: 'ok', migrations };
    } catch (err) {
      request.log.warn({ err }, 'readiness check: database unreachable');
      reply.status(503);
      return { status: 'not-ready', database: 'unreachable', migrations: null };
    }
  });
};
