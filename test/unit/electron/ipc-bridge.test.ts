// The one IPC handler: only the app's top frame may call; input is validated against the contract before the core sees it.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallResult, HostEvent } from '../../../src-shared/api/host-protocol';
import { FakeFrame, FakeWebContents, resetElectron, state } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { registerIpcBridge } = await import('../../../src-main/electron/ipc-bridge');
const { appUrlChecker } = await import('../../../src-main/electron/app-protocol');
const { IPC_CHANNELS } = await import('../../../src-main/electron/ipc-channels');

interface CoreCall {
  session: string;
  method: string;
  input: unknown;
}

function setup() {
  const calls: CoreCall[] = [];
  const sessions = new Map<string, (e: HostEvent) => void>();
  const closed: string[] = [];
  const seen: HostEvent[] = [];
  registerIpcBridge({
    isAppUrl: appUrlChecker(null),
    onEvent: (e) => seen.push(e),
    core: {
      openSession: (session, onEvent) => void sessions.set(session, onEvent),
      closeSession: (session) => void closed.push(session),
      call: async (session, method, input) => {
        calls.push({ session, method, input });
        return { ok: true, output: { answered: method } };
      },
    },
  });
  const handler = state.ipcHandlers.get(IPC_CHANNELS.call)!;
  const invoke = (sender: FakeWebContents, method: unknown, input: unknown, frame: FakeFrame | null = sender.mainFrame): Promise<CallResult> =>
    handler({ sender, senderFrame: frame }, method, input);
  return { calls, sessions, closed, seen, invoke };
}

describe('the IPC bridge', () => {
  beforeEach(resetElectron);

  it('registers exactly one handler', () => {
    setup();
    expect([...state.ipcHandlers.keys()]).toEqual(['fieldcrm:call']);
  });

  it('passes a valid call from the app window to the client core, in that window\'s session', async () => {
    const { calls, invoke } = setup();
    const window = new FakeWebContents();
    const result = await invoke(window, 'leads.qualify', { id: 'lead-1' });
    expect(result).toEqual({ ok: true, output: { answered: 'leads.qualify' } });
    expect(calls).toEqual([{ session: `window-${window.id}`, method: 'leads.qualify', input: { id: 'lead-1' } }]);
  });

  it.each([
    ['a foreign page', (_w: FakeWebContents) => new FakeFrame('https://evil.example/')],
    ['a file page', (_w: FakeWebContents) => new FakeFrame('file:///tmp/page.html')],
    ['a subframe of the app', (w: FakeWebContents) => new FakeFrame('app://fieldcrm/frame.html', w.mainFrame)],
    ['a frame already gone', (_w: FakeWebContents) => null],
  ])('refuses %s, and the core never hears of it', async (_what, frameOf) => {
    const { calls, invoke } = setup();
    const window = new FakeWebContents();
    const result = await invoke(window, 'leads.qualify', { id: 'lead-1' }, frameOf(window));
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['leads.qualify', {}, 'VALIDATION', 'id'],
    ['leads.qualify', { id: 42 }, 'VALIDATION', 'id'],
    ['leads.queue', { limit: 100000 }, 'VALIDATION', 'limit'],
    ['profiles.signIn', { serverUrl: 'javascript:alert(1)', email: 'a@b.test', password: 'x' }, 'VALIDATION', 'serverUrl'],
    ['leads.nuke', {}, 'UNKNOWN_METHOD', null],
    ['constructor', {}, 'UNKNOWN_METHOD', null],
    ['__proto__', {}, 'UNKNOWN_METHOD', null],
    [42, {}, 'UNKNOWN_METHOD', null],
  ])('answers %s with %j by an ErrorBody (%s), without calling the core', async (method, input, code, field) => {
    const { calls, invoke } = setup();
    const result = await invoke(new FakeWebContents(), method, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    if (field) expect(result.error.fields?.map((f) => f.path)).toContain(field);
    expect(calls).toEqual([]);
  });

  it('sends each window its own session\'s events, and closes the session with the window', async () => {
    const { sessions, closed, seen, invoke } = setup();
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    await invoke(a, 'profiles.current', {});
    await invoke(b, 'profiles.current', {});
    const event = { event: 'changed', payload: { mutations: ['leads.create'], tables: ['leads'] } };
    sessions.get(`window-${a.id}`)!(event);
    expect(a.sent).toEqual([{ channel: 'fieldcrm:event', payload: event }]);
    expect(b.sent).toEqual([]);
    expect(seen).toEqual([event]);

    // A window that left the app gets nothing.
    b.url = 'https://evil.example/';
    sessions.get(`window-${b.id}`)!(event);
    expect(b.sent).toEqual([]);

    a.destroy();
    expect(closed).toEqual([`window-${a.id}`]);
  });
});
