// The preload exposes exactly call and on; calls go to the one IPC channel, events arrive as payloads only.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FieldcrmBridge } from '../../../src-shared/api/host-protocol';
import { resetElectron, sendToRenderer, state } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

// The preload runs once, as in a window: what it exposed is kept, the recordings are cleared per test.
resetElectron();
await import('../../../src-main/electron/preload');
const exposed = new Map(state.exposed);
const loadPreload = async () => exposed.get('fieldcrm') as FieldcrmBridge;

describe('the preload', () => {
  beforeEach(() => {
    state.invoked.length = 0;
  });

  it('exposes one object, window.fieldcrm, with exactly call and on', async () => {
    const bridge = await loadPreload();
    expect([...exposed.keys()]).toEqual(['fieldcrm']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
  });

  it('sends calls over the call channel with the method and input', async () => {
    const bridge = await loadPreload();
    await bridge.call('leads.get', { id: 'lead-1' });
    expect(state.invoked).toEqual([{ channel: 'fieldcrm:call', args: ['leads.get', { id: 'lead-1' }] }]);
  });

  it('delivers only the named event, as its payload, until unsubscribed', async () => {
    const bridge = await loadPreload();
    const got: unknown[] = [];
    const off = bridge.on('changed', (payload) => got.push(payload));
    sendToRenderer('fieldcrm:event', { event: 'changed', payload: { mutations: [], tables: ['leads'] } });
    sendToRenderer('fieldcrm:event', { event: 'attention.changed', payload: { unreadNotifications: 1, pendingApprovals: 0, fresh: [] } });
    off();
    sendToRenderer('fieldcrm:event', { event: 'changed', payload: { mutations: [], tables: ['deals'] } });
    expect(got).toEqual([{ mutations: [], tables: ['leads'] }]);
    expect(state.rendererListeners.get('fieldcrm:event')?.size).toBe(0);
  });
});
