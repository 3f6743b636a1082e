// Every error leaves as `{ error: { code, message, fields? } }`: 4xx for anything the caller sent, 500 only for our bugs.
import type { FastifyError, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, ErrorCode, toErrorBody } from '../../src-shared/api/errors';
import type { ErrorBody } from '../../src-shared/api/errors';
import { errorCodeOfStatus, httpStatusOf } from '../../src-shared/http/errors.http';

export interface HttpError {
  status: number;
  body: ErrorBody;
}

/** Maps anything thrown to a status and a body; Fastify's own 4xx errors (bad JSON, too large, rate limited) keep their status. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof AppError) return { status: httpStatusOf(err.code), body: err.toBody() };
  if (err instanceof z.ZodError) return { status: 400, body: toErrorBody(err) };
  const status = (err as Partial<FastifyError> | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = errorCodeOfStatus(status);
    const message = status === 413 ? 'request body too large' : ((err as Error).message || 'bad request');
    return { status, body: { code, message } };
  }
  return { status: 500, body: { code: ErrorCode.INTERNAL, message: 'internal error' } };
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toHttpError(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code, status }, body.message);
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.status(status).send({ error: body });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: ErrorCode.NOT_FOUND, message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
