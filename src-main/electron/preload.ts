// The preload: the renderer's only door to the main process, exposing exactly `call(method, input)` and `on(event, listener)`.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { FieldcrmBridge, HostEvent } from '../../src-shared/api/host-protocol';
import { IPC_CHANNELS } from './ipc-channels';

const bridge: FieldcrmBridge = {
  // The answer is `{ ok, output | error }`: errors cross as data, which a rejected invoke would lose.
  call: (method, input) => ipcRenderer.invoke(IPC_CHANNELS.call, method, input),
  on(event, listener) {
    // The listener gets the payload only, never the IPC event (which would hand the page `sender`).
    const relay = (_ipc: IpcRendererEvent, message: HostEvent) => {
      if (message.event === event) (listener as (payload: unknown) => void)(message.payload);
    };
    ipcRenderer.on(IPC_CHANNELS.event, relay);
    return () => void ipcRenderer.removeListener(IPC_CHANNELS.event, relay);
  },
};

contextBridge.exposeInMainWorld('fieldcrm', bridge);
