// The client core in its utility process: the main side and the utility side talking through a stand-in utilityProcess.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostEvent } from '../../../src-shared/api/host-protocol';
import { generateDemoDataset } from '../../../src-shared/demo/demo-dataset';
import { DEFAULT_MIGRATIONS_FOLDER } from '../../../src-main/store/open-store';
import { createMemoryTokenStore } from '../../../src-main/host/token-store';
import type { FromCore, ToCore } from '../../../src-main/electron/core-process-messages';
import { resetElectron, state } from './fake-electron';
import type { FakeUtilityProcess } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { startCoreProcess } = await import('../../../src-main/electron/core-process-client');
const { serveCoreProcess } = await import('../../../src-main/electron/core-process-host');

/** Runs the utility side in this process, connected to the fake child as Electron's parentPort would be. */
function runUtilitySide(proc: FakeUtilityProcess): void {
  const listeners: ((event: { data: ToCore }) => void)[] = [];
  serveCoreProcess(
    { postMessage: (message: FromCore) => void queueMicrotask(() => proc.emit('message', structuredClone(message))), on: (_e, l) => listeners.push(l) },
    { logError: () => {} },
  );
  proc.onPost = (message) => queueMicrotask(() => listeners.forEach((l) => l({ data: message as ToCore })));
}

function start() {
  const rootDir = mkdtempSync(join(tmpdir(), 'fieldcrm-core-'));
  const tokens = createMemoryTokenStore();
  state.onFork = runUtilitySide;
  const core = startCoreProcess({ entry: '/app/out/main/core-process.js', init: { rootDir, migrationsFolder: DEFAULT_MIGRATIONS_FOLDER, serverUrl: null }, tokens, log: () => {} });
  const events: HostEvent[] = [];
  core.openSession('window-1', (e) => events.push(e));
  return { core, tokens, events };
}

describe('the client core utility process', () => {
  beforeEach(resetElectron);
  afterEach(() => vi.unstubAllGlobals());

  it('forks the built entry and answers a window\'s calls, with its profile\'s events', async () => {
    const { core, events } = start();
    expect(state.forks.map((f) => f.modulePath)).toEqual(['/app/out/main/core-process.js']);
    const created = await core.call('window-1', 'profiles.createLocal', { name: 'Mine' });
    expect(created).toMatchObject({ ok: true, output: { name: 'Mine', kind: 'local' } });
    expect(await core.call('window-1', 'leads.create', { firstName: 'Ana', lastName: 'Lopez' })).toMatchObject({ ok: true });
    expect(await core.call('window-1', 'leads.queue', { withTotal: true })).toMatchObject({ ok: true, output: { total: 1 } });
    expect(await core.call('window-1', 'leads.qualify', { id: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await vi.waitFor(() => expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['profile.changed', 'changed', 'attention.changed'])));
    await core.stop();
  });

  it('keeps sign-in tokens in the main process (where safeStorage is)', async () => {
    const data = generateDemoDataset({ seed: 1, now: Date.UTC(2026, 0, 1), leads: 0, deals: 0, activities: 0 });
    const rep = data.users.find((u) => u.email === 'rep1@demo.test')!;
    const session = {
      accessToken: 'access-token', accessTokenExpiresAt: Date.UTC(2026, 0, 2), refreshToken: 'refresh-token-0123456789', refreshTokenExpiresAt: Date.UTC(2026, 1, 1),
      user: rep, tenant: data.tenant, clientId: '0190a0b0-0000-7000-8000-0000000000aa',
    };
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(session), { status: 200, headers: { 'content-type': 'application/json' } }));
    const { core, tokens } = start();
    const result = await core.call('window-1', 'profiles.signIn', { serverUrl: 'http://127.0.0.1:9', email: 'rep1@demo.test', password: 'demo1234' });
    expect(result).toMatchObject({ ok: true, output: { kind: 'server', userName: 'Rita Rep', signedIn: true } });
    const profileId = (result as { output: { id: string } }).output.id;
    expect(await tokens.load(profileId)).toMatchObject({ accessToken: 'access-token', clientId: session.clientId });
    await core.stop();
  });

  it('answers calls in flight when it dies, restarts, and reopens the window\'s profile', async () => {
    const { core } = start();
    await core.call('window-1', 'profiles.createLocal', { name: 'Mine' });
    await core.call('window-1', 'leads.create', { firstName: 'Ana', lastName: 'Lopez' });
    const first = state.forks[0]!;
    first.onPost = null; // the process hangs: the next call gets no answer
    const inFlight = core.call('window-1', 'leads.queue', {});
    first.emit('exit', 134);
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(state.forks).toHaveLength(2);
    // The restarted core has the window's session and profile back, with no help from the window.
    expect(await core.call('window-1', 'leads.queue', { withTotal: true })).toMatchObject({ ok: true, output: { total: 1 } });
    await core.stop();
  });

  it('gives up after repeated crashes instead of looping', async () => {
    state.onFork = () => {};
    const core = startCoreProcess({ entry: '/x.js', init: { rootDir: '/nowhere', migrationsFolder: '/nowhere', serverUrl: null }, tokens: createMemoryTokenStore(), log: () => {}, maxRestarts: 2 });
    for (let i = 0; i < 3; i++) state.forks.at(-1)!.emit('exit', 1);
    expect(state.forks).toHaveLength(3);
    expect(await core.call('window-1', 'profiles.list', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'the client core is not running' } });
  });
});
