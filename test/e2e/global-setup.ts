// Once before the end-to-end tests: build the renderer the web host serves, if it is missing or stale, and the migrated PGlite template the tenant servers start from.
import { ensureRendererBuilt } from '../../src-main/web/renderer-build';
import { ROOT_DIR } from './harness/e2e-system';
import { ensurePgliteTemplate } from './harness/pglite-template';

export default async function setup(): Promise<void> {
  await ensureRendererBuilt(ROOT_DIR);
  await ensurePgliteTemplate();
}
