// The server's configuration, read from the environment and validated once at start.
import { z } from 'zod';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type DatabaseConfig = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface ServerConfig {
  database: DatabaseConfig;
  port: number;
  host: string;
  /** Overrides the signing key otherwise generated once and kept in the database (`server_secrets`). */
  jwtSecret: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo tenant when the database has no tenant yet. */
  seedDemo: boolean;
}

/** Thrown with every problem in the environment named, so a newcomer can fix them at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

const Env = z.object({
  DATABASE_URL: opt(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')),
  DATA_DIR: opt(z.string()),
  PORT: opt(z.coerce.number().int().min(0).max(65535)),
  HOST: opt(z.string()),
  JWT_SECRET: opt(z.string().min(32, 'must be at least 32 characters')),
  LOG_LEVEL: opt(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  SEED_DEMO: opt(z.enum(['true', 'false', '1', '0'])),
  XDG_DATA_HOME: opt(z.string()),
});

export function defaultDataDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_DATA_HOME?.trim() || join(homedir(), '.local', 'share');
  return join(base, 'fieldcrm', 'server');
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const database: DatabaseConfig = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'pglite', dataDir: e.DATA_DIR ?? defaultDataDir(env) };
  return {
    database,
    port: e.PORT ?? 8787,
    host: e.HOST ?? '127.0.0.1',
    jwtSecret: e.JWT_SECRET ?? null,
    logLevel: e.LOG_LEVEL ?? 'info',
    // The demo tenant is for the zero-configuration path; a real PostgreSQL gets it only when asked.
    seedDemo: e.SEED_DEMO === undefined ? database.kind === 'pglite' : e.SEED_DEMO === 'true' || e.SEED_DEMO === '1',
  };
}
