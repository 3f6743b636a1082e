// What the server is made of: its HTTP areas (one Fastify plugin each) and its background services.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from './server-context';
import { healthRoutes } from '../http/health.routes';
import { pageRoutes } from '../http/pages.routes';
import { authRoutes } from '../auth/auth.routes';
import { leadRoutes } from '../records/leads.routes';
import { dealRoutes } from '../records/deals.routes';
import { pipelineRoutes } from '../records/pipelines.routes';
import { captureRoutes } from '../capture/capture.routes';
import { notificationRoutes } from '../notifications/notifications.routes';
import { nurtureRoutes } from '../jobs/nurture.routes';
import { createJobsService } from '../jobs/jobs.service';
import { syncRoutes } from '../sync/sync.routes';
import { createSyncCompactionService } from '../sync/sync-compaction';
import { adminRoutes } from '../admin/admin.routes';

export interface AreaOptions {
  ctx: ServerContext;
}

/** One area of the HTTP API: a Fastify plugin registered under `prefix`, encapsulated from the others. */
export interface HttpArea {
  name: string;
  prefix: string;
  plugin: FastifyPluginAsync<AreaOptions>;
}

/** Work the server runs beside HTTP (job workers, schedulers): started after listen, stopped before the database closes. */
export interface BackgroundService {
  name: string;
  start(ctx: ServerContext): Promise<void>;
  /** Finish or abandon in-flight work so it can be resumed after a restart; must not reject on a clean stop. */
  stop(): Promise<void>;
}

export const API_PREFIX = '/api/v1';

export const HTTP_AREAS: readonly HttpArea[] = [
  { name: 'health', prefix: '', plugin: healthRoutes },
  { name: 'pages', prefix: '', plugin: pageRoutes },
  { name: 'auth', prefix: API_PREFIX, plugin: authRoutes },
  { name: 'leads', prefix: `${API_PREFIX}/leads`, plugin: leadRoutes },
  { name: 'deals', prefix: `${API_PREFIX}/deals`, plugin: dealRoutes },
  { name: 'pipelines', prefix: `${API_PREFIX}/pipelines`, plugin: pipelineRoutes },
  { name: 'capture', prefix: `${API_PREFIX}/capture`, plugin: captureRoutes },
  // GET /notifications, POST /notifications/:id/read and the WebSocket GET /ws.
  { name: 'notifications', prefix: API_PREFIX, plugin: notificationRoutes },
  { name: 'nurture', prefix: `${API_PREFIX}/nurture`, plugin: nurtureRoutes },
  // GET /sync/info, POST /sync/push and /sync/pull (pokes go out on the notifications WebSocket).
  { name: 'sync', prefix: `${API_PREFIX}/sync`, plugin: syncRoutes },
  { name: 'admin', prefix: `${API_PREFIX}/admin`, plugin: adminRoutes },
];

export const BACKGROUND_SERVICES: readonly BackgroundService[] = [
  // pg-boss queues, workers and schedules (src-server/jobs); SMTP_URL, MAIL_FROM, JOBS_ENABLED.
  createJobsService(),
  // Drops sync tombstones older than 30 days and raises the tenant's resync horizon past them.
  createSyncCompactionService(),
];
