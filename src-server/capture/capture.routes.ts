// The public lead-capture webhook: `POST /api/v1/capture/:formKey` for HTML forms and JSON, with its CORS preflight.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { CreateRateLimitOptions } from '@fastify/rate-limit';
import { createHash } from 'node:crypto';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER, SIGNATURE_HEADER } from '../../src-shared/http/capture.http';
import type { CaptureResponse } from '../../src-shared/http/capture.http';
import type { AreaOptions } from '../app/server-areas';
import { toHttpError } from '../http/error-handler';
import { onLeadActivityLogged, onLeadCaptured } from '../jobs/lead-events';
import { parseFormBody, parseJsonBody } from './capture-body';
import { honeypotFilled, mapSubmission, submissionKey } from './capture-fields';
import { FormCache, isPossibleFormKey, originAllowed } from './capture-forms';
import type { CaptureForm } from './capture-forms';
import { errorPage, thankYouPage } from './capture-pages';
import { verifyCaptureSignature } from './capture-signature';
import { CaptureWriter } from './capture-writer';
import { sqlRunner } from './capture-sql';

export interface RateLimitRule {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export interface CaptureRouteOptions {
  /** Posts per form key (all senders together). */
  perForm?: RateLimitRule;
  /** Posts and preflights per client address (all forms together). */
  perClient?: RateLimitRule;
  /** Most keys each rate limiter remembers (least recently seen are forgotten), so memory stays bounded. */
  rateLimitKeys?: number;
  /** Largest body in bytes; larger gets 413. */
  bodyLimit?: number;
  /** Most submissions of one tenant written in one transaction. */
  maxBatch?: number;
  /** How long a form read from the database is reused (a change to it takes effect within this time). */
  formCacheMs?: number;
}

/**
 * Limits are per server process (in memory): a person filling in a form posts a few times a minute, a busy form a
 * few a second. A server-side sender posting in bulk from one address needs a higher `perClient`.
 */
export const CAPTURE_DEFAULTS: Required<CaptureRouteOptions> = {
  perForm: { max: 6000, windowMs: 60_000 },
  perClient: { max: 60, windowMs: 60_000 },
  rateLimitKeys: 10_000,
  bodyLimit: 64 * 1024,
  maxBatch: 200,
  formCacheMs: 1000,
};

const FORM_TYPE = 'application/x-www-form-urlencoded';
const ALLOWED_HEADERS = ['content-type', IDEMPOTENCY_KEY_HEADER, SIGNATURE_HEADER].join(', ');
// Location and other headers may carry only visible ASCII; a thank-you URL that does not is not used.
const SAFE_URL = /^[\x21-\x7e]{1,2000}$/;

const isFormPost = (req: FastifyRequest) => (req.headers['content-type'] ?? '').toLowerCase().startsWith(FORM_TYPE);
/** A browser that posted a form and reads HTML gets pages; everything else (fetch, webhooks) gets JSON. */
const wantsHtml = (req: FastifyRequest) => isFormPost(req) && /\btext\/html\b/.test(String(req.headers.accept ?? ''));

function sendSuccess(req: FastifyRequest, reply: FastifyReply, form: CaptureForm, body: CaptureResponse, replayed: boolean) {
  if (replayed) reply.header(REPLAYED_HEADER, 'true');
  if (!isFormPost(req)) return reply.status(201).send(body);
  if (form.thankYouUrl && SAFE_URL.test(form.thankYouUrl)) return reply.status(303).header('location', form.thankYouUrl).send();
  return reply.status(201).type('text/html; charset=utf-8').send(thankYouPage());
}

/** The capture area; options change limits (tests, the benchmark), the defaults suit a public endpoint. */
export function captureArea(options: CaptureRouteOptions = {}): FastifyPluginAsync<AreaOptions> {
  const o = { ...CAPTURE_DEFAULTS, ...options };
  return async (app, { ctx }) => {
    const writer = new CaptureWriter({
      db: sqlRunner(ctx.database),
      now: () => ctx.clock.now(),
      newId: () => ctx.newId(),
      maxBatch: o.maxBatch,
      onError: (err, tenantId) => ctx.log.error({ err, tenantId }, 'capture write failed'),
    });
    app.addHook('onClose', () => writer.whenIdle());
    const formCache = new FormCache(ctx.db, o.formCacheMs);

    await app.register(rateLimit, { global: false });
    const limiter = (rule: RateLimitRule, keyGenerator?: (req: FastifyRequest) => string) =>
      app.createRateLimit({ max: rule.max, timeWindow: rule.windowMs, cache: o.rateLimitKeys, ...(keyGenerator ? { keyGenerator } : {}) } as CreateRateLimitOptions);
    const perClient = limiter(o.perClient);
    const perForm = limiter(o.perForm, (req) => {
      const key = (req.params as { formKey?: string }).formKey ?? '';
      // Keys that cannot be forms share one bucket, so junk URLs cannot crowd real forms out of the limiter.
      return isPossibleFormKey(key) ? `form:${key}` : 'form:(invalid)';
    });
    const limit = (limiters: ReturnType<typeof limiter>[]) => async (req: FastifyRequest, reply: FastifyReply) => {
      for (const check of limiters) {
        const r = await check(req);
        if (!r.isAllowed && r.isExceeded) {
          reply.header('retry-after', String(Math.max(1, r.ttlInSeconds)));
          throw new AppError(ErrorCode.RATE_LIMITED, `too many submissions; retry in ${Math.max(1, r.ttlInSeconds)} s`);
        }
      }
    };

    // The raw bytes are kept (the signature is over them) and parsed in the handler, after the form is known.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(['application/json', FORM_TYPE], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.setErrorHandler((err, req, reply) => {
      const { status, body } = toHttpError(err);
      if (status >= 500) req.log.error({ err }, 'capture failed');
      else req.log.info({ code: body.code, status }, body.message);
      if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
      if (wantsHtml(req)) return reply.status(status).type('text/html; charset=utf-8').send(errorPage(body));
      return reply.status(status).send({ error: body });
    });

    const activeForm = async (req: FastifyRequest, reply: FastifyReply): Promise<CaptureForm> => {
      reply.header('vary', 'Origin');
      const form = await formCache.get((req.params as { formKey: string }).formKey);
      if (!form) throw new AppError(ErrorCode.NOT_FOUND, 'no active form with this key');
      const origin = req.headers.origin;
      if (!originAllowed(form, origin, req.headers.host)) throw new AppError(ErrorCode.FORBIDDEN, 'this form does not accept posts from this origin');
      if (origin !== undefined) reply.header('access-control-allow-origin', origin);
      return form;
    };

    app.options('/:formKey', { onRequest: limit([perClient]) }, async (req, reply) => {
      await activeForm(req, reply);
      return reply
        .status(204)
        .header('allow', 'POST, OPTIONS')
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .send();
    });

    app.post('/:formKey', { bodyLimit: o.bodyLimit, onRequest: limit([perClient, perForm]) }, async (req, reply) => {
      const form = await activeForm(req, reply);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (form.hmacSecret !== null && !verifyCaptureSignature(raw, req.headers[SIGNATURE_HEADER], form.hmacSecret)) {
        throw new AppError(ErrorCode.UNAUTHENTICATED, `this form requires a valid ${SIGNATURE_HEADER} header (sha256=<hex HMAC of the body>)`);
      }
      const fields = isFormPost(req) ? parseFormBody(raw) : parseJsonBody(raw);
      if (honeypotFilled(fields, form)) {
        // Answered like a success so the bot learns nothing; nothing is stored.
        req.log.info({ form: form.key }, 'honeypot filled; submission dropped');
        return sendSuccess(req, reply, form, { leadId: ctx.newId(), submissionId: ctx.newId() }, false);
      }
      const idempotencyKey = submissionKey(fields, req.headers[IDEMPOTENCY_KEY_HEADER], form);
      const draft = mapSubmission({ fields, query: req.query, referer: req.headers.referer }, form);
      const result = await writer.submit({
        tenantId: form.tenantId,
        formId: form.id,
        draft,
        idempotencyKey,
        requestHash: createHash('sha256').update(JSON.stringify(draft)).digest('hex'),
        submissionId: ctx.newId(),
        leadId: ctx.newId(),
      });
      if (!result.replayed) {
        const job = { tenantId: form.tenantId, leadId: result.leadId };
        await (result.outcome === 'created' ? onLeadCaptured(ctx, job) : onLeadActivityLogged(ctx, job));
      }
      return sendSuccess(req, reply, form, { leadId: result.leadId, submissionId: result.submissionId }, result.replayed);
    });
  };
}

export const captureRoutes: FastifyPluginAsync<AreaOptions> = captureArea();
