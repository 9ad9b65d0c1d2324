/**
 * IPC handlers, one per contract action, all registered through one generic `handle<K>()`:
 * the sender must be our own window's main frame on app://, the payload must pass the contract's
 * schema; otherwise the call is rejected and nothing runs. Channels not in the contract have no
 * handler at all (Electron rejects an invoke on them).
 */
import { ACTIONS, channelOf, type Action, type ResponseOf } from '../contract.js';
import { RejectedRequest, runAction, type ActionHandlers } from './actions.js';
import { isAppUrl } from './window.js';

export interface IpcInvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type SenderCheck = (event: IpcInvokeEventLike) => boolean;

/** Only the live main window's top frame, showing our own page. */
export function ownWindowSender(webContentsId: () => number | undefined): SenderCheck {
  return (event) => {
    const id = webContentsId();
    const frame = event.senderFrame;
    return id !== undefined && event.sender.id === id && frame !== null && frame.parent === null && isAppUrl(frame.url);
  };
}

export interface IpcLog {
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Registers every action; returns a function that removes them again. */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: ActionHandlers, isTrusted: SenderCheck, log: IpcLog): () => void {
  function handle<K extends Action>(action: K): void {
    // The payload arrives untyped and is validated; what goes back is the contract's response type.
    ipcMain.handle(channelOf(action), async (event, ...args): Promise<ResponseOf<K>> => {
      if (!isTrusted(event)) {
        log.warn('IPC call from a sender that is not our window was refused', { action, url: event.senderFrame?.url });
        throw new RejectedRequest('untrusted-sender');
      }
      try {
        return await runAction(handlers, action, args);
      } catch (error) {
        if (error instanceof RejectedRequest) log.warn('IPC call with an invalid payload was refused', { action });
        throw error;
      }
    });
  }
  for (const action of ACTIONS) handle(action);
  return () => {
    for (const action of ACTIONS) ipcMain.removeHandler(channelOf(action));
  };
}
