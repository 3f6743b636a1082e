// The server's structured JSON logger (pino); Fastify logs each request through it with its request id.
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/server-config';

export function createLogger(level: ServerConfig['logLevel']): Logger {
  return pino({
    level,
    base: { service: 'fieldcrm-server' },
    // Tokens and passwords never reach the log, whatever a handler logs.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken'], censor: '[redacted]' },
  });
}
