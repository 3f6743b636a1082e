// HTTP routes of deals: GET / (visible deals, paged), GET /:id, PATCH /:id (low-risk fields).
import type { FastifyPluginAsync } from 'fastify';
import { DealListQuery, DealPatch, IdParams } from '../../src-shared/http/records.http';
import type { DealPage, DealRecord } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf, requireAuth } from '../auth/authenticate';
import { parseInput } from '../http/parse-input';
import { getDeal, listDeals, patchDeal } from './deals.service';

export const dealRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  app.addHook('onRequest', requireAuth(ctx));

  app.get('/', async (request): Promise<DealPage> =>
    listDeals(ctx, authOf(request).viewer, parseInput(DealListQuery, request.query, 'query')),
  );

  app.get('/:id', async (request): Promise<DealRecord> =>
    getDeal(ctx, authOf(request).viewer, parseInput(IdParams, request.params, 'params').id),
  );

  app.patch('/:id', async (request): Promise<DealRecord> => {
    const { id } = parseInput(IdParams, request.params, 'params');
    return patchDeal(ctx, authOf(request).viewer, id, parseInput(DealPatch, request.body, 'body'));
  });
};
