// Liveness and readiness answers of the server.
import { z } from 'zod';

export const HealthResponse = z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponse>;

export const ReadyResponse = z.object({
  status: z.enum(['ready', 'not-ready']),
  database: z.enum(['ok', 'unreachable']),
  migrations: z.object({ applied: z.number().int(), shipped: z.number().int(), current: z.boolean() }).nullable(),
});
export type ReadyResponse = z.infer<typeof ReadyResponse>;
