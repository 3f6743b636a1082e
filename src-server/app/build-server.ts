// Builds the Fastify app over a server context: request ids, error envelope, and every HTTP area.
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { ServerContext } from './server-context';
import { HTTP_AREAS } from './server-areas';
import type { HttpArea } from './server-areas';
import { installErrorHandlers, toHttpError } from '../http/error-handler';

export interface BuildServerOptions {
  /** The areas to serve; tests may add their own. */
  areas?: readonly HttpArea[];
  /** Largest request body in bytes (larger gets 413). */
  bodyLimit?: number;
}

// A caller's request id is kept when it is short and plain, so logs can be joined across services.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function buildServer(ctx: ServerContext, options: BuildServerOptions = {}): FastifyInstance {
  const app = Fastify({
    // Typed as Fastify's base logger so the instance is the plain FastifyInstance areas are written against.
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Fastify waits for in-flight requests on close; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
    // Errors Fastify raises before routing (a malformed URL, say) leave in the same envelope as every other error.
    frameworkErrors: (err, _request, reply) => {
      const { status, body } = toHttpError(err);
      // Typed for the route it never reached; it is a plain reply.
      void (reply as unknown as FastifyReply).status(status).send({ error: body });
    },
  });
  app.decorateRequest('auth', null);
  app.decorateRequest('claims', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandlers(app);
  for (const area of options.areas ?? HTTP_AREAS) {
    app.register(area.plugin, { prefix: area.prefix, ctx });
  }
  return app;
}
