// The one IPC handler: accepts calls only from the app's own top frame, validates them against the contract, then calls the client core.
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { ErrorBody } from '../../src-shared/api/errors';
import { APP_API } from '../../src-shared/api/host.api';
import type { CallResult, HostEvent } from '../../src-shared/api/host-protocol';
import type { CoreProcess } from './core-process-client';
import { IPC_CHANNELS } from './ipc-channels';

export interface IpcBridgeOptions {
  core: Pick<CoreProcess, 'openSession' | 'call' | 'closeSession'>;
  isAppUrl: (url: string) => boolean;
  /** Sees every event before it goes to its window (OS notifications, badge). */
  onEvent?: (event: HostEvent) => void;
}

/** A known method and an input its schema accepts, else the error to answer with. */
export function validateCall(method: unknown, input: unknown): ErrorBody | null {
  if (typeof method !== 'string' || !Object.hasOwn(APP_API, method)) return new AppError(ErrorCode.UNKNOWN_METHOD, `unknown method ${String(method)}`).toBody();
  const parsed = APP_API[method as keyof typeof APP_API].input.safeParse(input);
  return parsed.success ? null : AppError.fromZod(parsed.error).toBody();
}

/** The app's own page in the window's top frame; not a subframe, not a page it was somehow navigated to. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function sendEvent(contents: WebContents, event: HostEvent, isAppUrl: (url: string) => boolean): void {
  if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_CHANNELS.event, event);
}

export function registerIpcBridge(options: IpcBridgeOptions): void {
  const { core, isAppUrl } = options;
  const open = new Set<number>();

  ipcMain.handle(IPC_CHANNELS.call, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<CallResult> => {
    if (!isTrustedSender(event, isAppUrl)) return { ok: false, error: new AppError(ErrorCode.FORBIDDEN, 'calls are accepted from the app window only').toBody() };
    const problem = validateCall(method, input);
    if (problem) return { ok: false, error: problem };
    const contents = event.sender;
    const session = `window-${contents.id}`;
    if (!open.has(contents.id)) {
      open.add(contents.id);
      core.openSession(session, (hostEvent) => {
        options.onEvent?.(hostEvent);
        sendEvent(contents, hostEvent, isAppUrl);
      });
      contents.once('destroyed', () => {
        open.delete(contents.id);
        core.closeSession(session);
      });
    }
    return core.call(session, method as string, input);
  });
}
