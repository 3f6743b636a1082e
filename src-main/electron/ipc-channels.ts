// The Electron IPC channels the preload and the main process share: one for calls, one for events.
export const IPC_CHANNELS = { call: 'fieldcrm:call', event: 'fieldcrm:event' } as const;
