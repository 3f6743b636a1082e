// The admin API (under /api/v1/admin): configuration of pipelines, approvals, automation, forms, users and teams.
import type { FastifyPluginAsync } from 'fastify';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { AreaOptions } from '../app/server-areas';
import { requireAuth } from '../auth/authenticate';
import { approvalPolicyAdminRoutes } from './approval-policies.admin';
import { delegationAdminRoutes } from './delegations.admin';
import { distributionRuleAdminRoutes } from './distribution-rules.admin';
import { formAdminRoutes } from './forms.admin';
import { nurtureSequenceAdminRoutes } from './nurture-sequences.admin';
import { pipelineAdminRoutes } from './pipelines.admin';
import { scoringConfigAdminRoutes } from './scoring-config.admin';
import { stageAdminRoutes } from './stages.admin';
import { teamAdminRoutes } from './teams.admin';
import { tenantSettingsAdminRoutes } from './tenant-settings.admin';
import { transitionRuleAdminRoutes } from './transition-rules.admin';
import { userAdminRoutes } from './users.admin';
import { winLossReasonAdminRoutes } from './win-loss-reasons.admin';
import { unstorableText } from './storable-text';

const PARTS: FastifyPluginAsync<AreaOptions>[] = [
  pipelineAdminRoutes,
  stageAdminRoutes,
  transitionRuleAdminRoutes,
  approvalPolicyAdminRoutes,
  delegationAdminRoutes,
  distributionRuleAdminRoutes,
  scoringConfigAdminRoutes,
  nurtureSequenceAdminRoutes,
  formAdminRoutes,
  userAdminRoutes,
  teamAdminRoutes,
  winLossReasonAdminRoutes,
  tenantSettingsAdminRoutes,
];

/** Every route needs a signed-in caller; each part then checks the permission of its area (see admin.http.ts). */
export const adminRoutes: FastifyPluginAsync<AreaOptions> = async (app, options) => {
  app.addHook('onRequest', requireAuth(options.ctx));
  // Text the database cannot store is refused here, once for every route, before any handler reads it.
  app.addHook('preHandler', async (request) => {
    for (const [where, value] of [['body', request.body], ['params', request.params], ['query', request.query]] as const) {
      const fields = unstorableText(value);
      if (fields.length > 0) throw new AppError(ErrorCode.VALIDATION, `invalid ${where}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
    }
  });
  for (const part of PARTS) await app.register(part, { ctx: options.ctx });
};
