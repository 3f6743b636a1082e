// The Electron transport: the preload's `window.fieldcrm` bridge (call and on, nothing else) to the main process.
import type { FieldcrmBridge } from '../../src-shared/api/host-protocol';
import { unwrapResult } from './transport';
import type { Transport } from './transport';

declare global {
  interface Window {
    /** Present only inside the Electron app (exposed by the preload). */
    fieldcrm?: FieldcrmBridge;
  }
}

export function createIpcTransport(bridge: FieldcrmBridge): Transport {
  return {
    kind: 'electron',
    call: async (method, input) => unwrapResult(await bridge.call(method, input)),
    on: (event, listener) => bridge.on(event, listener),
    status: () => 'open',
    onStatus: () => () => {},
    close: () => {},
  };
}
