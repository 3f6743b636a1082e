// Once before the end-to-end tests: build the renderer the web host serves, if it is missing or stale.
import { ensureRendererBuilt } from '../../src-main/web/renderer-build';
import { ROOT_DIR } from './harness/e2e-system';

export default async function setup(): Promise<void> {
  await ensureRendererBuilt(ROOT_DIR);
}
