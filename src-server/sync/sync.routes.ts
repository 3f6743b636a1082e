// HTTP routes of sync: GET /info (versions, no sign-in needed), POST /push and POST /pull.
import type { FastifyPluginAsync } from 'fastify';
import { PullRequest, PushRequest, THIS_VERSION } from '../../src-shared/sync/sync-protocol';
import type { PushResponse, VersionInfo } from '../../src-shared/sync/sync-protocol';
import type { AreaOptions } from '../app/server-areas';
import { authOf, claimsOf, requireAuth, requireToken } from '../auth/authenticate';
import { parseInput } from '../http/parse-input';
import { pullChanges } from './pull-groups';
import { pullBody } from './pull.service';
import { pushMutations } from './push.service';

/** A full push batch of large mutations (e.g. a 5,000-lead assignment) fits. */
const PUSH_BODY_LIMIT = 8 * 1024 * 1024;

export const syncRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  app.get('/info', async (): Promise<VersionInfo> => THIS_VERSION);

  await app.register(async (authed) => {
    authed.addHook('onRequest', requireAuth(ctx));
    authed.post('/push', { bodyLimit: PUSH_BODY_LIMIT }, async (request): Promise<PushResponse> =>
      pushMutations(ctx, authOf(request), parseInput(PushRequest, request.body, 'body')),
    );
  });

  // A pull reads who its caller is now in its own snapshot, with the other pulls served in it (pull-groups.ts).
  await app.register(async (tokened) => {
    tokened.addHook('onRequest', requireToken(ctx));
    tokened.post('/pull', async (request, reply) => {
      const res = await pullChanges(ctx, claimsOf(request), parseInput(PullRequest, request.body, 'body'));
      return reply.type('application/json; charset=utf-8').send(pullBody(res));
    });
  });
};
