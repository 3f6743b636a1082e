// The browser host's configuration, read from the environment once at start.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export interface WebConfig {
  /** Where the browser host listens on 127.0.0.1 (`PORT`). */
  port: number;
  /** Profiles and their stores (`WEB_DATA_DIR`). */
  dataDir: string;
  /** An existing tenant server (`SERVER_URL`); null starts (or reuses) the embedded one. */
  serverUrl: string | null;
  /** The embedded tenant server's port (`SERVER_PORT`). */
  serverPort: number;
}

export class WebConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WebConfigError';
  }
}

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

const Env = z.object({
  PORT: opt(z.coerce.number().int().min(0).max(65535)),
  WEB_DATA_DIR: opt(z.string()),
  SERVER_URL: opt(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })),
  SERVER_PORT: opt(z.coerce.number().int().min(1).max(65535)),
  XDG_DATA_HOME: opt(z.string()),
});

export const DEFAULT_WEB_PORT = 5173;
export const DEFAULT_SERVER_PORT = 8787;

export function loadWebConfig(env: Record<string, string | undefined> = process.env): WebConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new WebConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const dataHome = e.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return {
    port: e.PORT ?? DEFAULT_WEB_PORT,
    dataDir: e.WEB_DATA_DIR ?? join(dataHome, 'fieldcrm', 'web'),
    serverUrl: e.SERVER_URL ? new URL(e.SERVER_URL).origin : null,
    serverPort: e.SERVER_PORT ?? DEFAULT_SERVER_PORT,
  };
}
