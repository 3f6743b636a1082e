// Chooses the transport at start-up: the Electron preload's bridge when present, else the web host's WebSocket.
import { createIpcTransport } from './ipc-transport';
import type { Transport } from './transport';
import { createWsTransport } from './ws-transport';

export const WS_PATH = '/ws';

export function createTransport(): Transport {
  if (window.fieldcrm) return createIpcTransport(window.fieldcrm);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWsTransport({ url: `${scheme}://${location.host}${WS_PATH}`, storage: window.sessionStorage });
}
