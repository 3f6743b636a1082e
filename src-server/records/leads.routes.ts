// HTTP routes of leads: GET / (visible leads, paged), GET /:id, PATCH /:id.
import type { FastifyPluginAsync } from 'fastify';
import { IdParams, LeadListQuery, LeadPatch } from '../../src-shared/http/records.http';
import type { LeadPage, LeadRecord } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf, requireAuth } from '../auth/authenticate';
import { parseInput } from '../http/parse-input';
import { getLead, listLeads, patchLead } from './leads.service';
import { onLeadChanged } from '../jobs/lead-events';

export const leadRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  app.addHook('onRequest', requireAuth(ctx));

  app.get('/', async (request): Promise<LeadPage> =>
    listLeads(ctx, authOf(request).viewer, parseInput(LeadListQuery, request.query, 'query')),
  );

  app.get('/:id', async (request): Promise<LeadRecord> =>
    getLead(ctx, authOf(request).viewer, parseInput(IdParams, request.params, 'params').id),
  );

  app.patch('/:id', async (request): Promise<LeadRecord> => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const lead = await patchLead(ctx, authOf(request).viewer, id, parseInput(LeadPatch, request.body, 'body'));
    // The fields scoring and nurture rules read may have changed: rescore and re-evaluate in the background.
    await onLeadChanged(ctx, { tenantId: lead.tenantId, leadId: lead.id });
    return lead;
  });
};
