// The server's configuration from the environment: defaults for a newcomer, and every mistake named.
import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src-server/config/server-config';

describe('loadConfig', () => {
  it('with nothing set: embedded PGlite under the user data folder, loopback on 8787, demo seeded', () => {
    expect(loadConfig({})).toEqual({
      database: { kind: 'pglite', dataDir: join(homedir(), '.local', 'share', 'fieldcrm', 'server') },
      port: 8787, host: '127.0.0.1', jwtSecret: null, logLevel: 'info', seedDemo: true,
    });
  });

  it.each([
    [{ XDG_DATA_HOME: '/xdg' }, { database: { kind: 'pglite', dataDir: '/xdg/fieldcrm/server' } }],
    [{ DATA_DIR: '/srv/crm', XDG_DATA_HOME: '/xdg' }, { database: { kind: 'pglite', dataDir: '/srv/crm' } }],
    [{ DATABASE_URL: 'postgres://u@db:5432/crm' }, { database: { kind: 'postgres', url: 'postgres://u@db:5432/crm' }, seedDemo: false }],
    [{ DATABASE_URL: 'postgresql://u@db/crm', SEED_DEMO: 'true' }, { seedDemo: true }],
    [{ SEED_DEMO: '0' }, { seedDemo: false }],
    [{ PORT: '0', HOST: '0.0.0.0', LOG_LEVEL: 'debug' }, { port: 0, host: '0.0.0.0', logLevel: 'debug' }],
    [{ JWT_SECRET: 's'.repeat(32) }, { jwtSecret: 's'.repeat(32) }],
    [{ PORT: '', DATABASE_URL: '  ' }, { port: 8787, database: { kind: 'pglite' } }],
  ])('%o → %o', (env, expected) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  it('names every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'PORT', 'SEED_DEMO']);
  });
});
