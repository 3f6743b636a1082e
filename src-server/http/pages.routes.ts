// The server's own small pages: `/thanks`, where forms without a site of their own send people after posting.
import type { FastifyPluginAsync } from 'fastify';
import type { AreaOptions } from '../app/server-areas';
import { thankYouPage } from '../capture/capture-pages';

export const pageRoutes: FastifyPluginAsync<AreaOptions> = async (app) => {
  app.get('/thanks', async (_request, reply) => reply.type('text/html; charset=utf-8').send(thankYouPage()));
};
